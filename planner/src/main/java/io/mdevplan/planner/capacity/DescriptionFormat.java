package io.mdevplan.planner.capacity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The description formats we can read, chosen by the parent's driver. */
enum DescriptionFormat {
    I915_GVTG("i915", "i915-gvtg", DescriptionParsers::i915Gvtg),
    NVIDIA_VGPU("nvidia", "nvidia", DescriptionParsers::nvidiaVgpu),
    MBOCHS("mbochs", "mbochs", DescriptionParsers::mbochs);

    private final String driver;
    private final String label;
    private final Function<String, Optional<Map<String, Long>>> parser;

    DescriptionFormat(String driver, String label, Function<String, Optional<Map<String, Long>>> parser) {
        this.driver = driver;
        this.label = label;
        this.parser = parser;
    }

    static Optional<DescriptionFormat> forDriver(String driver) {
        var normalized = driver.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(format -> format.driver.equals(normalized)).findFirst();
    }

    Optional<Map<String, Long>> costs(String description) {
        return parser.apply(description);
    }

    String label() {
        return label;
    }
}

package io.mdevplan.planner.capacity;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parsers for the resource descriptions drivers print in {@code mdev_supported_types/<type>/description}.
 *
 * <p>Each parser returns the cost of one instance per pool, or empty when the text is not in its format.
 * They tolerate surrounding whitespace, CR/LF line ends, a missing trailing newline and unknown keys; they
 * reject a required field that is missing, not a number, zero, or larger than {@link #MAX_AMOUNT}.
 */
public final class DescriptionParsers {

    public static final String LOW_GM = "low_gm";
    public static final String HIGH_GM = "high_gm";
    public static final String FENCE = "fence";
    public static final String FRAMEBUFFER = "framebuffer";
    public static final String VIDEO_MB = "video_mb";

    /** Larger numbers are not what a driver prints; rejecting them keeps pool arithmetic far from overflow. */
    public static final long MAX_AMOUNT = Integer.MAX_VALUE;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(|M|MB|MiB|G|GB|GiB)", Pattern.CASE_INSENSITIVE);
    private static final Pattern COUNT = Pattern.compile("\\d{1,10}");
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");
    private static final Pattern COMMA = Pattern.compile(",");
    private static final Pattern MBOCHS_VIDEO_MEMORY = Pattern.compile("(\\d{1,10})\\s*MB\\s+video\\s+memory",
            Pattern.CASE_INSENSITIVE);

    private DescriptionParsers() {
    }

    /**
     * i915 GVT-g ({@code drivers/gpu/drm/i915/gvt/kvmgt.c}): lines {@code key: value}, e.g.
     * {@code low_gm_size: 64MB\nhigh_gm_size: 384MB\nfence: 4\nresolution: 1024x768\nweight: 2\n}
     * -> {low_gm: 64, high_gm: 384, fence: 4} (graphics memory in MB, fences as a count).
     */
    public static Optional<Map<String, Long>> i915Gvtg(String description) {
        var fields = fields(description, LINE_BREAK, ':');
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        var lowGm = mebibytes(fields.get().get("low_gm_size"));
        var highGm = mebibytes(fields.get().get("high_gm_size"));
        var fence = count(fields.get().get("fence"));
        if (lowGm.isEmpty() || highGm.isEmpty() || fence.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(costs(Map.of(LOW_GM, lowGm.getAsLong(), HIGH_GM, highGm.getAsLong(),
                FENCE, fence.getAsLong())));
    }

    /**
     * NVIDIA vGPU: comma-separated {@code key=value}, e.g.
     * {@code num_heads=4, frl_config=60, framebuffer=1024M, max_resolution=5120x2880, max_instance=24}
     * -> {framebuffer: 1024} (MiB; a G suffix counts 1024 MiB).
     */
    public static Optional<Map<String, Long>> nvidiaVgpu(String description) {
        var framebuffer = fields(description, COMMA, '=')
                .map(fields -> mebibytes(fields.get("framebuffer")))
                .orElse(OptionalLong.empty());
        return framebuffer.isPresent()
                ? Optional.of(costs(Map.of(FRAMEBUFFER, framebuffer.getAsLong())))
                : Optional.empty();
    }

    /** The {@code max_instance} of an NVIDIA vGPU description: how many devices of the type fit on an empty GPU. */
    public static OptionalLong nvidiaMaxInstance(String description) {
        return fields(description, COMMA, '=')
                .map(fields -> count(fields.get("max_instance")))
                .orElse(OptionalLong.empty());
    }

    /**
     * mbochs ({@code samples/vfio-mdev/mbochs.c}): {@code virtual display, 4 MB video memory\n} -> {video_mb: 4}.
     * mdpy prints {@code virtual display, 640x480 framebuffer\n}, which names no resource and does not match.
     */
    public static Optional<Map<String, Long>> mbochs(String description) {
        if (description == null) {
            return Optional.empty();
        }
        var matcher = MBOCHS_VIDEO_MEMORY.matcher(description);
        if (!matcher.find()) {
            return Optional.empty();
        }
        var videoMb = positive(Long.parseLong(matcher.group(1)));
        return videoMb.isPresent() ? Optional.of(costs(Map.of(VIDEO_MB, videoMb.getAsLong()))) : Optional.empty();
    }

    /** Splits into key/value fields; keys are trimmed and lower-cased. Empty when a key repeats with another value. */
    private static Optional<Map<String, String>> fields(String text, Pattern fieldSeparator, char keyValueSeparator) {
        if (text == null) {
            return Optional.empty();
        }
        var fields = new HashMap<String, String>();
        for (var field : fieldSeparator.split(text)) {
            var separator = field.indexOf(keyValueSeparator);
            if (separator < 0) {
                continue; // blank line or free text: not a field
            }
            var key = field.substring(0, separator).trim().toLowerCase(Locale.ROOT);
            var value = field.substring(separator + 1).trim();
            var previous = fields.putIfAbsent(key, value);
            if (previous != null && !previous.equals(value)) {
                return Optional.empty();
            }
        }
        return Optional.of(fields);
    }

    private static OptionalLong mebibytes(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        var matcher = SIZE.matcher(value);
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        var number = Long.parseLong(matcher.group(1));
        var gibibytes = matcher.group(2).toUpperCase(Locale.ROOT).startsWith("G");
        return positive(gibibytes ? number * 1024 : number);
    }

    private static OptionalLong count(String value) {
        if (value == null || !COUNT.matcher(value).matches()) {
            return OptionalLong.empty();
        }
        return positive(Long.parseLong(value));
    }

    private static OptionalLong positive(long amount) {
        return amount > 0 && amount <= MAX_AMOUNT ? OptionalLong.of(amount) : OptionalLong.empty();
    }

    private static Map<String, Long> costs(Map<String, Long> costs) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(costs));
    }
}

package io.mdevplan.executor.sysfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.mdevplan.executor.files.NioSysfsFiles;
import io.mdevplan.executor.files.SysfsFiles;

/** Reads which parents the kernel registered and what each of their types can still create. */
public final class SysfsInventoryReader {

    /** A non-negative count that fits a long. */
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,18}");
    /** The line an attribute-dialect driver adds to its type's description, e.g. "aggregation: 8". */
    private static final Pattern DESCRIPTION_AGGREGATION =
            Pattern.compile("(?m)^\\s*aggregation\\s*[:=]\\s*(\\S+)\\s*$");

    private final SysfsLayout layout;
    private final SysfsFiles files;

    /** Reads the real files under the layout's root. */
    public SysfsInventoryReader(SysfsLayout layout) {
        this(layout, new NioSysfsFiles());
    }

    public SysfsInventoryReader(SysfsLayout layout, SysfsFiles files) {
        this.layout = layout;
        this.files = files;
    }

    /** The parents under mdev_bus, sorted by address; empty where the mdev core is not loaded (no mdev_bus). */
    public List<SysfsParent> parents() {
        var parents = new ArrayList<SysfsParent>();
        for (var address : files.list(layout.mdevBus())) {
            parents.add(new SysfsParent(address, types(address)));
        }
        return parents;
    }

    /**
     * How the type aggregates: an {@code aggregation} file in its directory means the create-parameter dialect with
     * that maximum; else an {@code aggregation: N} line in its description means the attribute dialect; else none.
     */
    public TypeAggregation aggregation(String address, String typeId) {
        var file = layout.typeFile(address, typeId, "aggregation");
        var createParameter = readOptional(file);
        if (createParameter != null) {
            return new TypeAggregation(AggregationDialect.CREATE_PARAMETER, maximum(file, createParameter));
        }
        var descriptionFile = layout.typeFile(address, typeId, "description");
        var description = readOptional(descriptionFile);
        var line = description == null ? null : DESCRIPTION_AGGREGATION.matcher(description);
        if (line != null && line.find()) {
            return new TypeAggregation(AggregationDialect.ATTRIBUTE, maximum(descriptionFile, line.group(1)));
        }
        return TypeAggregation.NONE;
    }

    /** How many instances the device holds: its aggregated_instances or mdev/aggregation, else 1. */
    public long deviceInstances(String uuid) {
        for (var name : List.of("aggregated_instances", "mdev/aggregation")) {
            var file = layout.deviceFile(uuid, name);
            var text = readOptional(file);
            if (text != null) {
                return count(file, text);
            }
        }
        return 1;
    }

    /** A count file of a type: available_instances, which every type directory has. */
    public long availableInstances(String address, String typeId) {
        return availableInstances(layout.typeFile(address, typeId, "available_instances"));
    }

    private List<SysfsType> types(String address) {
        var types = new ArrayList<SysfsType>();
        for (var typeId : files.list(layout.supportedTypes(address))) {
            var dir = layout.typeDir(address, typeId);
            types.add(new SysfsType(typeId, readOptional(dir.resolve("name")), readOptional(dir.resolve("device_api")),
                    availableInstances(dir.resolve("available_instances"))));
        }
        return types;
    }

    private long availableInstances(Path file) {
        var text = readOptional(file);
        if (text == null) {
            throw new IllegalStateException("The type directory " + file.getParent() + " has no available_instances"
                    + " file. Maybe the path is not an mdev type directory, or the driver failed to register.");
        }
        return count(file, text);
    }

    private static long count(Path file, String text) {
        if (!COUNT.matcher(text).matches()) {
            throw new IllegalStateException("The file " + file + " reads \"" + text + "\", not a count of instances."
                    + " Maybe the --root points at something that is not a sysfs tree.");
        }
        return Long.parseLong(text);
    }

    private static int maximum(Path file, String text) {
        var max = count(file, text);
        if (max < 1 || max > Integer.MAX_VALUE) {
            throw new IllegalStateException("The file " + file + " gives the aggregation maximum " + max
                    + ", not 1 or more. Maybe the driver's aggregation support is broken; plan one instance.");
        }
        return (int) max;
    }

    /** The file's text without the trailing newline sysfs adds, or null when the file does not exist. */
    private String readOptional(Path file) {
        var text = files.read(file).map(String::strip).orElse("");
        return text.isEmpty() ? null : text;
    }
}

package io.mdevplan.executor.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads which parents the kernel registered and what each of their types can still create. */
public final class SysfsInventoryReader {

    /** A non-negative count that fits a long. */
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,18}");

    private final SysfsLayout layout;

    public SysfsInventoryReader(SysfsLayout layout) {
        this.layout = layout;
    }

    /** The parents under mdev_bus, sorted by address; empty where the mdev core is not loaded (no mdev_bus). */
    public List<SysfsParent> parents() {
        var parents = new ArrayList<SysfsParent>();
        for (var address : entryNames(layout.mdevBus())) {
            parents.add(new SysfsParent(address, types(address)));
        }
        return parents;
    }

    private List<SysfsType> types(String address) {
        var types = new ArrayList<SysfsType>();
        for (var typeId : entryNames(layout.supportedTypes(address))) {
            var dir = layout.typeDir(address, typeId);
            types.add(new SysfsType(typeId, readOptional(dir.resolve("name")), readOptional(dir.resolve("device_api")),
                    availableInstances(dir.resolve("available_instances"))));
        }
        return types;
    }

    private static long availableInstances(Path file) {
        var text = readOptional(file);
        if (text == null) {
            throw new IllegalStateException("The type directory " + file.getParent() + " has no available_instances"
                    + " file. Maybe the path is not an mdev type directory, or the driver failed to register.");
        }
        if (!COUNT.matcher(text).matches()) {
            throw new IllegalStateException("The file " + file + " reads \"" + text + "\", not a count of instances."
                    + " Maybe the --root points at something that is not a sysfs tree.");
        }
        return Long.parseLong(text);
    }

    /** Sorted names of the entries of {@code dir} (symbolic links included, as sysfs uses them); none if absent. */
    private static List<String> entryNames(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ". Maybe the executor lacks read permission.", e);
        }
    }

    /** The file's text without the trailing newline sysfs adds, or null when the file does not exist. */
    private static String readOptional(Path file) {
        try {
            var text = Files.readString(file).strip();
            return text.isEmpty() ? null : text;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ". Maybe the executor lacks read permission.", e);
        }
    }
}

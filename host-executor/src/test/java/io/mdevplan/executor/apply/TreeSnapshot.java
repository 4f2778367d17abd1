package io.mdevplan.executor.apply;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.sysfs.SysfsLayout;

/**
 * What two runs must agree on, as sorted "path: content" entries: every type's available_instances and devices,
 * every device's entry with its files and links (attributes, instances, type, IOMMU group), and every file under
 * etc/ (the definitions). Links are recorded, not followed, so the walk stays inside each device.
 */
final class TreeSnapshot {

    private TreeSnapshot() {
    }

    static Map<String, String> of(SysfsLayout layout, SysfsFiles files) {
        var snapshot = new TreeMap<String, String>();
        for (var parent : files.list(layout.mdevBus())) {
            for (var type : files.list(layout.supportedTypes(parent))) {
                var key = parent + "/" + type;
                snapshot.put(key + "/available_instances", files.read(layout.typeFile(parent, type,
                        "available_instances")).orElse(null));
                snapshot.put(key + "/devices", files.list(layout.typeFile(parent, type, "devices")).toString());
            }
        }
        for (var uuid : files.list(layout.mdevDevices())) {
            var key = "devices/" + uuid;
            snapshot.put(key, "-> " + files.readLink(layout.device(uuid)).orElse(null));
            walk(files, layout.device(uuid), key, snapshot);
        }
        walk(files, layout.root().resolve("etc"), "etc", snapshot);
        return snapshot;
    }

    private static void walk(SysfsFiles files, Path directory, String key, Map<String, String> snapshot) {
        for (var name : files.list(directory)) {
            var path = directory.resolve(name);
            var childKey = key + "/" + name;
            var link = files.readLink(path);
            if (link.isPresent()) {
                snapshot.put(childKey, "-> " + link.get());
            } else if (files.isDirectory(path)) {
                walk(files, path, childKey, snapshot);
            } else {
                snapshot.put(childKey, content(files, path));
            }
        }
    }

    private static String content(SysfsFiles files, Path file) {
        try {
            return files.read(file).orElse(null);
        } catch (UncheckedIOException e) {
            return "(write-only)";
        }
    }
}

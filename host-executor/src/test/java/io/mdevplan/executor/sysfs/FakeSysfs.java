package io.mdevplan.executor.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds sysfs-like trees under a test directory, shaped as the kernel does: mdev_bus entries are symbolic links
 * into sys/devices, and every type directory has its files. Paths are spelled out rather than taken from
 * {@link SysfsLayout}, so a wrong layout cannot agree with its own fake.
 */
public final class FakeSysfs {

    private final Path root;

    public FakeSysfs(Path root) {
        this.root = root;
    }

    /** The kernel's mtty sample on an empty parent: a 24-port pool, mtty-1 takes 1 port, mtty-2 takes 2. */
    public FakeSysfs mtty() throws IOException {
        var parent = parent("mtty", "sys/devices/virtual/mtty/mtty");
        type(parent, "mtty-1", "Single port serial", "vfio-pci", "24");
        type(parent, "mtty-2", "Dual port serial", "vfio-pci", "12");
        return this;
    }

    /** Registers a parent whose real directory is {@code devicePath}, linked from mdev_bus as sysfs does. */
    public Path parent(String address, String devicePath) throws IOException {
        var dir = Files.createDirectories(root.resolve(devicePath));
        var bus = Files.createDirectories(root.resolve("sys/class/mdev_bus"));
        Files.createSymbolicLink(bus.resolve(address), bus.relativize(dir));
        return dir;
    }

    /** Adds a type directory; a null name or device API leaves that file out, as old drivers do. */
    public Path type(Path parent, String typeId, String name, String deviceApi, String availableInstances)
            throws IOException {
        var dir = Files.createDirectories(parent.resolve("mdev_supported_types").resolve(typeId));
        Files.createDirectories(dir.resolve("devices"));
        Files.writeString(dir.resolve("create"), "");
        if (name != null) {
            Files.writeString(dir.resolve("name"), name + "\n");
        }
        if (deviceApi != null) {
            Files.writeString(dir.resolve("device_api"), deviceApi + "\n");
        }
        if (availableInstances != null) {
            Files.writeString(dir.resolve("available_instances"), availableInstances + "\n");
        }
        return dir;
    }
}

package io.mdevplan.executor.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.mdevplan.executor.files.Errno;
import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.sysfs.AggregationDialect;
import io.mdevplan.executor.sysfs.SysfsLayout;

/**
 * The mdev core and its drivers, in memory, behind the same {@link SysfsFiles} the executor uses on a host: parents
 * whose types draw from shared pools, the core's per-parent device counter, both aggregation dialects, and the errno
 * answers the kernel gives (kernel-lab.md, "What the real kernel does"). Reads and lists give what a real tree gives.
 * Files under {@code etc/} are plain in-memory files. Faults can be injected into any write; every write attempt is
 * logged so that a test can assert that nothing was written. Thread-safe, so that a benchmark may share one.
 */
public final class SimulatedKernel implements SysfsFiles {

    /** The maximum a parent without the core's device counter is given: no limit. */
    public static final long NO_DEVICE_LIMIT = Long.MAX_VALUE;

    private static final Pattern CREATE_PARAMETER = Pattern.compile(",aggregate=([0-9]{1,9})");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");

    private final Path root;
    private final Map<String, Parent> parents = new TreeMap<>();
    /** By the device's (lower-case) UUID, as sys/bus/mdev/devices names it. */
    private final Map<String, Device> devices = new TreeMap<>();
    private final TreeMap<String, String> regularFiles = new TreeMap<>();
    /** The IOMMU groups the devices hold, to hand out the lowest free one as the kernel's IDA does. */
    private final BitSet iommuGroups = new BitSet();
    private final List<Fault> faults = new ArrayList<>();
    private final List<String> writeLog = new ArrayList<>();
    /** Vendor attributes (named relative to the device) that cannot be read back, as many drivers' cannot. */
    private final Set<String> writeOnlyAttributes = new TreeSet<>();

    /** A kernel whose files appear under {@code root}, e.g. the --root given to the executor. */
    public SimulatedKernel(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private static final class Parent {
        final String address;
        final String devicePath;
        final Map<String, Long> pools;
        final long maxDevices;
        final Map<String, SimulatedType> types = new TreeMap<>();
        /** Its devices by UUID, kept beside the host's so that a pool's use is not summed over every device. */
        final Map<String, Device> devices = new TreeMap<>();

        Parent(String address, String devicePath, Map<String, Long> pools, long maxDevices) {
            this.address = address;
            this.devicePath = devicePath;
            this.pools = new LinkedHashMap<>(pools);
            this.maxDevices = maxDevices;
        }
    }

    private static final class Device {
        final String uuid;
        final Parent parent;
        final SimulatedType type;
        final int iommuGroup;
        long instances;
        boolean inUse;
        final Map<String, String> attributeValues = new TreeMap<>();

        Device(String uuid, Parent parent, SimulatedType type, int iommuGroup, long instances) {
            this.uuid = uuid;
            this.parent = parent;
            this.type = type;
            this.iommuGroup = iommuGroup;
            this.instances = instances;
        }
    }

    /** Fails the {@code nth} write (1-based) to a path matching {@code pathRegex} with {@code errno}, once. */
    private static final class Fault {
        final Pattern path;
        final int nth;
        final Errno errno;
        int seen;

        Fault(Pattern path, int nth, Errno errno) {
            this.path = path;
            this.nth = nth;
            this.errno = errno;
        }
    }

    /** One entry of the tree: a directory (children), a file (reader and/or writer), and maybe a link. */
    private record Entry(List<String> children, Supplier<String> reader, Function<String, Errno> writer,
            String linkTarget) {

        static Entry directory(List<String> children) {
            return new Entry(children, null, null, null);
        }

        static Entry file(Supplier<String> reader, Function<String, Errno> writer) {
            return new Entry(null, reader, writer, null);
        }

        boolean isDirectory() {
            return children != null;
        }
    }

    // ---------------------------------------------------------------- building the machine

    /**
     * Registers a parent. {@code devicePath} is where its directory really is (e.g. sys/devices/virtual/mtty/mtty),
     * {@code pools} what its types share, {@code maxDevices} the mdev core's per-parent counter (or
     * {@link #NO_DEVICE_LIMIT}).
     */
    public synchronized SimulatedKernel addParent(String address, String devicePath, Map<String, Long> pools,
            long maxDevices, List<SimulatedType> types) {
        // the names must pass the checks the executor applies, or the executor could never reach the parent
        new SysfsLayout(root).parent(address);
        if (parents.containsKey(address)) {
            throw new IllegalArgumentException("The parent " + address + " is registered twice. Maybe give each"
                    + " simulated parent its own address.");
        }
        if (maxDevices < 0) {
            throw new IllegalArgumentException("The parent " + address + " allows " + maxDevices + " devices."
                    + " Maybe pass SimulatedKernel.NO_DEVICE_LIMIT.");
        }
        var parent = new Parent(address, devicePath, pools, maxDevices);
        for (var type : types) {
            new SysfsLayout(root).typeDir(address, type.id());
            for (var pool : type.costs().keySet()) {
                if (!pools.containsKey(pool)) {
                    throw new IllegalArgumentException("The type " + type.id() + " costs the pool " + pool
                            + ", which the parent " + address + " lacks (it has " + pools.keySet()
                            + "). Maybe add the pool to the parent.");
                }
            }
            if (type.costs().values().stream().allMatch(cost -> cost == 0) && maxDevices == NO_DEVICE_LIMIT) {
                throw new IllegalArgumentException("The type " + type.id() + " costs nothing on " + address
                        + ", which has no device limit, so it could be created without end. Maybe give it a cost"
                        + " or the parent a device limit.");
            }
            parent.types.put(type.id(), type);
        }
        parents.put(address, parent);
        return this;
    }

    /** The kernel's mtty sample: a pool of 24 serial ports, mtty-1 takes 1, mtty-2 takes 2; no description. */
    public SimulatedKernel addMtty() {
        return addParent("mtty", "sys/devices/virtual/mtty/mtty", Map.of("ports", 24L), NO_DEVICE_LIMIT, List.of(
                SimulatedType.of("mtty-1", "Single port serial", Map.of("ports", 1L)),
                SimulatedType.of("mtty-2", "Dual port serial", Map.of("ports", 2L))));
    }

    /** The kernel's mdpy sample: no pools, the core's counter allows 4 devices in all, whatever their types. */
    public SimulatedKernel addMdpy() {
        return addParent("mdpy", "sys/devices/virtual/mdpy/mdpy", Map.of(), 4, List.of(
                SimulatedType.of("mdpy-hd", "1920x1080", Map.of()),
                SimulatedType.of("mdpy-vga", "640x480", Map.of()),
                SimulatedType.of("mdpy-xga", "1024x768", Map.of())));
    }

    /**
     * Intel GVT-g on {@code address}: graphics memory and fences shared by the four types (primer, section 2);
     * {@code i915-GVTg_V5_8} aggregates up to 8 through the {@code mdev/aggregation} attribute.
     */
    public SimulatedKernel addI915(String address) {
        return addParent(address, "sys/devices/pci0000:00/" + address,
                Map.of("low_gm", 512L, "high_gm", 3072L, "fence", 32L), NO_DEVICE_LIMIT, List.of(
                        gvt("i915-GVTg_V5_8", 64, 384, "1024x768", 2).withAggregation(AggregationDialect.ATTRIBUTE, 8),
                        gvt("i915-GVTg_V5_4", 128, 512, "1920x1200", 4),
                        gvt("i915-GVTg_V5_2", 256, 1024, "1920x1200", 8),
                        gvt("i915-GVTg_V5_1", 512, 2048, "1920x1200", 16)));
    }

    private static SimulatedType gvt(String id, long lowGm, long highGm, String resolution, int weight) {
        return SimulatedType.of(id, id.substring("i915-".length()),
                        Map.of("low_gm", lowGm, "high_gm", highGm, "fence", 4L))
                .withDescription("low_gm_size: " + lowGm + "MB\nhigh_gm_size: " + highGm + "MB\nfence: 4\nresolution: "
                        + resolution + "\nweight: " + weight + "\n");
    }

    /**
     * Intel DSA through idxd on {@code address}: 8 work queues and 4 engines; the dedicated-queue type aggregates up
     * to 4 through the attribute, the shared-queue type up to 2 through the create parameter.
     */
    public SimulatedKernel addIdxd(String address) {
        return addParent(address, "sys/devices/pci0000:6a/" + address, Map.of("wq", 8L, "engines", 4L),
                NO_DEVICE_LIMIT, List.of(
                        SimulatedType.of("idxd-dsa-1dwq-v1", "DSA dedicated work queue",
                                Map.of("wq", 1L, "engines", 1L)).withAggregation(AggregationDialect.ATTRIBUTE, 4),
                        SimulatedType.of("idxd-dsa-1swq-v1", "DSA shared work queue", Map.of("wq", 1L))
                                .withAggregation(AggregationDialect.CREATE_PARAMETER, 2)));
    }

    // ---------------------------------------------------------------- the test's hands on the machine

    /** Makes the next writes fail: the {@code nth} write (1-based) to a path (relative to the root) matching. */
    public synchronized SimulatedKernel failWrite(String pathRegex, int nth, Errno errno) {
        if (nth < 1) {
            throw new IllegalArgumentException("A fault on the " + nth + "th write can never happen. Maybe count"
                    + " writes from 1.");
        }
        faults.add(new Fault(Pattern.compile(pathRegex), nth, errno));
        return this;
    }

    /** Makes these vendor attributes of every device write-only: reading one fails with EACCES. */
    public synchronized SimulatedKernel makeWriteOnly(Collection<String> attributes) {
        writeOnlyAttributes.addAll(attributes);
        return this;
    }

    /** Marks a device as opened by a VM: the driver then refuses removal and aggregation changes with EBUSY. */
    public synchronized SimulatedKernel setInUse(String uuid, boolean inUse) {
        var device = devices.get(uuid);
        if (device == null) {
            throw new IllegalArgumentException("There is no simulated device " + uuid + " (there are "
                    + devices.keySet() + "). Maybe create it first, in lower case.");
        }
        device.inUse = inUse;
        return this;
    }

    /** Every write attempted, in order: "write PATH TEXT -> OK|ERRNO" or "delete PATH -> OK|ERRNO". */
    public synchronized List<String> writeLog() {
        return List.copyOf(writeLog);
    }

    /** The UUIDs of the devices that exist, sorted. */
    public synchronized List<String> deviceUuids() {
        return List.copyOf(devices.keySet());
    }

    /**
     * What the devices take of each parent's pools, by parent address and pool name, read from the kernel's own
     * books rather than from available_instances, so that a test can compare the capacity in use before and after.
     */
    public synchronized Map<String, Map<String, Long>> poolUse() {
        var use = new TreeMap<String, Map<String, Long>>();
        for (var parent : parents.values()) {
            var pools = new TreeMap<String, Long>();
            for (var pool : parent.pools.keySet()) {
                pools.put(pool, parent.pools.get(pool) - free(parent, pool));
            }
            use.put(parent.address, pools);
        }
        return use;
    }

    // ---------------------------------------------------------------- SysfsFiles

    @Override
    public synchronized Optional<String> read(Path file) {
        var entry = resolve(file);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.isDirectory()) {
            throw readFailure(file, Errno.EISDIR);
        }
        if (entry.reader() == null) {
            // kernfs refuses to open a file without a show method for reading, even for root
            throw readFailure(file, Errno.EACCES);
        }
        return Optional.of(entry.reader().get());
    }

    @Override
    public synchronized List<String> list(Path directory) {
        var entry = resolve(directory);
        if (entry == null) {
            return List.of();
        }
        if (!entry.isDirectory()) {
            throw new UncheckedIOException("Cannot list " + directory + ". Maybe it is a file, not a directory.",
                    new IOException(Errno.ENOTDIR.strerror()));
        }
        return entry.children().stream().sorted().toList();
    }

    @Override
    public synchronized Optional<Path> readLink(Path link) {
        var entry = resolve(link);
        return entry == null || entry.linkTarget() == null ? Optional.empty()
                : Optional.of(Path.of(entry.linkTarget()));
    }

    @Override
    public synchronized boolean exists(Path path) {
        return resolve(path) != null;
    }

    @Override
    public synchronized boolean isDirectory(Path path) {
        var entry = resolve(path);
        return entry != null && entry.isDirectory();
    }

    @Override
    public synchronized void write(Path file, String text) throws SysfsWriteException {
        var relative = relative(file);
        var errno = injectedFault(relative);
        if (errno == null) {
            var entry = resolve(file);
            if (entry == null) {
                errno = Errno.ENOENT;
            } else if (entry.isDirectory()) {
                errno = Errno.EISDIR;
            } else if (entry.writer() == null) {
                errno = Errno.EACCES;
            } else {
                errno = entry.writer().apply(text);
            }
        }
        writeLog.add("write " + relative + " " + text + " -> " + (errno == null ? "OK" : errno.name()));
        if (errno != null) {
            throw new SysfsWriteException(file, text, errno, errno.strerror());
        }
    }

    @Override
    public synchronized void writeRegularFile(Path file, String text) throws SysfsWriteException {
        var relative = relative(file);
        var errno = injectedFault(relative);
        if (errno == null && (relative == null || !relative.startsWith("etc/"))) {
            // sysfs and paths outside the root take no new files
            errno = Errno.EACCES;
        }
        writeLog.add("write " + relative + " " + text + " -> " + (errno == null ? "OK" : errno.name()));
        if (errno != null) {
            throw new SysfsWriteException(file, text, errno, errno.strerror());
        }
        regularFiles.put(relative, text);
    }

    @Override
    public synchronized void deleteRegularFile(Path file) throws SysfsWriteException {
        var relative = relative(file);
        var errno = injectedFault(relative);
        writeLog.add("delete " + relative + " -> " + (errno == null ? "OK" : errno.name()));
        if (errno != null) {
            throw new SysfsWriteException(file, null, errno, errno.strerror());
        }
        if (relative != null) {
            regularFiles.remove(relative);
        }
    }

    private static UncheckedIOException readFailure(Path file, Errno errno) {
        return new UncheckedIOException("Cannot read " + file + ": " + errno + ". Maybe it is write-only or a"
                + " directory.", new IOException(errno.strerror()));
    }

    /** The errno of the fault this write triggers, or null; counts the write for every matching fault. */
    private Errno injectedFault(String relative) {
        Errno triggered = null;
        for (var fault : faults) {
            if (relative != null && fault.path.matcher(relative).matches() && ++fault.seen == fault.nth
                    && triggered == null) {
                triggered = fault.errno;
            }
        }
        return triggered;
    }

    // ---------------------------------------------------------------- the kernel's answers to writes

    /** mdev core create_store, then the driver's probe: parse, duplicate, counter, pools; in that order. */
    private Errno create(Parent parent, SimulatedType type, String text) {
        var instances = 1L;
        String uuid;
        var body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (type.aggregation().dialect() == AggregationDialect.CREATE_PARAMETER && body.length() > 36) {
            var parameter = CREATE_PARAMETER.matcher(body.substring(36));
            if (!parameter.matches()) {
                return Errno.EINVAL;
            }
            instances = Long.parseLong(parameter.group(1));
            if (instances < 1 || instances > type.aggregation().max()) {
                return Errno.EINVAL;
            }
            uuid = body.substring(0, 36);
        } else {
            // an unpatched core takes 36 characters and tolerates exactly one more (the newline of echo)
            if (text.length() < 36 || text.length() > 37) {
                return Errno.EINVAL;
            }
            uuid = text.substring(0, 36);
        }
        if (!SysfsLayout.isUuid(uuid)) {
            return Errno.EINVAL;
        }
        uuid = uuid.toLowerCase(Locale.ROOT);
        if (devices.containsKey(uuid)) {
            return Errno.EEXIST;
        }
        if (parent.maxDevices != NO_DEVICE_LIMIT && devicesOf(parent).size() >= parent.maxDevices) {
            return Errno.EUSERS;
        }
        if (!fits(parent, type, instances)) {
            return Errno.ENOSPC;
        }
        // vfio gives every mdev device an IOMMU group of its own
        var group = iommuGroups.nextClearBit(0);
        iommuGroups.set(group);
        var device = new Device(uuid, parent, type, group, instances);
        devices.put(uuid, device);
        parent.devices.put(uuid, device);
        return null;
    }

    /** remove_store: a non-zero number removes, zero does nothing, anything else is EINVAL; a VM's device is busy. */
    private Errno remove(Device device, String text) {
        var value = text.strip();
        if (!DECIMAL.matcher(value).matches()) {
            return Errno.EINVAL;
        }
        if (Long.parseLong(value) == 0) {
            return null;
        }
        if (device.inUse) {
            return Errno.EBUSY;
        }
        devices.remove(device.uuid);
        device.parent.devices.remove(device.uuid);
        iommuGroups.clear(device.iommuGroup);
        return null;
    }

    /** The attribute dialect's mdev/aggregation: 1..max, not while in use, and only with room for the growth. */
    private Errno aggregate(Device device, String text) {
        var value = text.strip();
        if (!DECIMAL.matcher(value).matches()) {
            return Errno.EINVAL;
        }
        var wanted = Long.parseLong(value);
        if (wanted < 1 || wanted > device.type.aggregation().max()) {
            return Errno.EINVAL;
        }
        if (device.inUse) {
            return Errno.EBUSY;
        }
        if (wanted > device.instances && !fits(device.parent, device.type, wanted - device.instances)) {
            return Errno.ENOSPC;
        }
        device.instances = wanted;
        return null;
    }

    private boolean fits(Parent parent, SimulatedType type, long instances) {
        for (var cost : type.costs().entrySet()) {
            if (cost.getValue() * instances > free(parent, cost.getKey())) {
                return false;
            }
        }
        return true;
    }

    private long free(Parent parent, String pool) {
        var used = 0L;
        for (var device : devicesOf(parent)) {
            used += device.instances * device.type.costs().getOrDefault(pool, 0L);
        }
        return parent.pools.get(pool) - used;
    }

    /** What available_instances reads: the least any pool allows, and the core's counter where the parent has one. */
    private long available(Parent parent, SimulatedType type) {
        var available = Long.MAX_VALUE;
        for (var cost : type.costs().entrySet()) {
            if (cost.getValue() > 0) {
                available = Math.min(available, free(parent, cost.getKey()) / cost.getValue());
            }
        }
        if (parent.maxDevices != NO_DEVICE_LIMIT) {
            available = Math.min(available, parent.maxDevices - devicesOf(parent).size());
        }
        return available;
    }

    private List<Device> devicesOf(Parent parent) {
        return List.copyOf(parent.devices.values());
    }

    // ---------------------------------------------------------------- the tree

    private String relative(Path path) {
        var normalized = path.toAbsolutePath().normalize();
        return normalized.startsWith(root) ? root.relativize(normalized).toString() : null;
    }

    private Entry resolve(Path path) {
        var relative = relative(path);
        if (relative == null) {
            return null;
        }
        var parts = relative.isEmpty() ? List.<String>of() : Arrays.asList(relative.split("/"));
        if (parts.isEmpty()) {
            return Entry.directory(List.of("etc", "sys"));
        }
        if (parts.get(0).equals("sys")) {
            return resolveSys(parts);
        }
        if (parts.get(0).equals("etc")) {
            return resolveRegular(relative);
        }
        return null;
    }

    private Entry resolveSys(List<String> parts) {
        var size = parts.size();
        if (size == 1) {
            return Entry.directory(List.of("bus", "class"));
        }
        if (parts.get(1).equals("class")) {
            if (size == 2) {
                return Entry.directory(List.of("mdev_bus"));
            }
            if (!parts.get(2).equals("mdev_bus")) {
                return null;
            }
            if (size == 3) {
                return Entry.directory(List.copyOf(parents.keySet()));
            }
            var parent = parents.get(parts.get(3));
            return parent == null ? null : resolveParent(parent, parts.subList(4, size));
        }
        if (parts.get(1).equals("bus")) {
            var fixed = List.of("bus", "mdev", "devices");
            for (var i = 2; i < Math.min(size, 4); i++) {
                if (!parts.get(i).equals(fixed.get(i - 1))) {
                    return null;
                }
            }
            if (size < 4) {
                return Entry.directory(List.of(fixed.get(size - 1)));
            }
            if (size == 4) {
                return Entry.directory(List.copyOf(devices.keySet()));
            }
            var device = devices.get(parts.get(4));
            if (device == null) {
                return null;
            }
            if (size == 5) {
                return new Entry(deviceChildren(device, ""), null, null,
                        "../../../" + device.parent.devicePath.substring("sys/".length()) + "/" + device.uuid);
            }
            return resolveDevice(device, parts.subList(5, size));
        }
        return null;
    }

    private Entry resolveParent(Parent parent, List<String> rest) {
        if (rest.isEmpty()) {
            var children = new ArrayList<String>();
            children.add("mdev_supported_types");
            devicesOf(parent).forEach(device -> children.add(device.uuid));
            return new Entry(children, null, null, "../../" + parent.devicePath.substring("sys/".length()));
        }
        if (!rest.get(0).equals("mdev_supported_types")) {
            // the parent's own directory holds its devices' real directories
            var device = devices.get(rest.get(0));
            return device == null || device.parent != parent ? null
                    : resolveDevice(device, rest.subList(1, rest.size()));
        }
        if (rest.size() == 1) {
            return Entry.directory(List.copyOf(parent.types.keySet()));
        }
        var type = parent.types.get(rest.get(1));
        return type == null ? null : resolveType(parent, type, rest.subList(2, rest.size()));
    }

    private Entry resolveType(Parent parent, SimulatedType type, List<String> rest) {
        if (rest.isEmpty()) {
            var children = new ArrayList<>(List.of("available_instances", "create", "devices"));
            if (type.name() != null) {
                children.add("name");
            }
            if (type.deviceApi() != null) {
                children.add("device_api");
            }
            if (type.renderedDescription() != null) {
                children.add("description");
            }
            if (type.aggregation().dialect() == AggregationDialect.CREATE_PARAMETER) {
                children.add("aggregation");
            }
            return Entry.directory(children);
        }
        if (rest.get(0).equals("devices")) {
            var ofType = devicesOf(parent).stream().filter(device -> device.type == type).toList();
            if (rest.size() == 1) {
                return Entry.directory(ofType.stream().map(device -> device.uuid).toList());
            }
            var device = devices.get(rest.get(1));
            if (device == null || !ofType.contains(device)) {
                return null;
            }
            return rest.size() == 2
                    ? new Entry(deviceChildren(device, ""), null, null, "../../../" + device.uuid)
                    : resolveDevice(device, rest.subList(2, rest.size()));
        }
        if (rest.size() > 1) {
            return null;
        }
        switch (rest.get(0)) {
            case "name":
                return text(type.name());
            case "device_api":
                return text(type.deviceApi());
            case "description":
                var description = type.renderedDescription();
                return description == null ? null : Entry.file(() -> description, null);
            case "available_instances":
                return Entry.file(() -> available(parent, type) + "\n", null);
            case "aggregation":
                return type.aggregation().dialect() == AggregationDialect.CREATE_PARAMETER
                        ? Entry.file(() -> type.aggregation().max() + "\n", null)
                        : null;
            case "create":
                return Entry.file(null, text -> create(parent, type, text));
            default:
                return null;
        }
    }

    private static Entry text(String value) {
        return value == null ? null : Entry.file(() -> value + "\n", null);
    }

    /** The device's files by their names relative to its directory; directories are what their names imply. */
    private Map<String, Entry> deviceFiles(Device device) {
        var files = new TreeMap<String, Entry>();
        var type = device.type;
        files.put("mdev_type", new Entry(resolveType(device.parent, type, List.of()).children(), null, null,
                "../mdev_supported_types/" + type.id()));
        files.put("remove", Entry.file(null, text -> remove(device, text)));
        // from the device's real directory (under the parent's) up to sys/, then into sys/kernel/iommu_groups
        var up = "../".repeat(device.parent.devicePath.split("/").length);
        files.put("iommu_group", new Entry(List.of(), null, null, up + "kernel/iommu_groups/" + device.iommuGroup));
        if (type.aggregation().dialect() == AggregationDialect.CREATE_PARAMETER) {
            files.put("aggregated_instances", Entry.file(() -> device.instances + "\n", null));
        }
        if (type.aggregation().dialect() == AggregationDialect.ATTRIBUTE) {
            files.put("mdev/aggregation", Entry.file(() -> device.instances + "\n", text -> aggregate(device, text)));
        }
        for (var attribute : type.attributes()) {
            Supplier<String> reader = writeOnlyAttributes.contains(attribute) ? null
                    : () -> device.attributeValues.getOrDefault(attribute, "") + "\n";
            files.put(attribute, Entry.file(reader, text -> {
                device.attributeValues.put(attribute, text.strip());
                return null;
            }));
        }
        return files;
    }

    private List<String> deviceChildren(Device device, String prefix) {
        return childrenOf(deviceFiles(device).keySet(), prefix);
    }

    private Entry resolveDevice(Device device, List<String> rest) {
        var name = String.join("/", rest);
        if (name.isEmpty()) {
            return Entry.directory(deviceChildren(device, ""));
        }
        var files = deviceFiles(device);
        var file = files.get(name);
        if (file != null) {
            return file;
        }
        var children = childrenOf(files.keySet(), name + "/");
        return children.isEmpty() ? null : Entry.directory(children);
    }

    private Entry resolveRegular(String relative) {
        var content = regularFiles.get(relative);
        if (content != null) {
            return Entry.file(() -> content, text -> {
                regularFiles.put(relative, text);
                return null;
            });
        }
        var children = regularChildren(relative + "/");
        return children.isEmpty() && !relative.equals("etc") ? null : Entry.directory(children);
    }

    /**
     * The entries of a directory of regular files. The names under it sort together, and each child directory's
     * subtree too, so the walk jumps from child to child: listing etc/mdevctl.d must not scan every definition.
     */
    private List<String> regularChildren(String prefix) {
        var children = new TreeSet<String>();
        for (var name = regularFiles.ceilingKey(prefix); name != null && name.startsWith(prefix); ) {
            var rest = name.substring(prefix.length());
            var slash = rest.indexOf('/');
            var child = slash < 0 ? rest : rest.substring(0, slash);
            children.add(child);
            // past a directory's subtree; a file's next sibling may be "<file>.x", which sorts before "<file>/"
            name = regularFiles.higherKey(slash < 0 ? name : prefix + child + "/" + Character.MAX_VALUE);
        }
        return List.copyOf(children);
    }

    /** The first name part after {@code prefix} of every name that starts with it, each once. */
    private static List<String> childrenOf(Iterable<String> names, String prefix) {
        var children = new TreeSet<String>();
        for (var name : names) {
            if (name.startsWith(prefix)) {
                var rest = name.substring(prefix.length());
                var slash = rest.indexOf('/');
                children.add(slash < 0 ? rest : rest.substring(0, slash));
            }
        }
        return List.copyOf(children);
    }
}

package io.mdevplan.executor.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.sysfs.SysfsInventoryReader;
import io.mdevplan.executor.sysfs.SysfsLayout;
import io.mdevplan.executor.sysfs.TypeAggregation;
import io.mdevplan.planner.capacity.DeviceObservation;
import io.mdevplan.planner.capacity.InferredCapacity;
import io.mdevplan.planner.capacity.PoolInference;
import io.mdevplan.planner.capacity.TypeObservation;
import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.SysfsNames;

/**
 * This host in the fleet document's host shape, which {@code PUT /api/v1/hosts/{name}/inventory} takes: each parent
 * with the pools and costs the planner's {@link PoolInference} derives from what sysfs shows (descriptions and
 * available_instances), its types with their aggregation, and the devices that exist. Only reads, so that an agent
 * may call it whenever it reports; every file access goes through the given {@link SysfsFiles}.
 */
public final class HostInventory {

    private final SysfsLayout layout;
    private final SysfsFiles files;
    private final SysfsInventoryReader reader;

    public HostInventory(SysfsLayout layout, SysfsFiles files) {
        this.layout = layout;
        this.files = files;
        this.reader = new SysfsInventoryReader(layout, files);
    }

    /** The name in {@code <root>/etc/hostname}, trimmed; empty when the file is missing or blank. */
    public Optional<String> hostName() {
        return files.read(layout.hostnameFile()).map(String::strip).filter(name -> !name.isEmpty());
    }

    /**
     * The host named {@code hostName} with every parent under mdev_bus, in address order. A parent that holds no
     * device and whose types all show 0 available is left out: it has no capacity to describe, and the fleet format
     * wants every pool to hold something. Types the inferred model cannot create (a type showing 0 on an empty
     * parent, the other types of a parent locked to one type) are left out for the same reason.
     *
     * @throws IllegalArgumentException when {@code hostName} is no safe path component
     * @throws IllegalStateException    when a parent's observations fit no capacity model (e.g. read while another
     *                                  process created a device), or a file does not read as sysfs prints it
     */
    public FleetHost read(String hostName) {
        var unsafe = SysfsNames.whyUnsafe(hostName);
        if (unsafe.isPresent()) {
            throw new IllegalArgumentException("The host name \"" + hostName + "\" " + unsafe.get()
                    + ". Maybe give the name the service knows the host by, e.g. node-01.");
        }
        var parents = new ArrayList<FleetParent>();
        for (var address : files.list(layout.mdevBus())) {
            parent(address).ifPresent(parents::add);
        }
        return new FleetHost(hostName, null, null, parents);
    }

    /** The type's description without sysfs' trailing newline; null when the driver prints none. */
    private static String description(TypeObservation type) {
        return type.description() == null || type.description().isBlank() ? null : type.description().stripTrailing();
    }

    private Optional<FleetParent> parent(String address) {
        var typeIds = files.list(layout.supportedTypes(address));
        var types = new ArrayList<TypeObservation>();
        var devices = new ArrayList<DeviceObservation>();
        for (var typeId : typeIds) {
            types.add(observe(address, typeId));
            for (var uuid : files.list(layout.typeFile(address, typeId, "devices"))) {
                devices.add(new DeviceObservation(uuid, typeId, instances(uuid)));
            }
        }
        if (devices.isEmpty() && types.stream().allMatch(type -> type.availableInstances() == 0)) {
            return Optional.empty();
        }
        var driver = driver(address, typeIds);
        InferredCapacity capacity;
        try {
            capacity = PoolInference.infer(driver, types, devices);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The pools of parent " + address + " (driver " + driver + ") cannot be"
                    + " inferred from what sysfs shows: " + e.getMessage() + ".", e);
        }
        var fleetTypes = new ArrayList<FleetType>();
        for (var type : types) {
            var cost = capacity.costs().get(type.id());
            if (cost != null) {
                var aggregation = reader.aggregation(address, type.id());
                fleetTypes.add(new FleetType(type.id(), type.name(), type.deviceApi().isEmpty() ? null
                        : type.deviceApi(), cost, aggregation(aggregation), maxAggregation(aggregation),
                        description(type), type.availableInstances()));
            }
        }
        var fleetDevices = devices.stream()
                .sorted(Comparator.comparing(DeviceObservation::uuid))
                .map(device -> new FleetDevice(device.uuid(), device.type(), device.instances(), null))
                .toList();
        return Optional.of(new FleetParent(address, driver, capacity.mixedTypes(), capacity.pools(), fleetTypes,
                fleetDevices));
    }

    private TypeObservation observe(String address, String typeId) {
        var name = files.read(layout.typeFile(address, typeId, "name")).map(String::strip)
                .filter(text -> !text.isEmpty()).orElse(null);
        var description = files.read(layout.typeFile(address, typeId, "description")).orElse(null);
        // the mdev core gives every type a device_api; the inference does not use it, so a tree without it still reads
        var deviceApi = files.read(layout.typeFile(address, typeId, "device_api")).map(String::strip).orElse("");
        return new TypeObservation(typeId, name, description, deviceApi, reader.availableInstances(address, typeId));
    }

    private int instances(String uuid) {
        var instances = reader.deviceInstances(uuid);
        if (instances < 1 || instances > Integer.MAX_VALUE) {
            throw new IllegalStateException("The device " + uuid + " says it holds " + instances + " instances."
                    + " Maybe its driver's aggregation support is broken; remove the device.");
        }
        return (int) instances;
    }

    /**
     * The bound driver's name, else the type ids' prefix: the mdev core names types {@code <driver>-<type>}, and the
     * kernel's sample parents (mtty, mbochs, mdpy) are bound to no driver. The inference picks the description
     * format by it.
     */
    private String driver(String address, List<String> typeIds) {
        var link = files.readLink(layout.parentDriver(address)).map(target -> target.getFileName());
        if (link.isPresent()) {
            return link.get().toString();
        }
        var typeId = typeIds.get(0);
        var dash = typeId.indexOf('-');
        return dash > 0 ? typeId.substring(0, dash) : typeId;
    }

    /** Left out (the format's default, none) for a type that does not aggregate. */
    private static Aggregation aggregation(TypeAggregation aggregation) {
        switch (aggregation.dialect()) {
            case CREATE_PARAMETER:
                return Aggregation.CREATE_PARAM;
            case ATTRIBUTE:
                return Aggregation.ATTRIBUTE;
            default:
                return null;
        }
    }

    /** Left out (the format's default, 1) for a type that does not aggregate. */
    private static Integer maxAggregation(TypeAggregation aggregation) {
        return aggregation.equals(TypeAggregation.NONE) ? null : aggregation.max();
    }
}

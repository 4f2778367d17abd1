package io.mdevplan.planner.capacity;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Infers the capacity model of one parent (see {@link InferredCapacity}) from what sysfs shows: its types with
 * their descriptions and availabilities, and its existing devices. See docs/capacity-inference.md.
 */
public final class PoolInference {

    /** Largest pool, in units, the maxima method will produce; beyond it the observations are not believable. */
    public static final long MAX_POOL_UNITS = 1_000_000;

    /** Prefix of the per-type pool that caps an NVIDIA type at its max_instance. */
    public static final String INSTANCE_CAP_POOL_PREFIX = "instances:";

    private PoolInference() {
    }

    /**
     * @param driver  the parent's driver, e.g. "i915", "nvidia", "mbochs", "mtty", "mdpy"; it selects the
     *                description format, and unknown drivers use the maxima method
     * @param types   every type of the parent
     * @param devices every existing device of the parent
     * @throws IllegalArgumentException when the observations are malformed or no model reproduces them
     */
    public static InferredCapacity infer(String driver, List<TypeObservation> types, List<DeviceObservation> devices) {
        Objects.requireNonNull(driver, "driver");
        var snapshot = Snapshot.of(types, devices);
        var format = DescriptionFormat.forDriver(driver);
        if (format.isEmpty()) {
            return fromMaxima(driver, snapshot, "maxima");
        }
        var costs = new TreeMap<String, Map<String, Long>>();
        for (var type : types) {
            var cost = format.get().costs(type.description());
            if (cost.isEmpty()) {
                return fromMaxima(driver, snapshot, "maxima (the description of " + type.id()
                        + " is not in the " + format.get().label() + " format)");
            }
            costs.put(type.id(), cost.get());
        }
        return fromDescriptions(format.get(), types, costs, snapshot);
    }

    /**
     * How many more instances of each type in {@code capacity.costs()} could be created with {@code devices}
     * in place. A parent that does not mix types shows 0 for every other type once it holds a device.
     *
     * @throws IllegalArgumentException when a device's type has no cost in the model
     */
    public static Map<String, Long> predictAvailable(InferredCapacity capacity, List<DeviceObservation> devices) {
        var used = new TreeMap<String, Long>();
        var typesInUse = new HashSet<String>();
        for (var device : devices) {
            var cost = capacity.costs().get(device.type());
            if (cost == null) {
                throw new IllegalArgumentException("device " + device.uuid() + " has type " + device.type()
                        + ", which the model has no cost for (types " + capacity.costs().keySet() + "). Maybe the"
                        + " type showed 0 on an empty parent, or the device belongs to another parent");
            }
            cost.forEach((pool, amount) ->
                    used.merge(pool, Math.multiplyExact(amount, (long) device.instances()), Math::addExact));
            typesInUse.add(device.type());
        }
        var available = new TreeMap<String, Long>();
        capacity.costs().forEach((type, cost) -> {
            var lockedOut = !capacity.mixedTypes() && !typesInUse.isEmpty() && !typesInUse.contains(type);
            available.put(type, lockedOut ? 0 : fits(cost, capacity.pools(), used));
        });
        return available;
    }

    private static long fits(Map<String, Long> cost, Map<String, Long> pools, Map<String, Long> used) {
        var fits = Long.MAX_VALUE;
        for (var entry : cost.entrySet()) {
            var free = Math.max(0, pools.get(entry.getKey()) - used.getOrDefault(entry.getKey(), 0L));
            fits = Math.min(fits, free / entry.getValue());
        }
        return fits;
    }

    private static InferredCapacity fromDescriptions(DescriptionFormat format, List<TypeObservation> types,
                                                     Map<String, Map<String, Long>> costs, Snapshot snapshot) {
        // pool = what the devices use + the largest free amount any type reveals (available x cost)
        var pools = new TreeMap<String, Long>();
        costs.forEach((type, cost) -> cost.forEach((pool, amount) ->
                pools.merge(pool, snapshot.available().get(type) * amount, Math::max)));
        snapshot.instancesInUse().forEach((type, instances) -> costs.get(type).forEach((pool, amount) ->
                pools.merge(pool, Math.multiplyExact(instances, amount), Math::addExact)));
        var method = "description:" + format.label();
        if (format == DescriptionFormat.NVIDIA_VGPU) {
            addNvidiaMaxInstances(types, costs, pools);
            return checked(new InferredCapacity(pools, costs, nvidiaMixesTypes(snapshot), method), snapshot);
        }
        var mixed = new InferredCapacity(pools, costs, true, method);
        if (mismatch(mixed, snapshot).isEmpty() || !snapshot.onlyDeviceTypeAvailable()) {
            return checked(mixed, snapshot);
        }
        // The zeros are not explained by the pools: creating a device of one type locked out the others.
        return checked(new InferredCapacity(pools, costs, false, method), snapshot);
    }

    /**
     * An NVIDIA type fits at most max_instance times even where the framebuffer would hold more (e.g. RTX A6000
     * 1Q: 32 of 48 GiB). The framebuffer pool is at least max_instance x framebuffer of every type, and a type
     * whose max_instance is below what the framebuffer holds also draws 1 per instance from a pool of its own.
     */
    private static void addNvidiaMaxInstances(List<TypeObservation> types, Map<String, Map<String, Long>> costs,
                                              Map<String, Long> pools) {
        var maxInstances = new LinkedHashMap<String, Long>();
        for (var type : types) {
            var maxInstance = DescriptionParsers.nvidiaMaxInstance(type.description());
            if (maxInstance.isPresent()) {
                maxInstances.put(type.id(), maxInstance.getAsLong());
                var framebuffer = costs.get(type.id()).get(DescriptionParsers.FRAMEBUFFER);
                pools.merge(DescriptionParsers.FRAMEBUFFER, maxInstance.getAsLong() * framebuffer, Math::max);
            }
        }
        var framebufferPool = pools.get(DescriptionParsers.FRAMEBUFFER);
        maxInstances.forEach((type, maxInstance) -> {
            var cost = costs.get(type);
            if (maxInstance < framebufferPool / cost.get(DescriptionParsers.FRAMEBUFFER)) {
                var capPool = INSTANCE_CAP_POOL_PREFIX + type;
                pools.put(capPool, maxInstance);
                var capped = new TreeMap<>(cost);
                capped.put(capPool, 1L);
                costs.put(type, capped);
            }
        });
    }

    /**
     * NVIDIA's default equal-size mode holds one type per GPU: once a device exists the other types show 0.
     * Devices of two types, or another type still available next to a device, show mixed-size mode.
     */
    private static boolean nvidiaMixesTypes(Snapshot snapshot) {
        var typesInUse = snapshot.instancesInUse().keySet();
        if (typesInUse.size() > 1) {
            return true;
        }
        return !typesInUse.isEmpty() && snapshot.available().entrySet().stream()
                .anyMatch(entry -> !typesInUse.contains(entry.getKey()) && entry.getValue() > 0);
    }

    private static InferredCapacity fromMaxima(String driver, Snapshot snapshot, String method) {
        var poolName = driver.trim().toLowerCase(Locale.ROOT).equals("mtty") ? "ports" : "instances";
        if (snapshot.instancesInUse().isEmpty()) {
            var pool = SinglePoolSearch.emptyParent(snapshot.available(), MAX_POOL_UNITS);
            return checked(singlePool(poolName, pool, true, method), snapshot);
        }
        if (snapshot.lockedToOneType()) {
            // Only the type in use can be modelled; the others' costs are hidden while they show 0.
            var type = snapshot.instancesInUse().keySet().iterator().next();
            var pool = SinglePoolSearch.withDevices(Map.of(type, snapshot.available().get(type)),
                    snapshot.instancesInUse(), MAX_POOL_UNITS);
            return checked(singlePool(poolName, pool, false, method), snapshot);
        }
        var pool = SinglePoolSearch.withDevices(snapshot.available(), snapshot.instancesInUse(), MAX_POOL_UNITS);
        return checked(singlePool(poolName, pool, true, method), snapshot);
    }

    private static InferredCapacity singlePool(String poolName, SinglePoolSearch.SinglePool pool, boolean mixedTypes,
                                               String method) {
        var costs = new TreeMap<String, Map<String, Long>>();
        pool.costs().forEach((type, cost) -> costs.put(type, Map.of(poolName, cost)));
        return new InferredCapacity(Map.of(poolName, pool.capacity()), costs, mixedTypes, method);
    }

    /** Returns the model if it predicts exactly what the parent shows, else throws naming the first difference. */
    private static InferredCapacity checked(InferredCapacity capacity, Snapshot snapshot) {
        mismatch(capacity, snapshot).ifPresent(message -> {
            throw new IllegalArgumentException(message + " (model: pools " + capacity.pools() + ", costs "
                    + capacity.costs() + ", mixedTypes " + capacity.mixedTypes() + ", " + capacity.method()
                    + "). Maybe the snapshot raced with a create or remove (read types and devices again), or the"
                    + " driver reserves resources its description does not show");
        });
        return capacity;
    }

    private static Optional<String> mismatch(InferredCapacity capacity, Snapshot snapshot) {
        var predicted = predictAvailable(capacity, snapshot.devices());
        for (var entry : snapshot.available().entrySet()) {
            var expected = predicted.getOrDefault(entry.getKey(), 0L);
            if (expected.longValue() != entry.getValue()) {
                return Optional.of("type " + entry.getKey() + " shows " + entry.getValue()
                        + " available but the model predicts " + expected);
            }
        }
        return Optional.empty();
    }

    /** The validated observations of one parent. */
    private record Snapshot(Map<String, Long> available, Map<String, Long> instancesInUse,
                            List<DeviceObservation> devices) {

        static Snapshot of(List<TypeObservation> types, List<DeviceObservation> devices) {
            Objects.requireNonNull(types, "types");
            Objects.requireNonNull(devices, "devices");
            var available = new TreeMap<String, Long>();
            for (var type : types) {
                if (available.put(type.id(), type.availableInstances()) != null) {
                    throw new IllegalArgumentException("type " + type.id() + " appears twice. Maybe the types of"
                            + " two parents were merged");
                }
            }
            var instancesInUse = new TreeMap<String, Long>();
            var uuids = new TreeSet<String>();
            for (var device : devices) {
                if (!available.containsKey(device.type())) {
                    throw new IllegalArgumentException("device " + device.uuid() + " has type " + device.type()
                            + ", which the parent does not offer (types " + available.keySet() + "). Maybe the"
                            + " device belongs to another parent");
                }
                if (!uuids.add(device.uuid().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("device " + device.uuid() + " appears twice. Maybe the"
                            + " device list was read twice");
                }
                instancesInUse.merge(device.type(), (long) device.instances(), Math::addExact);
            }
            return new Snapshot(available, instancesInUse, List.copyOf(devices));
        }

        /** All devices are of one type, which still shows availability, and every other type shows 0. */
        boolean onlyDeviceTypeAvailable() {
            if (instancesInUse.size() != 1 || available.size() < 2) {
                return false;
            }
            var type = instancesInUse.keySet().iterator().next();
            return available.get(type) > 0 && available.entrySet().stream()
                    .allMatch(entry -> entry.getKey().equals(type) || entry.getValue() == 0);
        }

        /**
         * Without descriptions, zeros next to an available device type are taken as an exclusive parent only when
         * at least as much is free as is used: in a shared pool every other type would then have to exceed half
         * the parent. (The last free slot of a shared pool, e.g. mtty 23 ports used: 1 / 0, is not evidence.)
         */
        boolean lockedToOneType() {
            if (!onlyDeviceTypeAvailable()) {
                return false;
            }
            var type = instancesInUse.keySet().iterator().next();
            return available.get(type) >= instancesInUse.get(type);
        }
    }
}

package io.mdevplan.planner.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetType;

/**
 * The driver families a generated fleet is made of, each modelled the way its kernel driver shares one parent among
 * its types (primer, section 2): the pools, what one instance of each type costs, whether types mix on a parent, and
 * how often workloads ask for each type.
 */
enum DriverFamily {

    /**
     * Intel GVT-g: graphics memory (low/high, MB) and fences. The low_gm pool binds: 512 MB of it gives 8, 4, 2 and 1
     * instances of _8, _4, _2 and _1 on an empty parent, as the driver's available_instances reads.
     */
    I915("i915", true, pools("low_gm", 512L, "high_gm", 3072L, "fence", 32L),
            List.of(
                    type("i915-GVTg_V5_8", "GVTg_V5_8", pools("low_gm", 64L, "high_gm", 384L, "fence", 4L), 40),
                    type("i915-GVTg_V5_4", "GVTg_V5_4", pools("low_gm", 128L, "high_gm", 512L, "fence", 4L), 30),
                    type("i915-GVTg_V5_2", "GVTg_V5_2", pools("low_gm", 256L, "high_gm", 1024L, "fence", 4L), 20),
                    type("i915-GVTg_V5_1", "GVTg_V5_1", pools("low_gm", 512L, "high_gm", 2048L, "fence", 4L), 10)),
            List.of("0000:00:02.0")),

    /** NVIDIA vGPU on a 24 GiB card in equal-size mode: framebuffer in MiB, one type per GPU. */
    NVIDIA("nvidia", false, pools("framebuffer", 24_576L),
            List.of(
                    type("nvidia-46", "GRID P40-1Q", pools("framebuffer", 1024L), 30),
                    type("nvidia-47", "GRID P40-2Q", pools("framebuffer", 2048L), 30),
                    type("nvidia-48", "GRID P40-4Q", pools("framebuffer", 4096L), 25),
                    type("nvidia-49", "GRID P40-8Q", pools("framebuffer", 8192L), 15)),
            List.of("0000:1a:00.0", "0000:1c:00.0", "0000:3d:00.0", "0000:3f:00.0",
                    "0000:88:00.0", "0000:8a:00.0", "0000:b1:00.0", "0000:b3:00.0")),

    /** The kernel's mtty sample: 24 serial ports, 1 or 2 per device. */
    MTTY("mtty", true, pools("ports", 24L),
            List.of(
                    type("mtty-1", "Single port serial", pools("ports", 1L), 60),
                    type("mtty-2", "Dual port serial", pools("ports", 2L), 40)),
            List.of("mtty")),

    /**
     * Intel DSA through idxd (SIOV): 8 work queues and 4 engines. A dedicated queue brings its own engine, shared
     * queues share the engines; both aggregate up to 4 queues in one device, one dialect each (primer, section 3).
     */
    IDXD("idxd", true, pools("wq", 8L, "engines", 4L),
            List.of(
                    aggregating("idxd-dsa-1dwq-v1", "DSA dedicated work queue", pools("wq", 1L, "engines", 1L),
                            Aggregation.ATTRIBUTE, 50),
                    aggregating("idxd-dsa-1swq-v1", "DSA shared work queue", pools("wq", 1L),
                            Aggregation.CREATE_PARAM, 50)),
            List.of("0000:6a:01.0", "0000:6f:01.0", "0000:74:01.0", "0000:79:01.0",
                    "0000:e7:01.0", "0000:ec:01.0", "0000:f1:01.0", "0000:f6:01.0"));

    /** The most instances one device of an aggregating type holds. */
    static final int MAX_AGGREGATION = 4;

    private final String driver;
    private final boolean mixedTypes;
    private final Map<String, Long> pools;
    private final List<WeightedType> types;
    private final List<FleetType> fleetTypes;
    private final List<String> addresses;

    DriverFamily(String driver, boolean mixedTypes, Map<String, Long> pools, List<WeightedType> types,
            List<String> addresses) {
        this.driver = driver;
        this.mixedTypes = mixedTypes;
        this.pools = pools;
        this.types = types;
        this.fleetTypes = types.stream().map(WeightedType::type).toList();
        this.addresses = addresses;
    }

    String driver() {
        return driver;
    }

    boolean mixedTypes() {
        return mixedTypes;
    }

    Map<String, Long> pools() {
        return pools;
    }

    List<WeightedType> types() {
        return types;
    }

    /** The types as the fleet document lists them; one shared list, so 100,000 parents do not copy it. */
    List<FleetType> fleetTypes() {
        return fleetTypes;
    }

    FleetType type(String id) {
        for (var type : fleetTypes) {
            if (type.id().equals(id)) {
                return type;
            }
        }
        throw new IllegalArgumentException("The " + driver + " family has no type " + id + ". Maybe use one of: "
                + fleetTypes.stream().map(FleetType::id).toList() + ".");
    }

    /** The most parents of this family one host carries: one per address. */
    int maxPerHost() {
        return addresses.size();
    }

    /** The PCI address (or name) of the n-th parent of this family on a host. */
    String address(int n) {
        if (n >= addresses.size()) {
            throw new IllegalArgumentException("A host carries at most " + addresses.size() + " " + driver
                    + " parents, not " + (n + 1) + ". Maybe use a host model with fewer.");
        }
        return addresses.get(n);
    }

    /**
     * The share of an empty parent that one device of the type holding that many instances takes: its tightest pool.
     * Fleet capacity and demand are both counted in these parent-equivalents.
     */
    double share(FleetType type, int instances) {
        var share = 0.0;
        for (var entry : type.cost().entrySet()) {
            share = Math.max(share, (double) entry.getValue() * instances / pools.get(entry.getKey()));
        }
        return share;
    }

    /** A type with how often workloads ask for it, relative to the family's other types. */
    record WeightedType(FleetType type, int weight) {
    }

    private static WeightedType type(String id, String name, Map<String, Long> cost, int weight) {
        return new WeightedType(new FleetType(id, name, "vfio-pci", cost, Aggregation.NONE, null), weight);
    }

    private static WeightedType aggregating(String id, String name, Map<String, Long> cost, Aggregation aggregation,
            int weight) {
        return new WeightedType(new FleetType(id, name, "vfio-pci", cost, aggregation, MAX_AGGREGATION), weight);
    }

    /** Ordered maps: pool order is the order a parent lists its pools in. */
    private static Map<String, Long> pools(String name, long value) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(Map.of(name, value)));
    }

    private static Map<String, Long> pools(String first, long firstValue, String second, long secondValue) {
        var map = new LinkedHashMap<String, Long>();
        map.put(first, firstValue);
        map.put(second, secondValue);
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, Long> pools(String first, long firstValue, String second, long secondValue, String third,
            long thirdValue) {
        var map = new LinkedHashMap<>(pools(first, firstValue, second, secondValue));
        map.put(third, thirdValue);
        return Collections.unmodifiableMap(map);
    }
}

package io.mdevplan.planner.bench;

import java.util.List;
import java.util.Map;

import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.FleetWorkload;

/** Hand-made fleet documents small enough to check by hand. */
final class SmallFleets {

    static final FleetType MTTY_1 = new FleetType("mtty-1", null, "vfio-pci", Map.of("ports", 1L), null, null);
    static final FleetType MTTY_2 = new FleetType("mtty-2", null, "vfio-pci", Map.of("ports", 2L), null, null);
    static final FleetType QUEUE = new FleetType("queue", null, "vfio-pci", Map.of("ports", 1L), Aggregation.ATTRIBUTE, 2);
    /** A GPU-like parent's types: a quarter and a half of an 8 GiB framebuffer. */
    static final FleetType GPU_QUARTER = new FleetType("gpu-2g", null, "vfio-pci", Map.of("framebuffer", 2048L), null,
            null);
    static final FleetType GPU_HALF = new FleetType("gpu-4g", null, "vfio-pci", Map.of("framebuffer", 4096L), null, null);

    private SmallFleets() {
    }

    /** A serial parent with the given number of ports, offering mtty-1, mtty-2 and the aggregating "queue". */
    static FleetParent mtty(String address, long ports, FleetDevice... devices) {
        return new FleetParent(address, "mtty", true, Map.of("ports", ports), List.of(MTTY_1, MTTY_2, QUEUE),
                List.of(devices));
    }

    /** An 8 GiB GPU in equal-size mode: one type per GPU. */
    static FleetParent gpu(String address) {
        return new FleetParent(address, "nvidia", false, Map.of("framebuffer", 8192L), List.of(GPU_QUARTER, GPU_HALF),
                List.of());
    }

    static FleetHost host(String name, String zone, FleetParent... parents) {
        return new FleetHost(name, Map.of("zone", zone), null, List.of(parents));
    }

    static FleetHost drained(String name, String zone, FleetParent... parents) {
        return new FleetHost(name, Map.of("zone", zone), false, List.of(parents));
    }

    static FleetWorkload workload(String id, FleetType type) {
        return new FleetWorkload(id, type.id(), null, null, null, null);
    }

    static FleetWorkload workload(String id, FleetType type, int priority) {
        return new FleetWorkload(id, type.id(), null, priority, null, null);
    }

    static FleetWorkload inZone(String id, FleetType type, String zone) {
        return new FleetWorkload(id, type.id(), null, null, null, Map.of("zone", zone));
    }

    static FleetWorkload inGroup(String id, FleetType type, String group) {
        return new FleetWorkload(id, type.id(), null, null, group, null);
    }
}

package io.mdevplan.planner.solver;

import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.MdevType;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.Workload;
import io.mdevplan.planner.fleet.Aggregation;

/** Small hand-made fleets for rule tests: an mtty-like parent (24 ports; mtty-1 costs 1, mtty-2 costs 2). */
final class Fixtures {

    private int hosts;
    private int parents;

    Host host(String name, Map<String, String> labels, boolean schedulable) {
        return new Host(hosts++, name, labels, schedulable);
    }

    Host host(String name) {
        return host(name, Map.of("zone", "a"), true);
    }

    /** 24 ports; mtty-1 and mtty-2 without aggregation; agg-4 aggregates up to 4 through the attribute. */
    Parent mtty(Host host, boolean mixedTypes) {
        var parent = new Parent(parents++, host, "mtty-" + parents, "mtty", mixedTypes);
        parent.addPool("ports", 24);
        parent.addType(new MdevType("mtty-1", new long[] { 1 }, Aggregation.NONE, 1));
        parent.addType(new MdevType("mtty-2", new long[] { 2 }, Aggregation.NONE, 1));
        parent.addType(new MdevType("agg-4", new long[] { 3 }, Aggregation.ATTRIBUTE, 4));
        return parent;
    }

    static Workload workload(String id, String type, int instances) {
        return new Workload(id, type, instances, 1, null, Map.of());
    }

    static DeviceAllocation placed(Workload workload, Parent parent) {
        var allocation = new DeviceAllocation(workload.id(), workload, workload.typeId(), workload.instances(), null, null,
                false, List.of(parent));
        allocation.setParent(parent);
        return allocation;
    }

    static DeviceAllocation unplaced(Workload workload) {
        return new DeviceAllocation(workload.id(), workload, workload.typeId(), workload.instances(), null, null, false,
                List.of());
    }

    /** A device that exists on the parent now, owned by the workload. */
    static DeviceAllocation existing(Workload workload, Parent parent) {
        return new DeviceAllocation(workload.id(), workload, workload.typeId(), workload.instances(),
                "5f6c4a9e-8c1e-4a5e-9a0b-2f1d3c4b5a61", parent, false, List.of(parent));
    }
}

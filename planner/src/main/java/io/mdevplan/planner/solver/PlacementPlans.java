package io.mdevplan.planner.solver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.MdevType;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.domain.Pool;
import io.mdevplan.planner.domain.Workload;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.placement.CandidateIndex;

/** Builds the solver's problem from a validated fleet document. */
public final class PlacementPlans {

    private PlacementPlans() {
    }

    public static PlacementPlan fromFleet(FleetDocument fleet, PlanningMode mode) {
        var hosts = new ArrayList<Host>();
        var parents = new ArrayList<Parent>();
        var pools = new ArrayList<Pool>();
        for (var fleetHost : fleet.hosts()) {
            var host = new Host(hosts.size(), fleetHost.name(), fleetHost.labels(), fleetHost.isSchedulable());
            hosts.add(host);
            for (var fleetParent : fleetHost.parents()) {
                var parent = toParent(parents.size(), host, fleetParent);
                parents.add(parent);
                pools.addAll(parent.getPools());
            }
        }
        var workloads = new HashMap<String, Workload>();
        for (var fleetWorkload : fleet.workloads()) {
            workloads.put(fleetWorkload.id(), toWorkload(fleetWorkload));
        }
        var candidates = new CandidateIndex(parents);
        var allocations = new ArrayList<DeviceAllocation>(fleet.workloads().size());
        var parentIterator = parents.iterator();
        for (var fleetHost : fleet.hosts()) {
            for (var fleetParent : fleetHost.parents()) {
                var parent = parentIterator.next();
                for (var device : fleetParent.devices()) {
                    // A device of a listed workload is that workload's; the others are facts that only take capacity.
                    var workload = device.workload() == null ? null : workloads.remove(device.workload());
                    var pinned = workload == null || mode == PlanningMode.PLACE;
                    allocations.add(new DeviceAllocation(workload == null ? "device:" + device.uuid() : workload.id(),
                            workload, device.type(), device.instancesOrOne(), device.uuid(), parent, pinned,
                            pinned ? List.of(parent) : candidates.forExisting(workload, parent)));
                }
            }
        }
        for (var fleetWorkload : fleet.workloads()) {
            var workload = workloads.get(fleetWorkload.id());
            if (workload != null) {
                allocations.add(new DeviceAllocation(workload.id(), workload, workload.typeId(), workload.instances(),
                        null, null, false, candidates.forWorkload(workload)));
            }
        }
        return new PlacementPlan(hosts, parents, pools, allocations, mode);
    }

    private static Workload toWorkload(FleetWorkload workload) {
        return new Workload(workload.id(), workload.type(), workload.instancesOrOne(), workload.priorityOrDefault(),
                workload.antiAffinityGroup(), workload.hostSelector());
    }

    private static Parent toParent(int index, Host host, FleetParent fleetParent) {
        var parent = new Parent(index, host, fleetParent.address(), fleetParent.driver(), fleetParent.isMixedTypes());
        var poolNames = new ArrayList<>(fleetParent.pools().keySet());
        for (var name : poolNames) {
            parent.addPool(name, fleetParent.pools().get(name));
        }
        for (var fleetType : fleetParent.types()) {
            var cost = new long[poolNames.size()];
            for (var i = 0; i < cost.length; i++) {
                cost[i] = fleetType.cost().getOrDefault(poolNames.get(i), 0L);
            }
            parent.addType(new MdevType(fleetType.id(), cost, fleetType.aggregationOrNone(),
                    fleetType.effectiveMaxAggregation()));
        }
        return parent;
    }
}

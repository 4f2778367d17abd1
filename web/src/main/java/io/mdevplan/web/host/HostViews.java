package io.mdevplan.web.host;

import java.util.ArrayList;
import java.util.List;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.placement.PlacementRules;
import io.mdevplan.planner.placement.Refusal;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.web.inventory.InventoryReader;
import io.mdevplan.web.inventory.StoredHost;

/**
 * Builds host views with the planner's books rather than a second copy of its arithmetic: the hosts become a fleet
 * document (reserved placements as devices), the planner's usage ledger counts the pools, and its placement rules say
 * what each type could still get.
 */
final class HostViews {

    private static final String PROBE = "available-probe";

    private HostViews() {
    }

    static List<HostView> of(List<StoredHost> stored) {
        var document = new FleetDocument(stored.stream().map(host -> InventoryReader.toFleetHost(host, true)).toList(),
                List.of());
        var plan = PlacementPlans.fromFleet(document, PlanningMode.PLACE);
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        // the plan lists parents in document order, which is stored order
        var parents = plan.getParents().iterator();
        var views = new ArrayList<HostView>(stored.size());
        for (var host : stored) {
            var parentViews = host.parents().stream().map(parent -> {
                var planned = parents.next();
                var pools = new ArrayList<PoolView>();
                for (var pool : planned.getPools()) {
                    pools.add(new PoolView(pool.getName(), pool.getCapacity(), ledger.used(planned, pool.getIndex()),
                            ledger.free(planned, pool.getIndex())));
                }
                var types = parent.types().stream()
                        .map(type -> new TypeView(type.type().typeId, type.type().name, type.type().deviceApi,
                                type.cost(), type.type().aggregation.json(), type.type().maxAggregation,
                                available(ledger, planned, type.type().typeId)))
                        .toList();
                var devices = parent.devices().stream()
                        .map(device -> new DeviceView(device.uuid.toString(), device.typeId, device.instances,
                                device.workload, device.state, device.drift))
                        .toList();
                var reserved = parent.reservations().stream()
                        .map(placement -> new ReservationView(placement.workload, placement.typeId,
                                placement.instances, placement.state.column(),
                                placement.deviceUuid == null ? null : placement.deviceUuid.toString(), placement.drift))
                        .toList();
                return new ParentView(parent.parent().address, parent.parent().driver, parent.parent().mixedTypes,
                        pools, types, devices, reserved);
            }).toList();
            views.add(new HostView(host.host().name, host.host().labels, host.host().schedulable,
                    host.host().lastHeartbeat, parentViews));
        }
        return views;
    }

    /**
     * What the kernel's available_instances would read for the type: one more single-instance device, judged by the
     * planner's hard rules. The probe counts as already on the parent, so only what the driver enforces applies (pool
     * capacity, mixing types), not the service's own placement rules (a cordon, host selectors).
     */
    private static long available(UsageLedger ledger, Parent parent, String typeId) {
        var probe = new DeviceAllocation(PROBE, null, typeId, 1, null, parent, false, List.of(parent));
        var refusal = PlacementRules.refusal(ledger, probe, parent);
        if (refusal.isPresent() && refusal.get() != Refusal.CAPACITY) {
            return 0;
        }
        return ledger.devicesThatFit(parent, parent.type(typeId), 1);
    }
}

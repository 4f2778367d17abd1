package io.mdevplan.web.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.web.dispatch.HostActions;
import io.mdevplan.web.inventory.InventoryReader;
import io.mdevplan.web.inventory.StoredHost;

/**
 * Builds host views with the planner's books rather than a second copy of its arithmetic: the hosts become a fleet
 * document (reserved placements as devices), the planner's usage ledger counts the pools and says
 * what each type could still get.
 */
final class HostViews {

    private HostViews() {
    }

    /** The hosts' views; {@code actions} counts the actions of those that have pending or failed ones. */
    static List<HostView> of(List<StoredHost> stored, Map<Long, HostActions.Counts> actions) {
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
                                ledger.availableInstances(planned, type.type().typeId)))
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
            var entity = host.host();
            var counts = actions.getOrDefault(entity.id, HostActions.Counts.NONE);
            views.add(new HostView(entity.name, entity.labels, entity.schedulable, entity.lastHeartbeatAt,
                    entity.lastInventoryAt, entity.executorVersion, entity.executorStartedAt, counts.pending(),
                    counts.failed(), parentViews));
        }
        return views;
    }
}

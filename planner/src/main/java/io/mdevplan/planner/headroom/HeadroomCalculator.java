package io.mdevplan.planner.headroom;

import java.util.Map;
import java.util.TreeMap;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.Workload;
import io.mdevplan.planner.placement.PlacementRules;
import io.mdevplan.planner.placement.Refusal;
import io.mdevplan.planner.placement.UsageLedger;

/**
 * Counts how many more workloads of one shape fit on the devices a plan holds. The count is exact, not an estimate:
 * devices of one shape on one parent meet only in its pools, so a parent takes the smallest over its pools of
 * free / (cost x instances), and parents do not affect each other.
 */
public final class HeadroomCalculator {

    private static final String PROBE = "headroom-probe";

    private HeadroomCalculator() {
    }

    public static HeadroomReport headroom(PlacementPlan plan, String typeId, int instances, Map<String, String> selector) {
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        return headroom(plan, ledger, typeId, instances, selector);
    }

    public static HeadroomReport headroom(PlacementPlan plan, UsageLedger ledger, String typeId, int instances,
            Map<String, String> selector) {
        if (instances < 1) {
            throw new IllegalArgumentException("Headroom for " + instances + " instances of " + typeId
                    + " is meaningless. Maybe ask for 1 or more instances.");
        }
        var probe = new DeviceAllocation(PROBE, new Workload(PROBE, typeId, instances, 0, null, selector), typeId,
                instances, null, null, false, plan.getParents());
        var perHost = new TreeMap<String, Long>();
        var total = 0L;
        for (var parent : plan.getParents()) {
            var refusal = PlacementRules.refusal(ledger, probe, parent);
            if (refusal.isPresent() && refusal.get() != Refusal.CAPACITY) {
                continue;
            }
            var fit = ledger.devicesThatFit(parent, parent.type(typeId), instances);
            if (fit > 0) {
                perHost.merge(parent.getHost().getName(), fit, Long::sum);
                total += fit;
            }
        }
        return new HeadroomReport(typeId, instances, Map.copyOf(selector), total, perHost);
    }
}

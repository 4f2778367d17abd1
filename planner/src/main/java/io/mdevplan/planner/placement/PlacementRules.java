package io.mdevplan.planner.placement;

import java.util.Optional;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;

/**
 * The hard rules as a yes/no question about one candidate parent, for the placers and explanations that decide one
 * device at a time. They mirror {@link io.mdevplan.planner.solver.PlacementConstraints} rule for rule; a test checks
 * that placements these rules accept score no hard penalty there.
 */
public final class PlacementRules {

    private PlacementRules() {
    }

    /**
     * The first rule that keeps {@code parent} from taking the allocation, or empty when it may. The allocation must
     * not be counted in the ledger (it is unplaced, or being moved).
     */
    public static Optional<Refusal> refusal(UsageLedger ledger, DeviceAllocation allocation, Parent parent) {
        var type = parent.type(allocation.getTypeId());
        if (type == null) {
            return Optional.of(Refusal.TYPE_NOT_OFFERED);
        }
        if (allocation.getInstances() > type.getMaxAggregation()) {
            return Optional.of(Refusal.AGGREGATION_LIMIT);
        }
        var anew = parent != allocation.getOriginalParent();
        if (anew && !parent.getHost().isSchedulable()) {
            return Optional.of(Refusal.UNSCHEDULABLE);
        }
        if (anew && allocation.getWorkload() != null && !parent.getHost().matches(allocation.getWorkload().hostSelector())) {
            return Optional.of(Refusal.HOST_SELECTOR);
        }
        if (!parent.isMixedTypes() && ledger.holdsOtherType(parent, allocation.getTypeId())) {
            return Optional.of(Refusal.MIXED_TYPES);
        }
        var group = allocation.getAntiAffinityGroup();
        if (group != null && ledger.groupDevices(group, parent.getHost()) > 0) {
            return Optional.of(Refusal.ANTI_AFFINITY);
        }
        if (!ledger.poolsFit(parent, type, allocation.getInstances())) {
            return Optional.of(Refusal.CAPACITY);
        }
        return Optional.empty();
    }

    public static boolean accepts(UsageLedger ledger, DeviceAllocation allocation, Parent parent) {
        return refusal(ledger, allocation, parent).isEmpty();
    }
}

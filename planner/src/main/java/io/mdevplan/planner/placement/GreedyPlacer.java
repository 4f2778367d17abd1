package io.mdevplan.planner.placement;

import java.util.Comparator;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.policy.Policy;

/**
 * Places devices one at a time on the candidate parent that the hard rules accept and the policy scores best: the
 * definition that online placement ({@link ScanPlacer}, behind {@link io.mdevplan.planner.online.FleetIndex}) and the
 * solver's construction phase ({@link ConstructionChooser}) reproduce faster.
 */
public final class GreedyPlacer {

    /** Most important first: priority, then the largest share of a parent, so that big requests are not stranded. */
    public static final Comparator<DeviceAllocation> PLACEMENT_ORDER = Comparator
            .comparingLong((DeviceAllocation allocation) -> allocation.getWorkload() == null ? 0
                    : allocation.getWorkload().priority())
            .thenComparingLong(GreedyPlacer::sizePermille)
            .reversed()
            .thenComparing(DeviceAllocation::getId);

    private final UsageLedger ledger;
    private final PolicyScorer scorer;

    public GreedyPlacer(UsageLedger ledger, Policy policy) {
        this.ledger = ledger;
        this.scorer = new PolicyScorer(policy);
    }

    /** The best parent among the allocation's candidates, or null when none accepts it. Does not book it. */
    public Parent choose(DeviceAllocation allocation) {
        var best = new BestCandidate(scorer);
        for (var candidate : allocation.getCandidateParents()) {
            if (PlacementRules.accepts(ledger, allocation, candidate)) {
                best.offer(ledger, allocation, candidate);
            }
        }
        return best.best();
    }

    /** The share, in permille, of its first candidate parent's tightest pool that the device takes. */
    static long sizePermille(DeviceAllocation allocation) {
        var candidates = allocation.getCandidateParents();
        if (candidates.isEmpty()) {
            return 0;
        }
        var parent = candidates.get(0);
        var type = parent.type(allocation.getTypeId());
        var size = 0L;
        for (var pool : parent.getPools()) {
            size = Math.max(size, type.cost(pool.getIndex()) * allocation.getInstances() * 1000 / pool.getCapacity());
        }
        return size;
    }
}

package io.mdevplan.planner.placement;

import java.util.Comparator;
import java.util.List;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.policy.Policy;

/**
 * Places devices one at a time on the candidate parent that the hard rules accept and the policy scores best. It is
 * the solver's construction phase and, with the service's capacity index, the online placer.
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
        return choose(allocation, allocation.getCandidateParents());
    }

    public Parent choose(DeviceAllocation allocation, List<Parent> candidates) {
        Parent best = null;
        var bestPenalty = Long.MAX_VALUE;
        var bestTie = Long.MAX_VALUE;
        for (var candidate : candidates) {
            if (!PlacementRules.accepts(ledger, allocation, candidate)) {
                continue;
            }
            var penalty = scorer.marginalPenalty(ledger, allocation, candidate);
            if (penalty > bestPenalty) {
                continue;
            }
            var tie = scorer.tieBreak(ledger, allocation, candidate);
            if (penalty < bestPenalty || tie < bestTie) {
                best = candidate;
                bestPenalty = penalty;
                bestTie = tie;
            }
        }
        return best;
    }

    public UsageLedger ledger() {
        return ledger;
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

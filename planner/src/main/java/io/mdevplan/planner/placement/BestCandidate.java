package io.mdevplan.planner.placement;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;

/**
 * The best of the parents offered so far for one device: the lowest marginal policy penalty, then the lowest tie-break;
 * of equals, the first offered, so that every placer that scans candidates in order makes the same choice.
 */
final class BestCandidate {

    private final PolicyScorer scorer;
    private Parent best;
    private long bestPenalty = Long.MAX_VALUE;
    private long bestTie = Long.MAX_VALUE;

    BestCandidate(PolicyScorer scorer) {
        this.scorer = scorer;
    }

    /** Offers a parent that the hard rules accept. */
    void offer(UsageLedger ledger, DeviceAllocation allocation, Parent candidate) {
        var penalty = scorer.marginalPenalty(ledger, allocation, candidate);
        if (penalty > bestPenalty) {
            return;
        }
        var tie = scorer.tieBreak(ledger, allocation, candidate);
        if (penalty < bestPenalty || tie < bestTie) {
            best = candidate;
            bestPenalty = penalty;
            bestTie = tie;
        }
    }

    /** The best parent offered, or null when none was. */
    Parent best() {
        return best;
    }
}

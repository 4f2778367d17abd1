package io.mdevplan.planner.placement;

import static io.mdevplan.planner.solver.PlacementConstraints.HEADROOM;
import static io.mdevplan.planner.solver.PlacementConstraints.HOSTS_IN_USE;
import static io.mdevplan.planner.solver.PlacementConstraints.MOVES;
import static io.mdevplan.planner.solver.PlacementConstraints.PARENTS_IN_USE;
import static io.mdevplan.planner.solver.PlacementConstraints.POOL_BALANCE;
import static io.mdevplan.planner.solver.PlacementConstraints.TYPE_MIXING;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.policy.PolicyRules;

/**
 * Scores one candidate parent for one device: the soft penalty the policy's rules would add by placing it there, computed
 * with the same formulas as the constraints ({@link PolicyRules}), so a one-at-a-time placer agrees with the solver.
 */
public final class PolicyScorer {

    private final long parentsInUse;
    private final long hostsInUse;
    private final long poolBalance;
    private final long headroom;
    private final long typeMixing;
    private final long moves;
    /** Packing policies break ties toward the fullest parent (best fit), the others toward the emptiest. */
    private final boolean preferFull;

    public PolicyScorer(Policy policy) {
        this.parentsInUse = policy.weight(PARENTS_IN_USE);
        this.hostsInUse = policy.weight(HOSTS_IN_USE);
        this.poolBalance = policy.weight(POOL_BALANCE);
        this.headroom = policy.weight(HEADROOM);
        this.typeMixing = policy.weight(TYPE_MIXING);
        this.moves = policy.weight(MOVES);
        this.preferFull = parentsInUse > 0 || hostsInUse > 0;
    }

    /** The soft penalty added by placing the allocation on the parent; lower is better. */
    public long marginalPenalty(UsageLedger ledger, DeviceAllocation allocation, Parent parent) {
        var penalty = 0L;
        if (parentsInUse > 0 && ledger.devices(parent) == 0) {
            penalty += parentsInUse;
        }
        if (hostsInUse > 0 && ledger.devices(parent.getHost()) == 0) {
            penalty += hostsInUse;
        }
        if (poolBalance > 0 || headroom > 0) {
            var type = parent.type(allocation.getTypeId());
            for (var pool : parent.getPools()) {
                var before = ledger.used(parent, pool.getIndex());
                var after = before + type.cost(pool.getIndex()) * allocation.getInstances();
                var capacity = pool.getCapacity();
                penalty += poolBalance
                        * (PolicyRules.balancePenalty(after, capacity) - PolicyRules.balancePenalty(before, capacity));
                penalty += headroom
                        * (PolicyRules.headroomPenalty(after, capacity) - PolicyRules.headroomPenalty(before, capacity));
            }
        }
        if (typeMixing > 0 && ledger.devices(parent) > 0 && !ledger.holdsType(parent, allocation.getTypeId())) {
            penalty += typeMixing;
        }
        if (moves > 0 && allocation.getOriginalParent() != null && parent != allocation.getOriginalParent()) {
            penalty += moves * allocation.getInstances();
        }
        return penalty;
    }

    /** Second key among equal penalties: the free share the parent's fullest pool would keep, signed by the policy. */
    public long tieBreak(UsageLedger ledger, DeviceAllocation allocation, Parent parent) {
        var type = parent.type(allocation.getTypeId());
        var tightest = Long.MAX_VALUE;
        for (var pool : parent.getPools()) {
            var after = ledger.used(parent, pool.getIndex()) + type.cost(pool.getIndex()) * allocation.getInstances();
            tightest = Math.min(tightest, 1000 - PolicyRules.permille(after, pool.getCapacity()));
        }
        return preferFull ? tightest : -tightest;
    }
}

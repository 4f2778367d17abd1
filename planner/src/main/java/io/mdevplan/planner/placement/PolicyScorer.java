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
        var devices = ledger.devices(parent);
        var penalty = countPenalty(devices, ledger.devices(parent.getHost()),
                weighsTypes() && devices > 0 && !ledger.holdsType(parent, allocation.getTypeId()));
        if (weighsPools()) {
            var type = parent.type(allocation.getTypeId());
            for (var pool : parent.getPools()) {
                var before = ledger.used(parent, pool.getIndex());
                penalty += poolPenalty(before, before + type.cost(pool.getIndex()) * allocation.getInstances(),
                        pool.getCapacity());
            }
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
            tightest = Math.min(tightest, room(after, pool.getCapacity()));
        }
        return tieBreak(tightest);
    }

    // The pieces of the two methods above, on plain numbers, so that ScanPlacer scores with the same formulas.

    /** Whether the type-mixing rule counts: only then does {@link #countPenalty} look at {@code addsType}. */
    boolean weighsTypes() {
        return typeMixing > 0;
    }

    /** Whether the pool rules count: only then is {@link #poolPenalty} worth summing. */
    boolean weighsPools() {
        return poolBalance > 0 || headroom > 0;
    }

    /**
     * What opening a parent or a host costs, and adding a type next to another: {@code addsType} is whether the parent
     * holds devices but none of the allocation's type.
     */
    long countPenalty(int parentDevices, int hostDevices, boolean addsType) {
        var penalty = 0L;
        if (parentsInUse > 0 && parentDevices == 0) {
            penalty += parentsInUse;
        }
        if (hostsInUse > 0 && hostDevices == 0) {
            penalty += hostsInUse;
        }
        if (typeMixing > 0 && parentDevices > 0 && addsType) {
            penalty += typeMixing;
        }
        return penalty;
    }

    /** What raising one pool's use from {@code before} to {@code after} costs under the pool rules. */
    long poolPenalty(long before, long after, long capacity) {
        // A rule weighted 0 adds 0: skip its divisions.
        var penalty = 0L;
        if (poolBalance > 0) {
            penalty += poolBalance
                    * (PolicyRules.balancePenalty(after, capacity) - PolicyRules.balancePenalty(before, capacity));
        }
        if (headroom > 0) {
            penalty += headroom
                    * (PolicyRules.headroomPenalty(after, capacity) - PolicyRules.headroomPenalty(before, capacity));
        }
        return penalty;
    }

    /** The free share, in permille, a pool keeps at that use. */
    static long room(long after, long capacity) {
        return 1000 - PolicyRules.permille(after, capacity);
    }

    /** The tie-break of a parent whose fullest pool keeps {@code tightest} permille free. */
    long tieBreak(long tightest) {
        return preferFull ? tightest : -tightest;
    }
}

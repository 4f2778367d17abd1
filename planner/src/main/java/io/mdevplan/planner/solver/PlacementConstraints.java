package io.mdevplan.planner.solver;

import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.countDistinct;
import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.sumLong;
import static ai.timefold.solver.core.api.score.stream.Joiners.equal;
import static ai.timefold.solver.core.api.score.stream.Joiners.lessThan;

import java.util.List;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.bi.BiConstraintStream;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Pool;
import io.mdevplan.planner.policy.PolicyRules;
import io.mdevplan.planner.solver.PlacementJustifications.AggregationExceeded;
import io.mdevplan.planner.solver.PlacementJustifications.AntiAffinityBroken;
import io.mdevplan.planner.solver.PlacementJustifications.HostInUse;
import io.mdevplan.planner.solver.PlacementJustifications.HostUnschedulable;
import io.mdevplan.planner.solver.PlacementJustifications.Moved;
import io.mdevplan.planner.solver.PlacementJustifications.ParentInUse;
import io.mdevplan.planner.solver.PlacementJustifications.PoolLoad;
import io.mdevplan.planner.solver.PlacementJustifications.PoolOverbooked;
import io.mdevplan.planner.solver.PlacementJustifications.SelectorMismatch;
import io.mdevplan.planner.solver.PlacementJustifications.TypeNotOffered;
import io.mdevplan.planner.solver.PlacementJustifications.TypesMixed;
import io.mdevplan.planner.solver.PlacementJustifications.Unplaced;

/**
 * Every placement rule, one method each. The rules about where a device may go (type offered, aggregation,
 * schedulable, selector) judge devices placed anew: existing devices at their parent are facts, checked when the
 * fleet document is read.
 */
public final class PlacementConstraints implements ConstraintProvider {

    public static final String POOL_CAPACITY = "pool-capacity";
    public static final String TYPE_OFFERED = "type-offered";
    public static final String AGGREGATION_LIMIT = "aggregation-limit";
    public static final String MIXED_TYPES = "mixed-types";
    public static final String SCHEDULABLE = "schedulable";
    public static final String HOST_SELECTOR = "host-selector";
    public static final String ANTI_AFFINITY = "anti-affinity";
    public static final String UNPLACED = "unplaced";
    public static final String PARENTS_IN_USE = "parents-in-use";
    public static final String HOSTS_IN_USE = "hosts-in-use";
    public static final String POOL_BALANCE = "pool-balance";
    public static final String HEADROOM = "headroom";
    public static final String TYPE_MIXING = "type-mixing";
    public static final String MOVES = "moves";

    public static final List<String> HARD_RULES = List.of(POOL_CAPACITY, TYPE_OFFERED, AGGREGATION_LIMIT, MIXED_TYPES,
            SCHEDULABLE, HOST_SELECTOR, ANTI_AFFINITY);
    public static final List<String> SOFT_RULES = List.of(PARENTS_IN_USE, HOSTS_IN_USE, POOL_BALANCE, HEADROOM,
            TYPE_MIXING, MOVES);

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
                poolCapacity(factory),
                typeOffered(factory),
                aggregationLimit(factory),
                mixedTypes(factory),
                schedulable(factory),
                hostSelector(factory),
                antiAffinity(factory),
                unplaced(factory),
                parentsInUse(factory),
                hostsInUse(factory),
                poolBalance(factory),
                headroom(factory),
                typeMixing(factory),
                moves(factory)
        };
    }

    /** What each pool of each parent in use holds: the sum over the parent's devices of instances x cost. */
    private static BiConstraintStream<Pool, Long> poolUsage(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .join(Pool.class, equal(DeviceAllocation::getParent, Pool::getParent))
                .groupBy((device, pool) -> pool, sumLong(DeviceAllocation::use));
    }

    Constraint poolCapacity(ConstraintFactory factory) {
        return poolUsage(factory)
                .filter((pool, used) -> used > pool.getCapacity())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (pool, used) -> used - pool.getCapacity())
                .justifyWith((pool, used, score) -> new PoolOverbooked(pool, used, pool.getCapacity()))
                .asConstraint(POOL_CAPACITY);
    }

    Constraint typeOffered(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .filter(device -> device.isPlacedAnew() && !device.getParent().offers(device.getTypeId()))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .justifyWith((device, score) -> new TypeNotOffered(device, device.getParent()))
                .asConstraint(TYPE_OFFERED);
    }

    Constraint aggregationLimit(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .filter(device -> device.isPlacedAnew() && device.getParent().offers(device.getTypeId())
                        && device.getInstances() > device.getParent().type(device.getTypeId()).getMaxAggregation())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, device -> device.getInstances()
                        - device.getParent().type(device.getTypeId()).getMaxAggregation())
                .justifyWith((device, score) -> new AggregationExceeded(device, device.getParent(),
                        device.getParent().type(device.getTypeId()).getMaxAggregation()))
                .asConstraint(AGGREGATION_LIMIT);
    }

    Constraint mixedTypes(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .filter(device -> !device.getParent().isMixedTypes())
                .groupBy(DeviceAllocation::getParent, countDistinct(DeviceAllocation::getTypeId))
                .filter((parent, types) -> types > 1)
                .penalize(HardMediumSoftLongScore.ONE_HARD, (parent, types) -> types - 1)
                .justifyWith((parent, types, score) -> new TypesMixed(parent, types))
                .asConstraint(MIXED_TYPES);
    }

    Constraint schedulable(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .filter(device -> device.isPlacedAnew() && !device.getParent().getHost().isSchedulable())
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .justifyWith((device, score) -> new HostUnschedulable(device, device.getParent().getHost()))
                .asConstraint(SCHEDULABLE);
    }

    Constraint hostSelector(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .filter(device -> device.isPlacedAnew() && device.getWorkload() != null
                        && !device.getParent().getHost().matches(device.getWorkload().hostSelector()))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .justifyWith((device, score) -> new SelectorMismatch(device, device.getParent().getHost()))
                .asConstraint(HOST_SELECTOR);
    }

    Constraint antiAffinity(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .filter(device -> device.getAntiAffinityGroup() != null)
                .join(factory.forEach(DeviceAllocation.class).filter(device -> device.getAntiAffinityGroup() != null),
                        equal(DeviceAllocation::getAntiAffinityGroup),
                        equal(device -> device.getParent().getHost()),
                        lessThan(DeviceAllocation::getId))
                .filter((first, second) -> first.isPlacedAnew() || second.isPlacedAnew())
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .justifyWith((first, second, score) -> new AntiAffinityBroken(first, second, first.getParent().getHost()))
                .asConstraint(ANTI_AFFINITY);
    }

    Constraint unplaced(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(DeviceAllocation.class)
                .filter(device -> device.getParent() == null)
                .penalizeLong(HardMediumSoftLongScore.ONE_MEDIUM, DeviceAllocation::unplacedWeight)
                .justifyWith((device, score) -> new Unplaced(device, device.unplacedWeight()))
                .asConstraint(UNPLACED);
    }

    Constraint parentsInUse(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .groupBy(DeviceAllocation::getParent)
                .penalize(HardMediumSoftLongScore.ONE_SOFT)
                .justifyWith((parent, score) -> new ParentInUse(parent))
                .asConstraint(PARENTS_IN_USE);
    }

    Constraint hostsInUse(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .groupBy(device -> device.getParent().getHost())
                .penalize(HardMediumSoftLongScore.ONE_SOFT)
                .justifyWith((host, score) -> new HostInUse(host))
                .asConstraint(HOSTS_IN_USE);
    }

    Constraint poolBalance(ConstraintFactory factory) {
        return poolUsage(factory)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT,
                        (pool, used) -> PolicyRules.balancePenalty(used, pool.getCapacity()))
                .justifyWith((pool, used, score) -> new PoolLoad(pool, used,
                        PolicyRules.balancePenalty(used, pool.getCapacity())))
                .asConstraint(POOL_BALANCE);
    }

    Constraint headroom(ConstraintFactory factory) {
        return poolUsage(factory)
                .filter((pool, used) -> PolicyRules.headroomPenalty(used, pool.getCapacity()) > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT,
                        (pool, used) -> PolicyRules.headroomPenalty(used, pool.getCapacity()))
                .justifyWith((pool, used, score) -> new PoolLoad(pool, used,
                        PolicyRules.headroomPenalty(used, pool.getCapacity())))
                .asConstraint(HEADROOM);
    }

    Constraint typeMixing(ConstraintFactory factory) {
        return factory.forEach(DeviceAllocation.class)
                .groupBy(DeviceAllocation::getParent, countDistinct(DeviceAllocation::getTypeId))
                .filter((parent, types) -> types > 1)
                .penalize(HardMediumSoftLongScore.ONE_SOFT, (parent, types) -> types - 1)
                .justifyWith((parent, types, score) -> new TypesMixed(parent, types))
                .asConstraint(TYPE_MIXING);
    }

    Constraint moves(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(DeviceAllocation.class)
                .filter(DeviceAllocation::isMoved)
                .penalize(HardMediumSoftLongScore.ONE_SOFT, DeviceAllocation::getInstances)
                .justifyWith((device, score) -> new Moved(device, device.getOriginalParent(), device.getParent()))
                .asConstraint(MOVES);
    }
}

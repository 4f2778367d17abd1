package io.mdevplan.planner.solver;

import ai.timefold.solver.core.api.score.stream.ConstraintJustification;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.Pool;

/** Why each constraint matched, in terms a person can check against the fleet. */
public final class PlacementJustifications {

    private PlacementJustifications() {
    }

    public record PoolOverbooked(Pool pool, long used, long capacity) implements ConstraintJustification {
    }

    public record TypeNotOffered(DeviceAllocation device, Parent parent) implements ConstraintJustification {
    }

    public record AggregationExceeded(DeviceAllocation device, Parent parent, int maxAggregation)
            implements ConstraintJustification {
    }

    public record TypesMixed(Parent parent, int distinctTypes) implements ConstraintJustification {
    }

    public record HostUnschedulable(DeviceAllocation device, Host host) implements ConstraintJustification {
    }

    public record SelectorMismatch(DeviceAllocation device, Host host) implements ConstraintJustification {
    }

    public record AntiAffinityBroken(DeviceAllocation first, DeviceAllocation second, Host host)
            implements ConstraintJustification {
    }

    public record Unplaced(DeviceAllocation device, long weight) implements ConstraintJustification {
    }

    public record ParentInUse(Parent parent) implements ConstraintJustification {
    }

    public record HostInUse(Host host) implements ConstraintJustification {
    }

    public record PoolLoad(Pool pool, long used, long penalty) implements ConstraintJustification {
    }

    public record Moved(DeviceAllocation device, Parent from, Parent to) implements ConstraintJustification {
    }
}

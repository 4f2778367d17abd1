package io.mdevplan.planner.solver;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlacementPlan;

/** Puts one device on another parent (one of its candidates), or places an unplaced one. */
final class ReassignMove extends AbstractMove<PlacementPlan> {

    static final String VARIABLE = "parent";

    private final DeviceAllocation allocation;
    private final Parent to;

    ReassignMove(DeviceAllocation allocation, Parent to) {
        this.allocation = allocation;
        this.to = to;
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<PlacementPlan> scoreDirector) {
        return allocation.getParent() != to;
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<PlacementPlan> scoreDirector) {
        scoreDirector.beforeVariableChanged(allocation, VARIABLE);
        allocation.setParent(to);
        scoreDirector.afterVariableChanged(allocation, VARIABLE);
    }

    @Override
    public String toString() {
        return allocation + " {" + allocation.getParent() + " -> " + to + "}";
    }
}

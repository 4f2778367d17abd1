package io.mdevplan.planner.solver;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;

/**
 * Exchanges the parents of two devices, where each parent is a candidate of the other device. With one of
 * them unplaced, it lets a larger or more important device take a smaller one's place in a single step.
 */
final class SwapParentsMove extends AbstractMove<PlacementPlan> {

    private final DeviceAllocation left;
    private final DeviceAllocation right;

    SwapParentsMove(DeviceAllocation left, DeviceAllocation right) {
        this.left = left;
        this.right = right;
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<PlacementPlan> scoreDirector) {
        return left != right && left.getParent() != right.getParent();
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<PlacementPlan> scoreDirector) {
        var leftParent = left.getParent();
        var rightParent = right.getParent();
        scoreDirector.beforeVariableChanged(left, ReassignMove.VARIABLE);
        left.setParent(rightParent);
        scoreDirector.afterVariableChanged(left, ReassignMove.VARIABLE);
        scoreDirector.beforeVariableChanged(right, ReassignMove.VARIABLE);
        right.setParent(leftParent);
        scoreDirector.afterVariableChanged(right, ReassignMove.VARIABLE);
    }

    @Override
    public String toString() {
        return left + " <-> " + right;
    }
}

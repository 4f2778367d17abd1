package io.mdevplan.planner.domain;

import java.util.ArrayList;

import ai.timefold.solver.core.api.domain.solution.cloner.SolutionCloner;

/**
 * Clones a plan for Timefold's best-solution bookkeeping: a copy of every device, the facts shared. Besides being
 * faster than reflection on 200,000 devices, sharing the same {@link ParentRange} keeps Timefold's value range
 * lookups at identity comparisons.
 */
public final class PlacementPlanCloner implements SolutionCloner<PlacementPlan> {

    @Override
    public PlacementPlan cloneSolution(PlacementPlan original) {
        var allocations = new ArrayList<DeviceAllocation>(original.getAllocations().size());
        for (var allocation : original.getAllocations()) {
            allocations.add(allocation.copy());
        }
        var clone = new PlacementPlan(original.getHosts(), original.getParents(), original.getParentRange(),
                original.getPools(), allocations, original.getMode());
        clone.setConstraintWeightOverrides(original.getConstraintWeightOverrides());
        clone.setScore(original.getScore());
        return clone;
    }
}

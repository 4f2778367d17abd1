package io.mdevplan.planner.domain;

import java.util.List;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

/** The planning problem and its solution: the fleet's parents and pools, and every device with its parent. */
@PlanningSolution(solutionCloner = PlacementPlanCloner.class)
public class PlacementPlan {

    @ProblemFactCollectionProperty
    private List<Host> hosts;
    @ProblemFactCollectionProperty
    private List<Parent> parents;
    @ValueRangeProvider(id = "parents")
    private ParentRange parentRange;
    @ProblemFactCollectionProperty
    private List<Pool> pools;
    @PlanningEntityCollectionProperty
    private List<DeviceAllocation> allocations;
    private PlanningMode mode;
    private ConstraintWeightOverrides<HardMediumSoftLongScore> constraintWeightOverrides = ConstraintWeightOverrides.none();

    @PlanningScore
    private HardMediumSoftLongScore score;

    /** For Timefold's cloning. */
    public PlacementPlan() {
    }

    public PlacementPlan(List<Host> hosts, List<Parent> parents, List<Pool> pools, List<DeviceAllocation> allocations,
            PlanningMode mode) {
        this(hosts, parents, new ParentRange(parents), pools, allocations, mode);
    }

    /** For cloning: the clone shares the facts and the value range, which Timefold compares by identity. */
    PlacementPlan(List<Host> hosts, List<Parent> parents, ParentRange parentRange, List<Pool> pools,
            List<DeviceAllocation> allocations, PlanningMode mode) {
        this.hosts = hosts;
        this.parents = parents;
        this.parentRange = parentRange;
        this.pools = pools;
        this.allocations = allocations;
        this.mode = mode;
    }

    public List<Host> getHosts() {
        return hosts;
    }

    public List<Parent> getParents() {
        return parents;
    }

    public ParentRange getParentRange() {
        return parentRange;
    }

    public List<Pool> getPools() {
        return pools;
    }

    public List<DeviceAllocation> getAllocations() {
        return allocations;
    }

    public PlanningMode getMode() {
        return mode;
    }

    public ConstraintWeightOverrides<HardMediumSoftLongScore> getConstraintWeightOverrides() {
        return constraintWeightOverrides;
    }

    public void setConstraintWeightOverrides(ConstraintWeightOverrides<HardMediumSoftLongScore> constraintWeightOverrides) {
        this.constraintWeightOverrides = constraintWeightOverrides;
    }

    public HardMediumSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftLongScore score) {
        this.score = score;
    }
}

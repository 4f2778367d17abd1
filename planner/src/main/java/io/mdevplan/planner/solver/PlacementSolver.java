package io.mdevplan.planner.solver;

import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.phase.custom.CustomPhaseConfig;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.placement.GreedyConstruction;

/** Runs Timefold on a plan: greedy construction under the policy, then local search within the time limit. */
public final class PlacementSolver {

    private PlacementSolver() {
    }

    public static SolverConfig solverConfig(SolveOptions options) {
        return new SolverConfig()
                .withSolutionClass(PlacementPlan.class)
                .withEntityClasses(DeviceAllocation.class)
                .withConstraintProviderClass(PlacementConstraints.class)
                .withEnvironmentMode(options.environmentMode())
                .withPhases(
                        // The greedy phase already tried every candidate parent of every device it left unplaced,
                        // so no generic construction heuristic follows it: local search takes it from there.
                        new CustomPhaseConfig().withCustomPhaseCommands(new GreedyConstruction(options.policy())),
                        new LocalSearchPhaseConfig())
                .withTerminationConfig(new TerminationConfig()
                        .withSpentLimit(options.timeLimit())
                        .withUnimprovedSpentLimit(options.unimprovedLimit()));
    }

    /** Applies the policy's weights to the problem and returns the best plan found within the options' limits. */
    public static PlacementPlan solve(PlacementPlan problem, SolveOptions options) {
        problem.setConstraintWeightOverrides(options.policy().constraintWeightOverrides());
        var solver = SolverFactory.<PlacementPlan>create(solverConfig(options)).buildSolver();
        return solver.solve(problem);
    }
}

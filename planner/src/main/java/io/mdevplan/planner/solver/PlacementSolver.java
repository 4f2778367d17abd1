package io.mdevplan.planner.solver;

import java.time.Duration;

import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
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
                        new LocalSearchPhaseConfig().withMoveSelectorConfig(new MoveIteratorFactoryConfig()
                                .withMoveIteratorFactoryClass(CandidateMoveFactory.class)))
                .withTerminationConfig(termination(options.timeLimit(), options.unimprovedLimit()));
    }

    private static TerminationConfig termination(Duration spentLimit, Duration unimprovedLimit) {
        return new TerminationConfig().withSpentLimit(spentLimit).withUnimprovedSpentLimit(unimprovedLimit);
    }

    /**
     * Applies the policy's weights to the problem and returns the best plan found. The time limit counts from this
     * call, so building the solver (compiling the constraints) comes out of it rather than on top; the greedy
     * construction runs first, outside it, so that a short limit still places what the greedy placer would.
     */
    public static PlacementPlan solve(PlacementPlan problem, SolveOptions options) {
        var started = System.nanoTime();
        GreedyConstruction.construct(problem, options.policy());
        return buildSolver(problem, options, started).solve(problem);
    }

    /**
     * A solver for the problem, with the policy's weights applied and a spent limit of what is left of the time limit
     * since {@code startedNanos} ({@link System#nanoTime()}).
     */
    public static Solver<PlacementPlan> buildSolver(PlacementPlan problem, SolveOptions options, long startedNanos) {
        problem.setConstraintWeightOverrides(options.policy().constraintWeightOverrides());
        var factory = SolverFactory.<PlacementPlan>create(solverConfig(options));
        // Timefold takes whole milliseconds.
        var remainingMillis = options.timeLimit().toMillis() - (System.nanoTime() - startedNanos) / 1_000_000;
        return factory.buildSolver(new SolverConfigOverride<PlacementPlan>().withTerminationConfig(
                termination(Duration.ofMillis(Math.max(0, remainingMillis)), options.unimprovedLimit())));
    }
}

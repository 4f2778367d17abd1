package io.mdevplan.planner.whatif;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

import ai.timefold.solver.core.impl.phase.event.PhaseLifecycleListenerAdapter;
import ai.timefold.solver.core.impl.phase.scope.AbstractPhaseScope;
import ai.timefold.solver.core.impl.phase.scope.AbstractStepScope;
import ai.timefold.solver.core.impl.solver.AbstractSolver;

import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.planner.report.SolveReports;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.planner.solver.PlacementSolver;
import io.mdevplan.planner.solver.SolveOptions;

/**
 * Evaluates what-if scenarios: {@link #prepare} checks a scenario against its base fleet and applies its changes
 * (every problem at once, before anything is solved), {@link #run} plans the result and reads the figures off it.
 * Plain Java: no I/O, no threads of its own; the caller runs it where it likes and may cancel it from another thread.
 *
 * <p>The plan is made as the solver makes any plan: the policy's greedy construction (the same plan as the solver's
 * construction phase, made with the online placer: {@link ScenarioBooks#construct}), then Timefold's local search with
 * the existing configuration. In place mode local search runs only when construction left out workloads that some
 * parent offers, since otherwise construction is the answer (what online placement would decide for the same workloads
 * one at a time; local search could only trade soft score), and it searches only the hosts the new devices can reach
 * ({@link FocusedSearch}).
 */
public final class WhatIfEngine {

    /** How far ahead growth is followed, in months. */
    public static final int HORIZON_MONTHS = 36;

    private WhatIfEngine() {
    }

    /** {@link #prepare(ScenarioDocument, String, FleetDocument, Collection)} with the built-in policies. */
    public static PreparedScenario prepare(ScenarioDocument scenario, String source, FleetDocument live) {
        return prepare(scenario, source, live, PolicyCatalog.all());
    }

    /**
     * Checks the scenario and applies its changes to its base fleet.
     *
     * @param source names the scenario in the problems' header (a file name, "request body")
     * @param live the fleet as it stands, for a scenario whose base is "live"; null for one that embeds its base.
     *        It must be a valid fleet document already (as {@link io.mdevplan.planner.fleet.FleetJson#read} or the
     *        service's export gives it): it is not checked again. An embedded base is checked
     * @param policies the policies a scenario may name, e.g. the service's stored ones
     * @throws InvalidScenarioException with every problem, each with its JSON path, value and fix
     */
    public static PreparedScenario prepare(ScenarioDocument scenario, String source, FleetDocument live,
            Collection<Policy> policies) {
        return ScenarioApplier.apply(scenario, source, live, policies);
    }

    /**
     * Plans the prepared scenario and measures it. Progress goes to the listener; a cancel from another thread stops
     * the run at its next step (local search at once) with {@link java.util.concurrent.CancellationException}.
     *
     * @param timeLimit how long the solve (construction and local search) may take, counted from this call; the
     *        figures come on top. Construction always completes
     */
    public static WhatIfResult run(PreparedScenario scenario, Duration timeLimit, WhatIfListener listener,
            WhatIfCancellation cancellation) {
        var started = System.nanoTime();
        var progress = new ProgressReporter(listener, started);
        cancellation.throwIfCancelled();
        progress.phase(WhatIfPhase.BUILDING, null);
        var options = SolveOptions.defaults().withPolicy(scenario.policy()).withMode(scenario.mode())
                .withTimeLimit(timeLimit);
        var plan = PlacementPlans.fromFleet(scenario.fleet(), scenario.mode());
        var built = System.nanoTime();
        cancellation.throwIfCancelled();
        progress.phase(WhatIfPhase.CONSTRUCTING, null);
        var books = ScenarioBooks.construct(plan, scenario.policy());
        var constructed = System.nanoTime();
        var unplaced = unplaced(plan);
        // In place mode only the devices placed anew may move: search the hosts they can reach, if any.
        var focus = scenario.mode() == PlanningMode.PLACE && unplaced > 0 ? FocusedSearch.of(plan) : null;
        var localSearch = scenario.mode() == PlanningMode.REPLAN || focus != null;
        String score = null;
        var searchedHosts = 0;
        if (localSearch) {
            cancellation.throwIfCancelled();
            progress.phase(WhatIfPhase.IMPROVING, unplaced);
            var searched = improve(focus == null ? plan : focus.problem(), options, started, progress, cancellation);
            score = searched.getScore().toString();
            searchedHosts = searched.getHosts().size();
            if (focus == null) {
                plan = searched;
            } else {
                focus.copyBack(searched);
            }
            books = ScenarioBooks.of(plan);
        }
        var solved = System.nanoTime();
        progress.phase(WhatIfPhase.ANALYSING, unplaced(plan));
        var ledger = books.ledger();
        var unplacedLines = FleetFigures.unplaced(plan, ledger);
        var profileCounts = FleetFigures.profileCounts(plan);
        var profiles = scenario.headroomProfiles();
        var headroom = FleetFigures.headroom(plan, ledger, profiles);
        var fragmentation = FleetFigures.fragmentation(plan, ledger, profiles);
        var metrics = SolveReports.metrics(plan, ledger);
        var use = FleetFigures.use(plan, ledger);
        var planDiff = PlanDiff.diff(scenario, plan);
        var analysed = System.nanoTime();
        cancellation.throwIfCancelled();
        progress.phase(WhatIfPhase.GROWING, null);
        // Last: growing adds the grown workloads to the books the figures above were read from.
        var exhaustion = GrowthSimulator.exhaustion(plan, books, scenario.policy(), scenario.growth(), HORIZON_MONTHS,
                cancellation, progress);
        var grown = System.nanoTime();
        progress.phase(WhatIfPhase.DONE, unplacedLines.size());
        var solve = new WhatIfResult.Solve(localSearch, score, searchedHosts, millis(started, built),
                millis(built, constructed),
                millis(constructed, solved), millis(solved, analysed), millis(analysed, grown), millis(started, grown));
        return new WhatIfResult(scenario.name(), WhatIfResult.DONE, scenario.policy().name(),
                scenario.mode().name().toLowerCase(Locale.ROOT), scenario.changes(), metrics.workloads(),
                metrics.workloadsPlaced(), unplacedLines, profileCounts, headroom, fragmentation,
                exhaustion, planDiff, metrics, use, solve);
    }

    /**
     * Local search on the constructed plan with the solver's own configuration, within what is left of the time limit.
     * A cancel stops the solver early. Timefold forgets a stop asked for before its solve begins, so every phase start
     * and step end asks again; phase events are not public API, but SolverFactory always builds an AbstractSolver
     * (as the planner's benchmark relies on too).
     */
    private static PlacementPlan improve(PlacementPlan plan, SolveOptions options, long started,
            ProgressReporter progress, WhatIfCancellation cancellation) {
        var solver = PlacementSolver.buildSolver(plan, options, started);
        solver.addEventListener(event -> progress.bestScore(event.getNewBestScore().toString()));
        ((AbstractSolver<PlacementPlan>) solver).addPhaseLifecycleListener(new PhaseLifecycleListenerAdapter<>() {
            @Override
            public void phaseStarted(AbstractPhaseScope<PlacementPlan> phaseScope) {
                stopIfCancelled();
            }

            @Override
            public void stepEnded(AbstractStepScope<PlacementPlan> stepScope) {
                stopIfCancelled();
            }

            private void stopIfCancelled() {
                if (cancellation.isCancelled()) {
                    solver.terminateEarly();
                }
            }
        });
        cancellation.setStopper(solver::terminateEarly);
        PlacementPlan improved;
        try {
            improved = solver.solve(plan);
        } finally {
            cancellation.clearStopper();
        }
        cancellation.throwIfCancelled();
        return improved;
    }

    private static int unplaced(PlacementPlan plan) {
        var count = 0;
        for (var allocation : plan.getAllocations()) {
            if (allocation.getWorkload() != null && allocation.getParent() == null) {
                count++;
            }
        }
        return count;
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}

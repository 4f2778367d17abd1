package io.mdevplan.planner.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.timefold.solver.core.impl.phase.event.PhaseLifecycleListenerAdapter;
import ai.timefold.solver.core.impl.phase.scope.AbstractPhaseScope;
import ai.timefold.solver.core.impl.solver.AbstractSolver;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.explain.UnplacedExplainer;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetValidator;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.report.SolveReports;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.planner.solver.PlacementSolver;
import io.mdevplan.planner.solver.SolveOptions;

/**
 * Generates a fleet of a given size, places its workloads with the first-fit-decreasing baseline and with the solver
 * (default options: the pack policy, place mode), audits both plans against the fleet document, and times every step:
 * where the solver's time goes is recorded phase by phase, and the heap is watched throughout.
 */
public final class PlannerBenchmark {

    /** Fleets this large get the long time limit by default. */
    public static final int LARGE_FLEET = 10_000;
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);
    public static final Duration LARGE_TIME_LIMIT = Duration.ofSeconds(50);
    private static final long MIB = 1024 * 1024;
    private static final int EXPLAIN_SAMPLE = 500;

    /** The machine the numbers were taken on. */
    public record Machine(int processors, String cpu, String java, long maxHeapMiB, String os) {
    }

    /** The generated fleet's size. */
    public record FleetSize(int hosts, int parents, int workloads, long instancesRequested, int existingDevices) {
    }

    /** How the first-fit-decreasing baseline did. */
    public record BaselineRun(long millis, long instancesPlaced, int workloadsPlaced, int parentsInUse, int hostsInUse,
            int violations) {
    }

    /** One Timefold phase: when it started after {@code solve} was called, how long it ran and what it reached. */
    public record PhaseRun(String phase, long startedAtMillis, long millis, int steps, long moveEvaluations,
            String bestScore) {
    }

    /**
     * How the solver did. {@code totalMillis} is problem building plus {@code solve}. The solve report's explanation of
     * every unplaced workload is timed apart, on a sample, and extrapolated to all of them.
     */
    public record SolverRun(long timeLimitMillis, long buildMillis, long solverSetupMillis, long solveMillis,
            long totalMillis, List<PhaseRun> phases, int unplacedWorkloads, long explainMicrosEach,
            long explainEstimateMillis, String score, long hardScore, long instancesPlaced, int workloadsPlaced,
            int parentsInUse, int hostsInUse, int violations) {
    }

    /** One fleet size: the fleet, generation and validation time, both runs and the heap high-water marks. */
    public record Result(long seed, double fill, FleetSize fleet, long generateMillis, long validateMillis,
            BaselineRun baseline, SolverRun solver, long peakHeapMiB, long maxHeapAfterGcMiB) {
    }

    public record Report(Machine machine, List<Result> results) {
    }

    private PlannerBenchmark() {
    }

    public static Duration defaultTimeLimit(int hosts) {
        return hosts >= LARGE_FLEET ? LARGE_TIME_LIMIT : DEFAULT_TIME_LIMIT;
    }

    public static Result run(int hosts, long seed, double fill, Duration timeLimit) {
        try (var heap = HeapMonitor.start()) {
            var started = System.nanoTime();
            var fleet = FleetGenerator.generate(hosts, seed, fill);
            var generated = System.nanoTime();
            var problems = FleetValidator.validate(fleet);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("The generated fleet of " + hosts + " hosts (seed " + seed + ") is invalid: "
                        + problems.subList(0, Math.min(5, problems.size())) + ". Maybe the generator broke a rule.");
            }
            var validated = System.nanoTime();
            var baseline = baseline(fleet);
            var solver = solve(fleet, timeLimit);
            var peak = heap.peak();
            return new Result(seed, fill, size(fleet), millis(started, generated), millis(generated, validated), baseline,
                    solver, peak.peakUsedBytes() / MIB, peak.maxAfterGcBytes() / MIB);
        }
    }

    private static FleetSize size(FleetDocument fleet) {
        var parents = 0;
        var existing = 0;
        for (var host : fleet.hosts()) {
            parents += host.parents().size();
            for (var parent : host.parents()) {
                existing += parent.devices().size();
            }
        }
        var instances = fleet.workloads().stream().mapToLong(FleetWorkload::instancesOrOne).sum();
        return new FleetSize(fleet.hosts().size(), parents, fleet.workloads().size(), instances, existing);
    }

    private static BaselineRun baseline(FleetDocument fleet) {
        var result = FirstFitDecreasing.place(fleet);
        var metrics = result.metrics();
        return new BaselineRun(result.totalMillis(), metrics.instancesPlaced(), metrics.workloadsPlaced(),
                metrics.parentsInUse(), metrics.hostsInUse(), PlanAuditor.audit(fleet, result.plan()).size());
    }

    private static SolverRun solve(FleetDocument fleet, Duration timeLimit) {
        var options = SolveOptions.defaults().withTimeLimit(timeLimit);
        var started = System.nanoTime();
        var problem = PlacementPlans.fromFleet(fleet, options.mode());
        var built = System.nanoTime();
        // As PlacementSolver.solve does, but keeping hold of the solver to time its phases.
        var solver = PlacementSolver.buildSolver(problem, options, built);
        var clock = new PhaseClock();
        // Phase events are not public API; SolverFactory always builds an AbstractSolver.
        ((AbstractSolver<PlacementPlan>) solver).addPhaseLifecycleListener(clock);
        var setUp = clock.solveStarting();
        var solved = solver.solve(problem);
        var ended = System.nanoTime();
        var ledger = UsageLedger.of(solved.getParents(), solved.getHosts().size(), solved.getAllocations());
        var metrics = SolveReports.metrics(solved, ledger);
        var explain = explainSample(solved, ledger);
        return new SolverRun(timeLimit.toMillis(), millis(started, built), millis(built, setUp), millis(setUp, ended),
                millis(started, ended), List.copyOf(clock.phases), explain.unplaced(), explain.microsEach(),
                explain.estimateMillis(), solved.getScore().toString(), solved.getScore().hardScore(),
                metrics.instancesPlaced(), metrics.workloadsPlaced(), metrics.parentsInUse(), metrics.hostsInUse(),
                PlanAuditor.audit(fleet, solved).size());
    }

    /**
     * Times the explanation that the solve report gives every unplaced workload, on a sample: it asks every parent
     * offering the type, so with a hundred thousand unplaced workloads the full report would take minutes.
     */
    private static Explained explainSample(PlacementPlan solved, UsageLedger ledger) {
        var unplaced = new ArrayList<DeviceAllocation>();
        for (var allocation : solved.getAllocations()) {
            if (allocation.getWorkload() != null && allocation.getParent() == null) {
                unplaced.add(allocation);
            }
        }
        var sample = unplaced.subList(0, Math.min(EXPLAIN_SAMPLE, unplaced.size()));
        var started = System.nanoTime();
        var explainer = new UnplacedExplainer(ledger);
        sample.forEach(explainer::explain);
        var nanos = System.nanoTime() - started;
        var microsEach = sample.isEmpty() ? 0 : nanos / 1000 / sample.size();
        var estimateMillis = sample.isEmpty() ? 0 : nanos * unplaced.size() / sample.size() / 1_000_000;
        return new Explained(unplaced.size(), microsEach, estimateMillis);
    }

    private record Explained(int unplaced, long microsEach, long estimateMillis) {
    }

    public static Machine machine() {
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory() / MIB,
                String.join(" ", System.getProperty("os.name"), System.getProperty("os.version"),
                        System.getProperty("os.arch")));
    }

    private static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The report as Markdown tables: the fleets and both runs, then where the solver's time went. */
    public static String markdown(Report report) {
        var machine = report.machine();
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Machine: %d processors, %s, %s, max heap %d MiB, %s.%n%n",
                machine.processors(), machine.cpu(), machine.java(), machine.maxHeapMiB(), machine.os()));
        out.append("| hosts | parents | workloads | instances requested | generate | FFD time | FFD instances placed "
                + "| FFD parents in use | solver time | time limit | score | hard | instances placed | parents in use "
                + "| hosts in use | audit (FFD/solver) | peak heap |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|\n");
        for (var result : report.results()) {
            var fleet = result.fleet();
            var ffd = result.baseline();
            var solver = result.solver();
            out.append(String.format(Locale.ROOT,
                    "| %,d | %,d | %,d | %,d | %s | %s | %,d | %,d | %s | %s | %s | %d | %,d | %,d | %,d "
                            + "| %s / %s | %,d MiB |%n",
                    fleet.hosts(), fleet.parents(), fleet.workloads(), fleet.instancesRequested(),
                    seconds(result.generateMillis()), seconds(ffd.millis()), ffd.instancesPlaced(), ffd.parentsInUse(),
                    seconds(solver.totalMillis()), seconds(solver.timeLimitMillis()), solver.score(), solver.hardScore(),
                    solver.instancesPlaced(), solver.parentsInUse(), solver.hostsInUse(), audit(ffd.violations()),
                    audit(solver.violations()), result.peakHeapMiB()));
        }
        out.append("\nWhere the solver's time goes (seconds; phases start counting when `solve` is called):\n\n");
        out.append("| hosts | build problem | set up solver | start-up before first phase | greedy construction "
                + "| local search | local search moves evaluated | after last phase | unplaced "
                + "| explain all unplaced (est.) | max heap after GC |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var result : report.results()) {
            var solver = result.solver();
            var phases = solver.phases();
            var first = phases.isEmpty() ? solver.solveMillis() : phases.get(0).startedAtMillis();
            var last = phases.isEmpty() ? null : phases.get(phases.size() - 1);
            var tail = last == null ? 0 : solver.solveMillis() - last.startedAtMillis() - last.millis();
            var construction = phases.isEmpty() ? "none" : seconds(phases.get(0).millis());
            if (!phases.isEmpty() && phases.get(0).startedAtMillis() + phases.get(0).millis() >= solver.timeLimitMillis()) {
                // The time limit ran out before every device had been tried: the unplaced include untried ones.
                construction += " (cut)";
            }
            out.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %,d | %s | %,d | %s | %,d MiB |%n",
                    result.fleet().hosts(), seconds(solver.buildMillis()), seconds(solver.solverSetupMillis()),
                    seconds(first), construction, seconds(phases.size() > 1 ? phases.get(1).millis() : 0),
                    phases.size() > 1 ? phases.get(1).moveEvaluations() : 0, seconds(tail), solver.unplacedWorkloads(),
                    seconds(solver.explainEstimateMillis()), result.maxHeapAfterGcMiB()));
        }
        return out.toString();
    }

    private static String audit(int violations) {
        return violations == 0 ? "clean" : violations + " broken";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /** Times each phase from the moment {@code solve} was called. */
    private static final class PhaseClock extends PhaseLifecycleListenerAdapter<PlacementPlan> {

        private final List<PhaseRun> phases = new ArrayList<>();
        private long solveStarted;
        private long phaseStarted;

        /** Marks the moment {@code solve} is called and returns it, in nanoseconds. */
        long solveStarting() {
            solveStarted = System.nanoTime();
            return solveStarted;
        }

        @Override
        public void phaseStarted(AbstractPhaseScope<PlacementPlan> phaseScope) {
            phaseStarted = System.nanoTime();
        }

        @Override
        public void phaseEnded(AbstractPhaseScope<PlacementPlan> phaseScope) {
            var name = phaseScope.getClass().getSimpleName().replace("PhaseScope", "");
            var best = phaseScope.getBestScore();
            phases.add(new PhaseRun(name, millis(solveStarted, phaseStarted), millis(phaseStarted, System.nanoTime()),
                    phaseScope.getNextStepIndex(), phaseScope.getPhaseMoveEvaluationCount(),
                    best == null ? null : best.raw().toString()));
        }
    }
}

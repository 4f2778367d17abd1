package io.mdevplan.planner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.mdevplan.planner.bench.FleetGenerator;
import io.mdevplan.planner.bench.OnlineBenchmark;
import io.mdevplan.planner.bench.PlannerBenchmark;
import io.mdevplan.planner.policy.PolicyCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench-online", mixinStandardHelpOptions = true,
        description = "For each fleet size: generates hosts with exactly P parents each, builds the online placement "
                + "index, then decides and books random requests one at a time until the fleet is full, or the request "
                + "or time limit is reached, and reports decision latency percentiles (placed and refused apart), throughput "
                + "and heap. Every booking is audited afterwards; exits 1 if one breaks a hard rule.")
final class BenchOnlineCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--hosts", required = true, split = ",", paramLabel = "N",
            description = "Fleet sizes in hosts, e.g. 1000,10000.")
    private List<Integer> hosts;

    @Option(names = "--parents", defaultValue = "8", paramLabel = "P",
            description = "Parents on every host, of mixed families, 1 to " + FleetGenerator.MAX_PARENTS_PER_HOST
                    + " (default: ${DEFAULT-VALUE}).")
    private int parents;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--requests", defaultValue = "" + OnlineBenchmark.DEFAULT_REQUESTS, paramLabel = "N",
            description = "The most requests per size and policy; a run also stops when the fleet is full "
                    + "(" + OnlineBenchmark.FULL_AFTER_REFUSALS + " refusals in a row) (default: ${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--duration", defaultValue = "25s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "The longest a run may decide, per size and policy, e.g. 10s, 2m (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--prefill", defaultValue = "0", paramLabel = "F",
            description = "Before measuring, fill the fleet to F (0 to " + OnlineBenchmark.MAX_PREFILL + ", the mean "
                    + "over parents of their fullest pool) with requests booked on random parents, untimed: to measure "
                    + "a large fleet near full, e.g. 0.9 (default: ${DEFAULT-VALUE}).")
    private double prefill;

    @Option(names = "--policy", split = ",", paramLabel = "NAME",
            description = "Policies to measure, each on a fresh index (default: pack,spread).")
    private List<String> policies;

    @Option(names = "--out", paramLabel = "R.md|R.json",
            description = "Write the report here, as JSON if the name ends in .json, else as Markdown "
                    + "(default: standard output).")
    private Path out;

    @Override
    public Integer call() {
        for (var size : hosts) {
            if (size < 1) {
                throw new IllegalArgumentException("--hosts " + size + ": a fleet needs at least 1 host. Maybe use 1000.");
            }
        }
        if (parents < 1 || parents > FleetGenerator.MAX_PARENTS_PER_HOST) {
            throw new IllegalArgumentException("--parents " + parents + " is outside 1 to "
                    + FleetGenerator.MAX_PARENTS_PER_HOST + ". Maybe use 8.");
        }
        OnlineBenchmark.Limits limits;
        try {
            limits = new OnlineBenchmark.Limits(requests, duration.toMillis(), prefill);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--requests " + requests + " --duration " + duration + " --prefill "
                    + prefill + ": " + e.getMessage(), e);
        }
        var measured = policies == null ? OnlineBenchmark.defaultPolicies()
                : policies.stream().map(PolicyCatalog::byName).toList();
        var err = spec.commandLine().getErr();
        var warmup = OnlineBenchmark.warmUp(parents, seed, measured);
        err.printf(Locale.ROOT, "bench-online: JIT warm-up, %,d decisions on %,d hosts in %,d ms%n", warmup.decisions(),
                warmup.hosts(), warmup.millis());
        err.flush();
        var results = new ArrayList<OnlineBenchmark.Result>();
        var broken = false;
        for (var size : hosts) {
            var result = OnlineBenchmark.run(size, parents, seed, limits, measured);
            results.add(result);
            for (var run : result.runs()) {
                broken |= run.violations() > 0;
                err.printf(Locale.ROOT, "bench-online: %,d hosts, %,d parents, %s: index built in %,d ms; fill %.0f%% "
                        + "to %.0f%% in %,d decisions (%,d placed, %,d refused; stopped by %s), p50 %.1f us, "
                        + "p99 %.1f us, max %.1f us; audit %d broken%n", result.hosts(), result.parents(), run.policy(),
                        run.buildMillis(), run.fillBefore() * 100, run.fillAfter() * 100, run.decisions(), run.placed(),
                        run.refused(), run.stop().name().toLowerCase(Locale.ROOT), run.decide().p50(),
                        run.decide().p99(), run.decide().max(), run.violations());
                err.flush();
            }
        }
        ReportOutput.write(new OnlineBenchmark.Report(PlannerBenchmark.machine(), warmup, results),
                OnlineBenchmark::markdown, out, spec.commandLine().getOut());
        if (broken) {
            err.println("bench-online: a booking breaks a hard rule; see the audit column.");
            err.flush();
            return 1;
        }
        return 0;
    }
}

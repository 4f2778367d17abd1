package io.mdevplan.planner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.mdevplan.planner.bench.PlannerBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "For each fleet size: generates a fleet, places its workloads with first-fit-decreasing and with "
                + "the solver, audits both plans and reports times, placements and peak heap. Exits 1 if a plan breaks "
                + "a hard rule.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--hosts", required = true, split = ",", paramLabel = "N",
            description = "Fleet sizes in hosts, e.g. 100,1000,10000.")
    private List<Integer> hosts;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--fill", defaultValue = "1.0", paramLabel = "F",
            description = "Workloads asking for F times the fleet's free capacity (default: ${DEFAULT-VALUE}).")
    private double fill;

    @Option(names = "--time-limit", split = ",", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "The solver's time limit: one for every size, or one per size (default: 10s, and 50s from "
                    + PlannerBenchmark.LARGE_FLEET + " hosts).")
    private List<Duration> timeLimits;

    @Option(names = "--out", paramLabel = "R.md|R.json",
            description = "Write the report here, as JSON if the name ends in .json, else as Markdown "
                    + "(default: standard output).")
    private Path out;

    @Override
    public Integer call() {
        for (var size : hosts) {
            if (size < 1) {
                throw new IllegalArgumentException("--hosts " + size + ": a fleet needs at least 1 host. Maybe use 100.");
            }
        }
        if (timeLimits != null && timeLimits.size() != 1 && timeLimits.size() != hosts.size()) {
            throw new IllegalArgumentException("--time-limit has " + timeLimits.size() + " values for " + hosts.size()
                    + " sizes. Maybe give one value, or one per size.");
        }
        var err = spec.commandLine().getErr();
        var results = new ArrayList<PlannerBenchmark.Result>();
        var broken = false;
        for (var i = 0; i < hosts.size(); i++) {
            var result = PlannerBenchmark.run(hosts.get(i), seed, fill, timeLimit(i));
            results.add(result);
            var solver = result.solver();
            broken |= solver.hardScore() != 0 || solver.violations() > 0 || result.baseline().violations() > 0;
            err.printf(Locale.ROOT, "bench: %,d hosts, %,d workloads: FFD placed %,d instances in %,d ms; "
                    + "solver placed %,d in %,d ms, score %s, audit %d broken; peak heap %,d MiB%n",
                    result.fleet().hosts(), result.fleet().workloads(), result.baseline().instancesPlaced(),
                    result.baseline().millis(), solver.instancesPlaced(), solver.totalMillis(), solver.score(),
                    solver.violations(), result.peakHeapMiB());
            err.flush();
        }
        ReportOutput.write(new PlannerBenchmark.Report(PlannerBenchmark.machine(), results), PlannerBenchmark::markdown,
                out, spec.commandLine().getOut());
        if (broken) {
            err.println("bench: a plan breaks a hard rule; see the audit columns.");
            err.flush();
            return 1;
        }
        return 0;
    }

    private Duration timeLimit(int index) {
        if (timeLimits == null) {
            return PlannerBenchmark.defaultTimeLimit(hosts.get(index));
        }
        return timeLimits.get(timeLimits.size() == 1 ? 0 : index);
    }
}

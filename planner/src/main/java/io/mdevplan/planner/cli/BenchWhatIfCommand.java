package io.mdevplan.planner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.mdevplan.planner.bench.PlannerBenchmark;
import io.mdevplan.planner.bench.WhatIfBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench-whatif", mixinStandardHelpOptions = true,
        description = "Generates a fleet, places its workloads greedily so that it stands as a live fleet would, then "
                + "runs ten what-if scenarios on it one after the other (added, removed and drained hosts, added and "
                + "removed workloads, other policies, growth) and reports each one's figures and times. Every "
                + "scenario's plan is audited; exits 1 if one breaks a hard rule.")
final class BenchWhatIfCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--hosts", defaultValue = "10000", paramLabel = "N",
            description = "Fleet size in hosts; scenario sizes scale with it (default: ${DEFAULT-VALUE}).")
    private int hosts;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--fill", defaultValue = "" + WhatIfBenchmark.DEFAULT_FILL, paramLabel = "F",
            description = "Workloads generated for F times the fleet's free capacity, before those that do not fit "
                    + "are dropped (default: ${DEFAULT-VALUE}).")
    private double fill;

    @Option(names = "--time-limit", defaultValue = "3s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Each scenario's solve time limit (default: ${DEFAULT-VALUE}).")
    private Duration timeLimit;

    @Option(names = "--out", paramLabel = "R.md|R.json",
            description = "Write the report here, as JSON if the name ends in .json, else as Markdown "
                    + "(default: standard output).")
    private Path out;

    @Override
    public Integer call() {
        if (hosts < 1) {
            throw new IllegalArgumentException("--hosts " + hosts + ": a fleet needs at least 1 host. Maybe use 10000.");
        }
        var result = WhatIfBenchmark.run(hosts, seed, fill, timeLimit);
        var err = spec.commandLine().getErr();
        var broken = 0;
        for (var run : result.scenarios()) {
            broken += run.violations();
            err.printf(Locale.ROOT, "bench-whatif: %s: %,d of %,d placed, %,d creates, %,d moves, %,d removes, "
                    + "exhaustion %s, %,d ms, audit %d broken%n", run.name(), run.placed(), run.workloads(),
                    run.creates(), run.moves(), run.removes(), run.exhaustionMonth() == null ? "none"
                            : "month " + run.exhaustionMonth(), run.totalMillis(), run.violations());
        }
        err.printf(Locale.ROOT, "bench-whatif: %,d hosts, ten scenarios in %,d ms, %,d ms of CPU time, load average "
                + "%.2f to %.2f (base fleet made in %,d ms)%n", result.base().hosts(), result.totalMillis(),
                result.cpuMillis(), result.loadAverageBefore(), result.loadAverageAfter(), result.base().setupMillis());
        err.flush();
        ReportOutput.write(new WhatIfBenchmark.Report(PlannerBenchmark.machine(), result), WhatIfBenchmark::markdown,
                out, spec.commandLine().getOut());
        if (broken > 0) {
            err.println("bench-whatif: a scenario's plan breaks a hard rule; see the audit column.");
            err.flush();
            return 1;
        }
        return 0;
    }
}

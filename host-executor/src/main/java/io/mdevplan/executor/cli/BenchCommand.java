package io.mdevplan.executor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.mdevplan.executor.bench.ApplyBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench}: plan actions applied per second against the simulated kernel; hidden, for bench/executor.sh. */
@Command(name = "bench", hidden = true, mixinStandardHelpOptions = true,
        description = "Measure plan actions applied per second against the simulated kernel, as markdown.")
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--parents", defaultValue = "8", description = "Parents of the simulated host (default: 8).")
    private int parents;

    @Option(names = "--plans", defaultValue = "20",
            description = "Plans of creates a run applies, then as many of removes (default: 20).")
    private int plans;

    @Option(names = "--actions", defaultValue = "50", description = "Actions per plan (default: 50).")
    private int actions;

    @Option(names = "--warmup", defaultValue = "3", description = "Runs before measuring (default: 3).")
    private int warmups;

    @Option(names = "--runs", defaultValue = "7", description = "Measured runs; the median counts (default: 7).")
    private int runs;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the markdown to FILE.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        ApplyBenchmark.Settings settings;
        try {
            settings = new ApplyBenchmark.Settings(parents, plans, actions, warmups, runs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        var markdown = ApplyBenchmark.run(settings).markdown();
        spec.commandLine().getOut().print(markdown);
        spec.commandLine().getOut().flush();
        if (out != null) {
            Files.writeString(out, markdown);
        }
        return 0;
    }
}

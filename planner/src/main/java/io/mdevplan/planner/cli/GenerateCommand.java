package io.mdevplan.planner.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.mdevplan.planner.bench.FleetGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes a generated fleet document: hosts with NVIDIA, i915, mtty and DSA parents, some devices "
                + "already in place, and workloads to fill them. The same seed always gives the same document.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--hosts", required = true, paramLabel = "N", description = "How many hosts.")
    private int hosts;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--fill", defaultValue = "1.0", paramLabel = "F",
            description = "Workloads asking for F times the fleet's free capacity (default: ${DEFAULT-VALUE}).")
    private double fill;

    @Option(names = "--out", paramLabel = "F.json", description = "Write the document here instead of standard output.")
    private Path out;

    @Override
    public Integer call() {
        var json = FleetGenerator.toJson(FleetGenerator.generate(hosts, seed, fill));
        if (out == null) {
            spec.commandLine().getOut().println(json);
            spec.commandLine().getOut().flush();
            return 0;
        }
        try {
            var folder = out.toAbsolutePath().getParent();
            if (folder != null) {
                Files.createDirectories(folder);
            }
            Files.writeString(out, json + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out + ". Maybe check that its folder is writable.", e);
        }
        return 0;
    }
}

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

    @Option(names = "--parents", paramLabel = "P",
            description = "Exactly P parents on every host, of mixed families (1 to " + FleetGenerator.MAX_PARENTS_PER_HOST
                    + "; default: 1 to 8 by host model).")
    private Integer parents;

    @Option(names = "--out", paramLabel = "F.json", description = "Write the document here instead of standard output.")
    private Path out;

    @Override
    public Integer call() {
        var fleet = parents == null ? FleetGenerator.generate(hosts, seed, fill)
                : FleetGenerator.generate(hosts, seed, fill, parents);
        var json = FleetGenerator.toJson(fleet);
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

package io.mdevplan.executor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.mdevplan.executor.apply.Plan;
import io.mdevplan.executor.apply.PlanApplier;
import io.mdevplan.executor.apply.PlanException;
import io.mdevplan.executor.apply.PlanReader;
import io.mdevplan.executor.files.SysfsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code apply --plan P.json [--root DIR] [--no-persist]}: makes this host's devices what the plan says. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create and remove mediated devices as a plan says, and print one result per action as JSON.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every action done", "1:an internal error", "2:bad input: the plan is unreadable, or an"
                + " action was refused and nothing was written", "3:a write failed: it was unwound, the actions"
                + " before it are done, the later ones skipped"})
final class ApplyCommand implements Callable<Integer> {

    private final Function<Path, SysfsFiles> filesForRoot;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--plan", paramLabel = "P.json", required = true, description = "The plan to apply.")
    private Path plan;

    @CommandLine.Mixin
    private RootOption root;

    @Option(names = "--no-persist",
            description = "Leave etc/mdevctl.d alone: devices made now do not come back at boot.")
    private boolean noPersist;

    ApplyCommand(Function<Path, SysfsFiles> filesForRoot) {
        this.filesForRoot = filesForRoot;
    }

    @Override
    public Integer call() throws Exception {
        var files = root.files(filesForRoot);
        var parsed = readPlan();
        var report = new PlanApplier(root.layout(), files, !noPersist).apply(parsed);
        var mapper = new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(SerializationFeature.INDENT_OUTPUT);
        spec.commandLine().getOut().println(mapper.writeValueAsString(report));
        spec.commandLine().getOut().flush();
        return report.exitCode();
    }

    private Plan readPlan() {
        try {
            return PlanReader.read(plan);
        } catch (PlanException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}

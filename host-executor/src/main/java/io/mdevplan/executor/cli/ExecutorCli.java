package io.mdevplan.executor.cli;

import java.nio.file.Path;
import java.util.function.Function;

import io.mdevplan.executor.files.NioSysfsFiles;
import io.mdevplan.executor.files.SysfsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The host executor's command line: {@code java -jar mdevplan-executor.jar <command>}. */
@Command(name = "mdevplan-executor", mixinStandardHelpOptions = true, version = "mdevplan-executor 0.1.0",
        description = "Reads and changes the mediated devices of this host.")
public final class ExecutorCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line on the real files, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return commandLine(root -> new NioSysfsFiles());
    }

    /** The command line on the files {@code files} gives for a --root: a simulated kernel in tests. */
    public static CommandLine commandLine(Function<Path, SysfsFiles> files) {
        return new CommandLine(new ExecutorCli())
                .addSubcommand(new InventoryCommand(files))
                .addSubcommand(new ApplyCommand(files))
                .addSubcommand(new ExportCommand(files))
                .addSubcommand(new RunCommand(files))
                .addSubcommand(new BenchCommand())
                // a failing command prints its message, not a stack trace: the messages carry the hints
                .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
                    commandLine.getErr().println("mdevplan-executor: " + exception.getMessage());
                    return commandLine.getCommandSpec().exitCodeOnExecutionException();
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing command. Maybe run: inventory, apply, export, run");
    }
}

package io.mdevplan.executor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The host executor's command line: {@code java -jar mdevplan-executor.jar <command>}. */
@Command(name = "mdevplan-executor", mixinStandardHelpOptions = true, version = "mdevplan-executor 0.1.0",
        description = "Reads and (later) changes the mediated devices of this host.",
        subcommands = InventoryCommand.class)
public final class ExecutorCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new ExecutorCli())
                // a failing command prints its message, not a stack trace: the messages carry the hints
                .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
                    commandLine.getErr().println("mdevplan-executor: " + exception.getMessage());
                    return commandLine.getCommandSpec().exitCodeOnExecutionException();
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command. Maybe run: inventory");
    }
}

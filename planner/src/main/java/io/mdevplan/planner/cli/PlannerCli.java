package io.mdevplan.planner.cli;

import java.io.PrintWriter;
import java.util.function.UnaryOperator;

import io.mdevplan.planner.fleet.InvalidFleetException;
import io.mdevplan.planner.service.ServiceCallException;
import io.mdevplan.planner.whatif.InvalidScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The planner's command line: {@code java -jar mdevplan-planner.jar <command> --help}. */
@Command(name = "mdevplan-planner", mixinStandardHelpOptions = true, version = "mdevplan planner 0.1.0",
        description = "Places mdev workloads on a fleet document under a named policy, and answers capacity questions.",
        subcommands = { SolveCommand.class, HeadroomCommand.class, WhatIfCommand.class, GenerateCommand.class,
                BenchCommand.class, BenchOnlineCommand.class, BenchWhatIfCommand.class, LoadgenCommand.class, TokensCommand.class })
public final class PlannerCli implements Runnable {

    /** The user's input was wrong: the message says which value and how to fix it. */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final UnaryOperator<String> environment;

    private PlannerCli(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** With {@code environment} answering environment variables by name, so tests need not set real ones. */
    public static CommandLine commandLine(UnaryOperator<String> environment) {
        return new CommandLine(new PlannerCli(environment))
                .setExecutionExceptionHandler(PlannerCli::handleExecutionException);
    }

    /** The environment of the command line that {@code command} belongs to. */
    static UnaryOperator<String> environment(CommandLine.Model.CommandSpec command) {
        return ((PlannerCli) command.root().userObject()).environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** User mistakes get their message and exit 2; only our own bugs get a stack trace. */
    private static int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof InvalidFleetException || e instanceof InvalidScenarioException
                || e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
        if (e instanceof ServiceCallException call) {
            err.println("error: " + call.getMessage());
            err.flush();
            return call.badInput() ? EXIT_BAD_INPUT : 1;
        }
        err.println("internal error (please report it with the input): " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }
}

package io.mdevplan.planner.whatif;

import java.util.List;
import java.util.stream.Collectors;

import io.mdevplan.planner.fleet.FleetProblem;

/**
 * A scenario that cannot be evaluated, with every problem found and where: JSON paths into the scenario document
 * ({@code $.changes[2].hosts[0]}), and {@code $.base...} into its embedded fleet.
 */
public final class InvalidScenarioException extends RuntimeException {

    private final String source;
    private final List<FleetProblem> problems;

    public InvalidScenarioException(String source, List<FleetProblem> problems) {
        super(describe(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<FleetProblem> problems() {
        return problems;
    }

    private static String describe(String source, List<FleetProblem> problems) {
        var header = "The scenario " + source + " has " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:");
        return problems.stream().map(problem -> "  " + problem).collect(Collectors.joining("\n", header + "\n", ""));
    }
}

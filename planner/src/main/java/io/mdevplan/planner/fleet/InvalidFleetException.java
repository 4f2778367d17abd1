package io.mdevplan.planner.fleet;

import java.util.List;
import java.util.stream.Collectors;

/** A fleet document that cannot be planned on, with every problem found and where. */
public final class InvalidFleetException extends RuntimeException {

    private final String source;
    private final List<FleetProblem> problems;

    public InvalidFleetException(String source, List<FleetProblem> problems) {
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
        var header = "The fleet document " + source + " has " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:");
        return problems.stream().map(problem -> "  " + problem).collect(Collectors.joining("\n", header + "\n", ""));
    }
}

package io.mdevplan.planner.fleet;

import java.util.List;
import java.util.stream.Collectors;

/** A document (a fleet, a scenario) that cannot be used, with every problem found and where. */
public abstract class InvalidDocumentException extends RuntimeException {

    private final String source;
    private final List<FleetProblem> problems;

    /** {@code kind} names the document in the message: "fleet document", "scenario". */
    protected InvalidDocumentException(String kind, String source, List<FleetProblem> problems) {
        super(describe(kind, source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public final String source() {
        return source;
    }

    public final List<FleetProblem> problems() {
        return problems;
    }

    private static String describe(String kind, String source, List<FleetProblem> problems) {
        var header = "The " + kind + " " + source + " has " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:");
        return problems.stream().map(problem -> "  " + problem).collect(Collectors.joining("\n", header + "\n", ""));
    }
}

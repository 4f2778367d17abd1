package io.mdevplan.planner.fleet;

/**
 * One thing wrong with a fleet document: where (a JSON path such as {@code $.hosts[2].parents[0].types[1].maxAggregation}),
 * the offending value, and what is wrong with it, ending with how to fix it.
 */
public record FleetProblem(String path, String value, String message) {

    @Override
    public String toString() {
        return path + ": " + message + (value == null ? "" : " (value: " + value + ")");
    }
}

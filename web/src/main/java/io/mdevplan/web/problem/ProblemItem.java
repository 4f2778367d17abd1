package io.mdevplan.web.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.mdevplan.planner.fleet.FleetProblem;

/**
 * One bad value: where it is (a JSON path such as $.hosts[0].name, or {name} for a path parameter), what it is, and
 * why, ending with the fix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemItem(String path, String value, String message) {

    public static ProblemItem of(FleetProblem problem) {
        return new ProblemItem(problem.path(), problem.value(), problem.message());
    }
}

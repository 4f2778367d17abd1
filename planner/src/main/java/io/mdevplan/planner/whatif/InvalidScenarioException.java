package io.mdevplan.planner.whatif;

import java.util.List;

import io.mdevplan.planner.fleet.FleetProblem;
import io.mdevplan.planner.fleet.InvalidDocumentException;

/**
 * A scenario that cannot be evaluated, with every problem found and where: JSON paths into the scenario document
 * ({@code $.changes[2].hosts[0]}), and {@code $.base...} into its embedded fleet.
 */
public final class InvalidScenarioException extends InvalidDocumentException {

    public InvalidScenarioException(String source, List<FleetProblem> problems) {
        super("scenario", source, problems);
    }
}

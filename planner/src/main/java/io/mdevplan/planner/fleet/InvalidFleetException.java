package io.mdevplan.planner.fleet;

import java.util.List;

/** A fleet document that cannot be planned on, with every problem found and where. */
public final class InvalidFleetException extends InvalidDocumentException {

    public InvalidFleetException(String source, List<FleetProblem> problems) {
        super("fleet document", source, problems);
    }
}

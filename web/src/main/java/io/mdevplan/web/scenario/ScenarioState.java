package io.mdevplan.web.scenario;

import java.util.Locale;

/** Where a scenario stands (scenarios.state). */
public enum ScenarioState {
    /** Waiting for a worker. */
    QUEUED,
    /** A worker holds it under a lease and is solving it. */
    RUNNING,
    /** Solved: the result is stored. */
    DONE,
    /** It could not be solved: the error says why. */
    FAILED,
    CANCELLED;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Nothing more happens to it (but a commit of a done one). */
    public boolean isOver() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    public static ScenarioState fromColumn(String value) {
        for (var state : values()) {
            if (state.column().equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown scenario state \"" + value
                + "\". Maybe the database is newer than this service.");
    }
}

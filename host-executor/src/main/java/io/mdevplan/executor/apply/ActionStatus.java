package io.mdevplan.executor.apply;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an action ended. */
public enum ActionStatus {
    /** The host is as the action asks, whether this run changed it or it already was. */
    DONE,
    /** A write failed; anything the action had made was removed again. */
    FAILED,
    /** Checked before any write and found wrong: nothing of the plan was written. */
    REFUSED,
    /** Not tried, because another action was refused or failed before it. */
    SKIPPED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.mdevplan.planner.online;

/** Where a request goes, or why it goes nowhere. */
public sealed interface PlacementDecision {

    /** The parent chosen, as host name and parent address. */
    record Placed(String host, String parent) implements PlacementDecision {
    }

    /** Nothing fits; the reason is the planner's explanation, naming the closest parent and a fix. */
    record Refused(String reason) implements PlacementDecision {
    }
}

package io.mdevplan.planner.whatif;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a what-if run is doing, in the order it does it. */
public enum WhatIfPhase {
    /** Building the solver's problem from the scenario's fleet. */
    BUILDING,
    /** Placing what needs a device, one at a time, as online placement would. */
    CONSTRUCTING,
    /** Local search, within the time limit; its progress carries the best score. */
    IMPROVING,
    /** Unplaced reasons, headroom, fragmentation, use and the plan against today. */
    ANALYSING,
    /** Adding the growth month by month; its progress carries the month. */
    GROWING,
    DONE;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.mdevplan.planner.whatif;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a what-if run stands: its phase, the time since it started, the best score local search has found (null
 * before local search, and when it does not run), the workloads still without a device once construction has run, and
 * the month being grown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhatIfProgress(WhatIfPhase phase, long elapsedMillis, String bestScore, Integer unplaced, Integer month) {
}

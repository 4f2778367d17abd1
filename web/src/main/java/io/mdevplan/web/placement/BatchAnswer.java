package io.mdevplan.web.placement;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a batch did: counts, the solver's score and time, and per request in the order sent its outcome: placed
 * (a new placement), existing (placed before by the same request), unplaced (nothing fits: the reason) or conflict
 * (the workload is placed with a different request).
 */
public record BatchAnswer(String policy, String mode, int placed, int existing, int unplaced, int conflicts,
        String score, long solveMillis, List<BatchResult> results) {

    /** One request's outcome; {@code placement} when placed or existing, {@code reason} otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchResult(String workload, String outcome, PlacementView placement, String reason) {

        public static final String PLACED = "placed";
        public static final String EXISTING = "existing";
        public static final String UNPLACED = "unplaced";
        public static final String CONFLICT = "conflict";
    }
}

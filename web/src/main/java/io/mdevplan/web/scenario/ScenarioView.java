package io.mdevplan.web.scenario;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A scenario as the API shows it: where it stands in the queue, how far its run got ({@code progress}, the planner's
 * last report; {@code bestScore}; {@code elapsedMillis}, the run's own time), who holds it, and once done its
 * {@code result} (only when one scenario is asked for) and {@code commit}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScenarioView(String id, String name, String state, String base, long timeLimitMillis,
        JsonNode progress, String bestScore, Long elapsedMillis, int attempts, String worker, Instant leaseExpiresAt,
        boolean cancelRequested, String error, Instant createdAt, Instant startedAt, Instant finishedAt,
        Commit commit, JsonNode result) {

    public static final String LIVE = "live";
    public static final String EMBEDDED = "embedded";

    /**
     * How the scenario's plan was committed: {@code mode} dispatch or reserve, the placements it made, and for
     * reserve until when they hold and when they were released (by DELETE, expiry, or a dispatch of the plan).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Commit(String mode, Instant committedAt, int placements, Instant expiresAt, Instant releasedAt) {
    }
}

package io.mdevplan.web.scenario;

/**
 * The body of POST /api/v1/scenarios/{id}/commit: {@code mode} dispatch (the plan becomes placements and host
 * actions) or reserve (its capacity is held for it); {@code workloadPrefix} names the workloads the scenario added
 * (default s&lt;id&gt;-); {@code ttlSeconds}, for reserve, how long the reservations hold.
 */
public record CommitBody(String mode, String workloadPrefix, Long ttlSeconds) {

    public static final String DISPATCH = "dispatch";
    public static final String RESERVE = "reserve";
}

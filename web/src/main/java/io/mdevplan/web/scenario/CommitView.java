package io.mdevplan.web.scenario;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.mdevplan.web.placement.PlacementView;

/**
 * What a commit of a scenario's plan did, or a release of its reservations: the placements it made ({@code pending}
 * with their create actions for dispatch, {@code reserved} for reserve), the workloads whose placements it released
 * (moved or removed by the plan), the hosts it cordoned (drained or removed by the scenario), the reservations it
 * ended, and the plan's steps it could not carry out, each with why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommitView(String scenario, String mode, List<PlacementView> placed, List<String> released,
        List<String> cordoned, int reservationsReleased, Instant expiresAt, Instant releasedAt,
        List<Skipped> skipped) {

    /** A step of the plan ({@code path} into the scenario's result) the commit left out, and why. */
    public record Skipped(String path, String uuid, String reason) {
    }
}

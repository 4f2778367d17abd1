package io.mdevplan.web.dispatch;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.mdevplan.web.placement.PlacementView;

/**
 * An action's stored result as the API answers it: the action, its status ({@code done} or {@code failed}) with the
 * error, and the workload, state and reason of the placement it was for; after a failed create under a policy that
 * replaces, the placement made in its place.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionResultView(String id, String host, String op, String uuid, String status, ActionError error,
        String workload, String placementState, String placementReason, PlacementView replacement,
        Instant updatedAt) {

    /** The same result after what followed a failed create: the placement's reason now, the placement made. */
    ActionResultView followedBy(String reason, PlacementView made) {
        return new ActionResultView(id, host, op, uuid, status, error, workload, placementState, reason, made,
                updatedAt);
    }
}

package io.mdevplan.web.dispatch;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An action's stored result as the API answers it: the action, its status ({@code done} or {@code failed}) with the
 * error, and the workload and state of the placement it was for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionResultView(String id, String host, String op, String uuid, String status, ActionError error,
        String workload, String placementState, Instant updatedAt) {
}

package io.mdevplan.web.host;

import java.time.Instant;

/**
 * The answer to a heartbeat: what is stored of the host's executor now, the host's actions waiting for their result
 * and those that failed, and whether the executor should report its inventory (PUT .../inventory): the service has
 * none since it started, or none from an executor at all (the host came with a fleet import).
 */
public record HeartbeatView(String host, Instant lastHeartbeatAt, String executorVersion, Instant executorStartedAt,
        Instant lastInventoryAt, long pendingActions, long failedActions, boolean reportInventory) {
}

package io.mdevplan.web.host;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A host's inventory with what its pools hold and what each type could still get; and its executor: the last
 * heartbeat and inventory report, the executor's version and start, the actions waiting for their result and those
 * that failed.
 */
public record HostView(String name, Map<String, String> labels, boolean schedulable, Instant lastHeartbeatAt,
        Instant lastInventoryAt, String executorVersion, Instant executorStartedAt, long pendingActions,
        long failedActions, List<ParentView> parents) {
}

package io.mdevplan.web.host;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A host's inventory with what its pools hold and what each type could still get. */
public record HostView(String name, Map<String, String> labels, boolean schedulable, Instant lastHeartbeat,
        List<ParentView> parents) {
}

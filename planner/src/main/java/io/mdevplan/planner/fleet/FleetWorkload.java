package io.mdevplan.planner.fleet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A workload (typically a VM) that needs one device of {@code type} holding {@code instances} aggregated instances.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetWorkload(String id, String type, Integer instances, Integer priority, String antiAffinityGroup,
        Map<String, String> hostSelector) {

    public static final int DEFAULT_PRIORITY = 1;

    public FleetWorkload {
        hostSelector = hostSelector == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hostSelector));
    }

    public int instancesOrOne() {
        return instances == null ? 1 : instances;
    }

    public int priorityOrDefault() {
        return priority == null ? DEFAULT_PRIORITY : priority;
    }
}

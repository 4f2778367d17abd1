package io.mdevplan.planner.online;

import java.util.Map;

import io.mdevplan.planner.domain.Workload;

/** A scheduler's request: one device of {@code type} holding {@code instances}, for one workload. */
public record PlacementRequest(String workload, String type, int instances, int priority, String antiAffinityGroup,
        Map<String, String> hostSelector) {

    public PlacementRequest {
        hostSelector = hostSelector == null ? Map.of() : Map.copyOf(hostSelector);
    }

    Workload toWorkload() {
        return new Workload(workload, type, instances, priority, antiAffinityGroup, hostSelector);
    }
}

package io.mdevplan.planner.domain;

import java.util.Map;

/** What a workload asks for: one device of a type holding N instances, on a host its selector accepts. */
public record Workload(String id, String typeId, int instances, int priority, String antiAffinityGroup,
        Map<String, String> hostSelector) {

    public Workload {
        hostSelector = Map.copyOf(hostSelector);
    }

    /** The weight of leaving it unplaced: priority x instances, where priority 0 weighs as 1. */
    public long unplacedWeight() {
        return (long) Math.max(1, priority) * instances;
    }
}

package io.mdevplan.planner.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A device that exists on a parent now; {@code workload} names its owner, if any. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetDevice(String uuid, String type, Integer instances, String workload) {

    public int instancesOrOne() {
        return instances == null ? 1 : instances;
    }
}

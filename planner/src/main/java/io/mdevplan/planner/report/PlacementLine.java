package io.mdevplan.planner.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a workload's device goes. {@code action} is {@code keep} (exists there now), {@code create} (new) or
 * {@code move} (exists elsewhere now; {@code from} says where).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlacementLine(String workload, String host, String parent, String type, int instances, String uuid,
        String action, String from) {
}

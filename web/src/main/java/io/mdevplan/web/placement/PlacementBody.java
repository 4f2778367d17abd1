package io.mdevplan.web.placement;

import java.util.Map;

import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.online.PlacementRequest;

/**
 * The body of POST /api/v1/placements, and one request of a batch: one device of {@code type} holding
 * {@code instances} (default 1) for the workload, placed by the named policy (default: the default policy).
 */
public record PlacementBody(String workload, String type, Integer instances, Integer priority,
        String antiAffinityGroup, Map<String, String> hostSelector, String policy) {

    public PlacementBody {
        hostSelector = hostSelector == null ? Map.of() : hostSelector;
    }

    /** The request as the planner's validator judges workloads. */
    FleetWorkload toWorkload() {
        return new FleetWorkload(workload, type, instances, priority, antiAffinityGroup, hostSelector);
    }

    /** The request as the online index takes it, defaults filled in. */
    PlacementRequest toRequest() {
        var workload = toWorkload();
        return new PlacementRequest(this.workload, type, workload.instancesOrOne(), workload.priorityOrDefault(),
                antiAffinityGroup, hostSelector);
    }
}

package io.mdevplan.planner.fleet;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The fleet document: hosts with their parents, types, pools and devices, and the workloads to place.
 * The planner, the service and the host executor all speak this shape; see docs/fleet-format.md.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetDocument(List<FleetHost> hosts, List<FleetWorkload> workloads) {

    public FleetDocument {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
    }
}

package io.mdevplan.planner.whatif;

import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.policy.Policy;

/**
 * A scenario checked against its base fleet with its changes applied: what {@link WhatIfEngine#run} plans on. The
 * resulting fleet lists the workloads whose devices must move (drained or removed hosts) without a device, so they are
 * placed anew; everything else that exists stays where it is (in place mode).
 */
public final class PreparedScenario {

    private final String name;
    private final Policy policy;
    private final PlanningMode mode;
    private final FleetDocument base;
    private final FleetDocument fleet;
    private final List<WhatIfResult.ChangeEffect> changes;
    private final List<Growth> growth;
    private final List<WorkloadProfile> headroomProfiles;
    private final Origins origins;

    /** A device of today's fleet, on the host and parent address it is on. */
    record Today(String host, String address, FleetDevice device) {

        /** host/address, the way people name a parent. */
        String at() {
            return host + "/" + address;
        }
    }

    /**
     * What the changes did, for the plan against today: which change (by JSON index) added or removed each workload
     * and removed or drained each host; where the devices that had to go were today: of listed workloads moved off
     * removed and drained hosts ({@code displaced}), of removed workloads, and the devices no listed workload owns on
     * removed and drained hosts ({@code factsOnHosts}).
     */
    record Origins(Map<String, Integer> workloadAddedBy, Map<String, Integer> workloadRemovedBy,
            Map<String, Integer> hostRemovedBy, Map<String, Integer> hostDrainedBy, Map<String, Today> displaced,
            List<Today> removedDevices, Map<String, List<Today>> factsOnHosts) {

        Origins {
            workloadAddedBy = Map.copyOf(workloadAddedBy);
            workloadRemovedBy = Map.copyOf(workloadRemovedBy);
            hostRemovedBy = Map.copyOf(hostRemovedBy);
            hostDrainedBy = Map.copyOf(hostDrainedBy);
            displaced = Map.copyOf(displaced);
            removedDevices = List.copyOf(removedDevices);
            factsOnHosts = Map.copyOf(factsOnHosts);
        }
    }

    PreparedScenario(String name, Policy policy, PlanningMode mode, FleetDocument base, FleetDocument fleet,
            List<WhatIfResult.ChangeEffect> changes, List<Growth> growth, List<WorkloadProfile> headroomProfiles,
            Origins origins) {
        this.name = name;
        this.policy = policy;
        this.mode = mode;
        this.base = base;
        this.fleet = fleet;
        this.changes = List.copyOf(changes);
        this.growth = List.copyOf(growth);
        this.headroomProfiles = List.copyOf(headroomProfiles);
        this.origins = origins;
    }

    /** The scenario's name, or null. */
    public String name() {
        return name;
    }

    /** The policy to plan under: the scenario's, or the last {@code setPolicy}'s. */
    public Policy policy() {
        return policy;
    }

    public PlanningMode mode() {
        return mode;
    }

    /** The fleet today, as the scenario started from it. */
    public FleetDocument base() {
        return base;
    }

    /** The fleet once every change is applied, before planning. */
    public FleetDocument fleet() {
        return fleet;
    }

    /** What each change did, in order. */
    public List<WhatIfResult.ChangeEffect> changes() {
        return changes;
    }

    public List<Growth> growth() {
        return growth;
    }

    public List<WorkloadProfile> headroomProfiles() {
        return headroomProfiles;
    }

    Origins origins() {
        return origins;
    }
}

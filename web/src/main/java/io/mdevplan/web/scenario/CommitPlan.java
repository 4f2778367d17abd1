package io.mdevplan.web.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.whatif.PreparedScenario;
import io.mdevplan.planner.whatif.WhatIfResult;

/**
 * What committing a done scenario does, made when its run ends and stored beside the result (scenarios.commit_plan):
 * the result's plan names workloads and parents, a placement needs the workload's whole request. The steps in the
 * plan's order, the policy the scenario planned under, and the hosts it drained or removed.
 */
public record CommitPlan(String policy, List<Step> steps, List<String> drained) {

    public static final String CREATE = "create";
    public static final String MOVE = "move";
    public static final String REMOVE = "remove";

    /** The changes whose hosts a dispatch cordons, so that what it moved away is not placed back. */
    private static final String DRAIN_HOSTS = "drainHosts";
    private static final String REMOVE_HOSTS = "removeHosts";

    public CommitPlan {
        steps = List.copyOf(steps);
        drained = List.copyOf(drained);
    }

    /**
     * One step of the plan: {@code action} is its index in the result's {@code plan.actions}. {@code added} says the
     * scenario added the workload (it has no placement today). {@code uuid} is today's device (moves and removes);
     * {@code from} and {@code to} are parents as host/address. A remove of a device no workload owns has no workload.
     */
    public record Step(int action, String op, String workload, boolean added, String type, int instances,
            int priority, String antiAffinityGroup, Map<String, String> hostSelector, String uuid, String from,
            String to) {

        public Step {
            hostSelector = hostSelector == null ? Map.of() : Map.copyOf(hostSelector);
        }

        /** The step puts a device on a parent (create or move). */
        public boolean hasTarget() {
            return to != null;
        }

        /** The step takes a workload's device away (move or remove), or creates one anew for a listed workload. */
        public boolean touchesToday() {
            return workload != null && !added;
        }
    }

    /** The result's plan with each workload's request from the scenario as prepared; unmovable devices stay. */
    static CommitPlan of(PreparedScenario prepared, WhatIfResult result) {
        var workloads = new HashMap<String, FleetWorkload>();
        prepared.fleet().workloads().forEach(workload -> workloads.put(workload.id(), workload));
        var listedToday = new HashSet<String>();
        prepared.base().workloads().forEach(workload -> listedToday.add(workload.id()));
        var steps = new ArrayList<Step>();
        var actions = result.plan().actions();
        for (var i = 0; i < actions.size(); i++) {
            var action = actions.get(i);
            if (!CREATE.equals(action.action()) && !MOVE.equals(action.action())
                    && !REMOVE.equals(action.action())) {
                continue;
            }
            var workload = action.workload() == null ? null : workloads.get(action.workload());
            var added = action.workload() != null && !listedToday.contains(action.workload());
            steps.add(new Step(i, action.action(), action.workload(), added, action.type(), action.instances(),
                    workload == null ? FleetWorkload.DEFAULT_PRIORITY : workload.priorityOrDefault(),
                    workload == null ? null : workload.antiAffinityGroup(),
                    workload == null ? Map.of() : workload.hostSelector(), action.uuid(), action.from(), action.to()));
        }
        var drained = new LinkedHashSet<String>();
        for (var change : result.changes()) {
            if (DRAIN_HOSTS.equals(change.op()) || REMOVE_HOSTS.equals(change.op())) {
                drained.addAll(change.hosts());
            }
        }
        return new CommitPlan(prepared.policy().name(), steps, List.copyOf(drained));
    }

    /** The host of a host/address label. */
    static String host(String label) {
        return label.substring(0, label.indexOf('/'));
    }

    /** The address of a host/address label (an address has no '/', a host name neither). */
    static String address(String label) {
        return label.substring(label.indexOf('/') + 1);
    }
}

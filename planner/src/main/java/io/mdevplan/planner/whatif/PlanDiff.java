package io.mdevplan.planner.whatif;

import java.util.ArrayList;
import java.util.Comparator;

import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.whatif.PreparedScenario.Today;

/**
 * The scenario against today, device by device. A workload whose device stayed in the scenario's fleet knows it as its
 * allocation's original parent: it keeps the device on the same parent, or moves (replan mode). A workload whose device
 * had to go (its host removed or drained) was recorded with where it was: it moves, wherever it lands. The others get
 * a device created. Devices of today with no place in the scenario are removed: those of removed workloads, of
 * workloads left unplaced, and those on removed hosts that no listed workload owns.
 */
final class PlanDiff {

    static final String CREATE = "create";
    static final String MOVE = "move";
    static final String REMOVE = "remove";
    static final String UNMOVABLE = "unmovable";

    private PlanDiff() {
    }

    static WhatIfResult.Plan diff(PreparedScenario scenario, PlacementPlan solved) {
        var origins = scenario.origins();
        var creates = new ArrayList<WhatIfResult.PlanAction>();
        var moves = new ArrayList<WhatIfResult.PlanAction>();
        var removes = new ArrayList<WhatIfResult.PlanAction>();
        var unmovable = new ArrayList<WhatIfResult.PlanAction>();
        var keeps = 0;
        // Every workload of the scenario has one allocation: its device today, or the one it needs.
        for (var allocation : solved.getAllocations()) {
            var workload = allocation.getWorkload();
            if (workload == null) {
                continue;
            }
            var parent = allocation.getParent();
            var original = allocation.getOriginalParent();
            if (original != null) {
                // Only in replan mode may a device that stayed in the fleet move, or be dropped.
                if (parent == original) {
                    keeps++;
                } else if (parent == null) {
                    removes.add(new WhatIfResult.PlanAction(REMOVE, workload.id(), workload.typeId(),
                            workload.instances(), allocation.getExistingUuid(), original.label(), null,
                            "unplaced in the scenario"));
                } else {
                    moves.add(new WhatIfResult.PlanAction(MOVE, workload.id(), workload.typeId(), workload.instances(),
                            allocation.getExistingUuid(), original.label(), parent.label(), "re-planned"));
                }
                continue;
            }
            var today = origins.displaced().get(workload.id());
            if (today != null) {
                var change = hostChange(scenario, today.host());
                if (parent == null) {
                    removes.add(action(REMOVE, today, null, "unplaced in the scenario; " + change));
                } else {
                    moves.add(action(MOVE, today, parent.label(), change));
                }
            } else if (parent != null) {
                var addedBy = origins.workloadAddedBy().get(workload.id());
                creates.add(new WhatIfResult.PlanAction(CREATE, workload.id(), workload.typeId(), workload.instances(),
                        null, null, parent.label(), addedBy == null ? "has no device today"
                                : "added by change " + addedBy));
            }
        }
        for (var today : origins.removedDevices()) {
            removes.add(action(REMOVE, today, null, "workload removed by change "
                    + origins.workloadRemovedBy().get(today.device().workload())));
        }
        origins.factsOnHosts().forEach((host, facts) -> {
            var change = hostChange(scenario, host);
            for (var fact : facts) {
                if (origins.hostRemovedBy().containsKey(host)) {
                    removes.add(action(REMOVE, fact, null, change));
                } else {
                    unmovable.add(action(UNMOVABLE, fact, null, change
                            + "; no listed workload owns the device, so the planner cannot move it"));
                }
            }
        });
        removes.sort(Comparator.comparing(WhatIfResult.PlanAction::from).thenComparing(WhatIfResult.PlanAction::uuid));
        unmovable.sort(Comparator.comparing(WhatIfResult.PlanAction::from).thenComparing(WhatIfResult.PlanAction::uuid));
        var actions = new ArrayList<WhatIfResult.PlanAction>(creates.size() + moves.size() + removes.size()
                + unmovable.size());
        actions.addAll(creates);
        actions.addAll(moves);
        actions.addAll(removes);
        actions.addAll(unmovable);
        return new WhatIfResult.Plan(creates.size(), moves.size(), removes.size(), keeps, unmovable.size(), actions);
    }

    private static WhatIfResult.PlanAction action(String action, Today today, String to, String reason) {
        var device = today.device();
        return new WhatIfResult.PlanAction(action, device.workload(), device.type(), device.instancesOrOne(),
                device.uuid(), today.at(), to, reason);
    }

    /** What a change did to the host: removed it, or drained it. */
    private static String hostChange(PreparedScenario scenario, String host) {
        var removedBy = scenario.origins().hostRemovedBy().get(host);
        return removedBy != null ? "host " + host + " removed by change " + removedBy
                : "host " + host + " drained by change " + scenario.origins().hostDrainedBy().get(host);
    }
}

package io.mdevplan.planner.whatif;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.domain.Pool;

/**
 * The part of a constructed place-mode plan that local search can improve. Only devices without a device today move
 * in place mode; of those, the ones that matter are the unplaced and those sitting on parents an unplaced one could
 * use (moving them may make room). Local search gets the hosts these could go to, whole, with every device on them
 * (pinned, except those), and nothing else.
 *
 * <p>On that part the rules judge exactly what they judge on the whole plan: pools and type mixing are per parent,
 * anti-affinity and hosts in use per host, and every host a movable device can reach is there with all it holds. The
 * hosts left out only add constants to the score. So the search is the same, at the cost of scoring a fraction of the
 * fleet: at 10,000 hosts, Timefold's first scoring of the whole plan alone takes longer than a short time limit.
 */
final class FocusedSearch {

    private final PlacementPlan focused;
    /** Per movable device of the focused plan, the same device in the whole plan. */
    private final Map<DeviceAllocation, DeviceAllocation> wholeOf;
    /** Per focused parent index, the parent in the whole plan. */
    private final List<Parent> wholeParents;

    private FocusedSearch(PlacementPlan focused, Map<DeviceAllocation, DeviceAllocation> wholeOf,
            List<Parent> wholeParents) {
        this.focused = focused;
        this.wholeOf = wholeOf;
        this.wholeParents = wholeParents;
    }

    /**
     * The focus of a constructed place-mode plan, or null when local search could not place more: no unplaced
     * workload has a candidate parent.
     */
    static FocusedSearch of(PlacementPlan plan) {
        if (plan.getMode() != PlanningMode.PLACE) {
            throw new IllegalArgumentException("A " + plan.getMode() + " plan may move every listed device, so it has "
                    + "no focus. Maybe search the whole plan.");
        }
        var reach = Collections.newSetFromMap(new IdentityHashMap<Parent, Boolean>());
        var unplaced = new ArrayList<DeviceAllocation>();
        for (var allocation : plan.getAllocations()) {
            if (!allocation.isPinned() && allocation.getParent() == null && !allocation.getCandidateParents().isEmpty()) {
                unplaced.add(allocation);
            }
        }
        if (unplaced.isEmpty()) {
            return null;
        }
        forEachList(unplaced, reach::addAll);
        var movable = Collections.newSetFromMap(new IdentityHashMap<DeviceAllocation, Boolean>());
        movable.addAll(unplaced);
        for (var allocation : plan.getAllocations()) {
            if (!allocation.isPinned() && allocation.getParent() != null && reach.contains(allocation.getParent())) {
                movable.add(allocation);
            }
        }
        var hostsInFocus = Collections.newSetFromMap(new IdentityHashMap<Host, Boolean>());
        forEachList(movable, candidates -> candidates.forEach(parent -> hostsInFocus.add(parent.getHost())));
        return build(plan, hostsInFocus, movable);
    }

    /** The part local search works on: the hosts in focus, whole, with every device on them. */
    PlacementPlan problem() {
        return focused;
    }

    /** Puts each movable device where the searched part has it. */
    void copyBack(PlacementPlan searched) {
        for (var allocation : searched.getAllocations()) {
            var whole = wholeOf.get(allocation);
            if (whole != null) {
                whole.setParent(allocation.getParent() == null ? null
                        : wholeParents.get(allocation.getParent().getIndex()));
            }
        }
    }

    private static FocusedSearch build(PlacementPlan plan, Set<Host> hostsInFocus, Set<DeviceAllocation> movable) {
        var hosts = new ArrayList<Host>();
        var parents = new ArrayList<Parent>();
        var pools = new ArrayList<Pool>();
        var wholeParents = new ArrayList<Parent>();
        var focusedOf = new IdentityHashMap<Parent, Parent>();
        var hostOf = new IdentityHashMap<Host, Host>();
        for (var host : plan.getHosts()) {
            if (hostsInFocus.contains(host)) {
                hostOf.put(host, new Host(hosts.size(), host.getName(), host.getLabels(), host.isSchedulable()));
                hosts.add(hostOf.get(host));
            }
        }
        for (var parent : plan.getParents()) {
            var host = hostOf.get(parent.getHost());
            if (host != null) {
                var copy = new Parent(parents.size(), host, parent.getAddress(), parent.getDriver(),
                        parent.isMixedTypes());
                parent.getPools().forEach(pool -> copy.addPool(pool.getName(), pool.getCapacity()));
                parent.getTypes().values().forEach(copy::addType);
                parents.add(copy);
                pools.addAll(copy.getPools());
                wholeParents.add(parent);
                focusedOf.put(parent, copy);
            }
        }
        // Candidate lists are shared per request shape; so are their copies.
        var listOf = new IdentityHashMap<List<Parent>, List<Parent>>();
        var wholeOf = new IdentityHashMap<DeviceAllocation, DeviceAllocation>();
        var allocations = new ArrayList<DeviceAllocation>();
        for (var allocation : plan.getAllocations()) {
            var parent = allocation.getParent() == null ? null : focusedOf.get(allocation.getParent());
            var moves = movable.contains(allocation);
            if (parent == null && !moves) {
                continue;
            }
            var candidates = moves ? listOf.computeIfAbsent(allocation.getCandidateParents(),
                    list -> list.stream().map(focusedOf::get).toList()) : List.of(parent);
            var original = allocation.getOriginalParent() == null ? null : focusedOf.get(allocation.getOriginalParent());
            var copy = new DeviceAllocation(allocation.getId(), allocation.getWorkload(), allocation.getTypeId(),
                    allocation.getInstances(), allocation.getExistingUuid(), original, !moves, candidates);
            copy.setParent(parent);
            allocations.add(copy);
            if (moves) {
                wholeOf.put(copy, allocation);
            }
        }
        return new FocusedSearch(new PlacementPlan(hosts, parents, pools, allocations, PlanningMode.PLACE), wholeOf,
                wholeParents);
    }

    /** Each distinct candidate list of the devices once: devices of one shape share theirs. */
    private static void forEachList(Iterable<DeviceAllocation> allocations,
            Consumer<List<Parent>> action) {
        var seen = Collections.newSetFromMap(new IdentityHashMap<List<Parent>, Boolean>());
        for (var allocation : allocations) {
            if (seen.add(allocation.getCandidateParents())) {
                action.accept(allocation.getCandidateParents());
            }
        }
    }
}

package io.mdevplan.planner.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.solver.PlacementConstraints;

/**
 * Checks a plan against every hard rule straight from the fleet document, sharing no code with the solver, the
 * ledger or the rules it is meant to check: it rebuilds each parent's final devices (the unlisted devices that stay,
 * plus every listed workload where the plan puts it), adds up the pools itself and tests each rule. A plan that passes
 * could be carried out on the hosts without one create failing for lack of room or a rule being broken.
 *
 * <p>As in the solver, the rules about where a device may go (schedulable host, host selector) judge devices placed
 * anew; a device that stays where it exists is a fact, even on a host drained since.
 */
public final class PlanAuditor {

    public static final String UNKNOWN_WORKLOAD = "unknown-workload";
    public static final String UNKNOWN_PARENT = "unknown-parent";
    public static final String PLACED_TWICE = "placed-twice";

    /** Where a plan puts a listed workload's device. */
    public record Placement(String workload, String host, String parent) {
    }

    /** One broken rule: which, where (host/parent, or the workload) and the figures that show it. */
    public record Violation(String rule, String where, String message) {

        @Override
        public String toString() {
            return rule + " at " + where + ": " + message;
        }
    }

    private PlanAuditor() {
    }

    /** The placements of a solved plan: every listed workload with a parent. */
    public static List<Placement> placementsOf(PlacementPlan plan) {
        var placements = new ArrayList<Placement>();
        for (var allocation : plan.getAllocations()) {
            if (allocation.getWorkload() != null && allocation.getParent() != null) {
                placements.add(new Placement(allocation.getWorkload().id(), allocation.getParent().getHost().getName(),
                        allocation.getParent().getAddress()));
            }
        }
        return placements;
    }

    public static List<Violation> audit(FleetDocument fleet, PlacementPlan plan) {
        return audit(fleet, placementsOf(plan));
    }

    /** Every hard rule the placements break on the fleet; empty when the plan is sound. */
    public static List<Violation> audit(FleetDocument fleet, List<Placement> placements) {
        var violations = new ArrayList<Violation>();
        var slots = new LinkedHashMap<String, Slot>();
        for (var host : fleet.hosts()) {
            for (var parent : host.parents()) {
                slots.put(key(host.name(), parent.address()), new Slot(host, parent));
            }
        }
        var workloads = new HashMap<String, FleetWorkload>();
        fleet.workloads().forEach(workload -> workloads.put(workload.id(), workload));
        var existingAt = new HashMap<String, String>();
        slots.forEach((key, slot) -> slot.parent.devices().forEach(device -> {
            if (device.workload() != null && workloads.containsKey(device.workload())) {
                existingAt.put(device.workload(), key);
            } else {
                // Nobody listed owns it, so the plan cannot move it: it keeps taking its share.
                slot.devices.add(new Device(device.workload() == null ? "device " + device.uuid() : device.workload(),
                        device.type(), device.instancesOrOne(), null, Map.of(), false));
            }
        }));
        var placed = new HashSet<String>();
        for (var placement : placements) {
            var workload = workloads.get(placement.workload());
            var key = key(placement.host(), placement.parent());
            var slot = slots.get(key);
            if (workload == null) {
                violations.add(new Violation(UNKNOWN_WORKLOAD, placement.workload(),
                        "the fleet document lists no such workload"));
            } else if (!placed.add(workload.id())) {
                violations.add(new Violation(PLACED_TWICE, workload.id(), "the plan gives the workload a second device"));
            } else if (slot == null) {
                violations.add(new Violation(UNKNOWN_PARENT, key, "no such parent in the fleet, for " + workload.id()));
            } else {
                slot.devices.add(new Device(workload.id(), workload.type(), workload.instancesOrOne(),
                        workload.antiAffinityGroup(), workload.hostSelector(),
                        !key.equals(existingAt.get(workload.id()))));
            }
        }
        var groupsOnHosts = new HashMap<String, List<Device>>();
        slots.forEach((key, slot) -> {
            checkParent(key, slot, violations);
            for (var device : slot.devices) {
                if (device.group != null) {
                    groupsOnHosts.computeIfAbsent(device.group + '\u0000' + slot.host.name(), k -> new ArrayList<>())
                            .add(device);
                }
            }
        });
        groupsOnHosts.forEach((groupAndHost, devices) -> {
            if (devices.size() > 1 && devices.stream().anyMatch(device -> device.anew)) {
                var separator = groupAndHost.indexOf('\u0000');
                violations.add(new Violation(PlacementConstraints.ANTI_AFFINITY, groupAndHost.substring(separator + 1),
                        devices.size() + " devices of anti-affinity group " + groupAndHost.substring(0, separator)
                                + " on one host: " + devices.stream().map(device -> device.owner).toList()));
            }
        });
        return violations;
    }

    private static void checkParent(String where, Slot slot, List<Violation> violations) {
        var types = new HashMap<String, FleetType>();
        slot.parent.types().forEach(type -> types.put(type.id(), type));
        var used = new LinkedHashMap<String, Long>();
        var typesHeld = new TreeSet<String>();
        for (var device : slot.devices) {
            var type = types.get(device.type);
            if (type == null) {
                violations.add(new Violation(PlacementConstraints.TYPE_OFFERED, where,
                        device.owner + " needs " + device.type + ", which the parent does not offer"));
                continue;
            }
            typesHeld.add(type.id());
            if (device.instances > type.effectiveMaxAggregation()) {
                violations.add(new Violation(PlacementConstraints.AGGREGATION_LIMIT, where, device.owner + " holds "
                        + device.instances + " instances of " + type.id() + " in one device; the parent allows "
                        + type.effectiveMaxAggregation()));
            }
            type.cost().forEach((pool, cost) -> used.merge(pool, cost * device.instances, Long::sum));
            if (device.anew && !slot.host.isSchedulable()) {
                violations.add(new Violation(PlacementConstraints.SCHEDULABLE, where,
                        device.owner + " is placed on an unschedulable host"));
            }
            if (device.anew && !matches(slot.host, device.selector)) {
                violations.add(new Violation(PlacementConstraints.HOST_SELECTOR, where, device.owner + " selects hosts "
                        + device.selector + " but the host's labels are " + slot.host.labels()));
            }
        }
        used.forEach((pool, amount) -> {
            var capacity = slot.parent.pools().get(pool);
            if (capacity == null || amount > capacity) {
                violations.add(new Violation(PlacementConstraints.POOL_CAPACITY, where, "pool " + pool + " holds "
                        + capacity + " but its devices use " + amount));
            }
        });
        if (!slot.parent.isMixedTypes() && typesHeld.size() > 1) {
            violations.add(new Violation(PlacementConstraints.MIXED_TYPES, where,
                    "the parent does not mix types but holds " + typesHeld));
        }
    }

    private static boolean matches(FleetHost host, Map<String, String> selector) {
        for (var entry : selector.entrySet()) {
            if (!entry.getValue().equals(host.labels().get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String key(String host, String parent) {
        return host + "/" + parent;
    }

    /** A parent of the fleet with the devices it holds once the plan is carried out. */
    private static final class Slot {

        private final FleetHost host;
        private final FleetParent parent;
        private final List<Device> devices = new ArrayList<>();

        Slot(FleetHost host, FleetParent parent) {
            this.host = host;
            this.parent = parent;
        }
    }

    /** A device on a parent after the plan: placed anew, or where it exists now. */
    private record Device(String owner, String type, int instances, String group, Map<String, String> selector,
            boolean anew) {
    }
}

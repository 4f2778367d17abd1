package io.mdevplan.planner.explain;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.placement.PlacementRules;
import io.mdevplan.planner.placement.Refusal;
import io.mdevplan.planner.placement.RefusalTally;
import io.mdevplan.planner.placement.UsageLedger;

/**
 * Says why a device found no parent: it asks every parent that offers the type which hard rule refuses it, counts the
 * answers, and names the parent that came closest. The books must be those of the final plan.
 */
public final class UnplacedExplainer {

    private final UsageLedger ledger;
    private final Map<String, List<Parent>> parentsByType;
    /** Devices of one shape get one answer: after a big solve, thousands of unplaced devices share a few shapes. */
    private final Map<String, String> explanationByShape = new HashMap<>();

    public UnplacedExplainer(UsageLedger ledger) {
        this(ledger, parentsByType(ledger.parents()));
    }

    /** With {@link #parentsByType} computed once by a caller that explains against changing books. */
    public UnplacedExplainer(UsageLedger ledger, Map<String, List<Parent>> parentsByType) {
        this.ledger = ledger;
        this.parentsByType = parentsByType;
    }

    public static Map<String, List<Parent>> parentsByType(List<Parent> parents) {
        var byType = new HashMap<String, List<Parent>>();
        for (var parent : parents) {
            for (var typeId : parent.getTypes().keySet()) {
                byType.computeIfAbsent(typeId, key -> new ArrayList<>()).add(parent);
            }
        }
        return byType;
    }

    public String explain(DeviceAllocation allocation) {
        var workload = allocation.getWorkload();
        var shape = allocation.getTypeId() + '\u0000' + allocation.getInstances() + '\u0000'
                + (workload == null ? "" : new TreeMap<>(workload.hostSelector())) + '\u0000'
                + allocation.getAntiAffinityGroup() + '\u0000'
                + (allocation.getOriginalParent() == null ? "" : allocation.getOriginalParent().label());
        return explanationByShape.computeIfAbsent(shape, unused -> explainShape(allocation));
    }

    private String explainShape(DeviceAllocation allocation) {
        var typeId = allocation.getTypeId();
        var offering = parentsByType.getOrDefault(typeId, List.of());
        var refusals = new EnumMap<Refusal, Integer>(Refusal.class);
        Parent accepting = null;
        Parent roomiest = null;
        var roomiestInstances = -1L;
        for (var parent : offering) {
            var refusal = PlacementRules.refusal(ledger, allocation, parent);
            if (refusal.isEmpty()) {
                accepting = accepting == null ? parent : accepting;
                continue;
            }
            refusals.merge(refusal.get(), 1, Integer::sum);
            if (refusal.get() == Refusal.CAPACITY) {
                var type = parent.type(typeId);
                var free = Math.min(type.getMaxAggregation(), ledger.instancesThatFit(parent, type));
                if (free > roomiestInstances) {
                    roomiestInstances = free;
                    roomiest = parent;
                }
            }
        }
        return describe(allocation, new RefusalTally(offering.size(), refusals, accepting, roomiest, roomiestInstances));
    }

    /**
     * The explanation for a device from what the parents offering its type answered: the wording for every caller,
     * whether it asked the parents here or counted the answers in its own scan (online placement).
     */
    public static String describe(DeviceAllocation allocation, RefusalTally tally) {
        var typeId = allocation.getTypeId();
        var instances = allocation.getInstances();
        if (tally.offering() == 0) {
            return "no parent in the fleet offers " + typeId + ". Maybe use a type the fleet offers, or add parents that offer it.";
        }
        var refusals = tally.refusals();
        var roomiest = tally.roomiest();
        var roomiestInstances = tally.roomiestInstances();
        var scope = scope(allocation);
        var counts = tally(tally.offering(), typeId, instances, allocation, refusals);
        if (tally.accepting() != null) {
            return instances + " instance(s) of " + typeId + " fit on " + tally.accepting().label() + " now, but the "
                    + "solver left the workload out: its time limit ran out, or placing it would have displaced "
                    + "workloads of higher priority x instances. Maybe raise the time limit or the workload's priority.";
        }
        var sentence = new StringBuilder("no ").append(scope).append(" offers ").append(typeId).append(" with ")
                .append(instances).append(instances == 1 ? " free instance" : " free instances");
        if (roomiest != null) {
            sentence.append(roomiestInstances == 0 ? "; none of them has a free instance"
                    : "; the most free is " + roomiestInstances + ", on " + roomiest.label());
        }
        return sentence.append(" (").append(counts).append("). Maybe ").append(hint(refusals, roomiestInstances, instances))
                .toString();
    }

    private static String scope(DeviceAllocation allocation) {
        var scope = new StringBuilder("schedulable parent");
        var workload = allocation.getWorkload();
        if (workload != null && !workload.hostSelector().isEmpty()) {
            scope.append(" on hosts with ").append(new TreeMap<>(workload.hostSelector()).entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(", ")));
        }
        if (allocation.getAntiAffinityGroup() != null) {
            scope.append(workload != null && !workload.hostSelector().isEmpty() ? " and" : " on hosts")
                    .append(" without anti-affinity group ").append(allocation.getAntiAffinityGroup());
        }
        return scope.toString();
    }

    private static String tally(int offering, String typeId, int instances, DeviceAllocation allocation,
            Map<Refusal, Integer> refusals) {
        var parts = new ArrayList<String>();
        refusals.forEach((refusal, count) -> parts.add(count + " " + switch (refusal) {
            case TYPE_NOT_OFFERED -> "without the type";
            case AGGREGATION_LIMIT -> "aggregating fewer than " + instances + " instances into one device";
            case UNSCHEDULABLE -> "on unschedulable hosts";
            case HOST_SELECTOR -> "on hosts the selector does not match";
            case MIXED_TYPES -> "holding another type and not mixing types";
            case ANTI_AFFINITY -> "on hosts already running group " + allocation.getAntiAffinityGroup();
            case CAPACITY -> "without enough free capacity";
        }));
        return "of " + offering + (offering == 1 ? " parent" : " parents") + " offering " + typeId + ": "
                + String.join(", ", parts);
    }

    private static String hint(Map<Refusal, Integer> refusals, long roomiestInstances, int instances) {
        var main = refusals.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(Refusal.CAPACITY);
        return switch (main) {
            case TYPE_NOT_OFFERED -> "add parents that offer the type.";
            case AGGREGATION_LIMIT -> "ask for fewer instances per device, or use a type that aggregates more.";
            case UNSCHEDULABLE -> "make hosts schedulable again, or add hosts.";
            case HOST_SELECTOR -> "widen the host selector, or add matching hosts.";
            case MIXED_TYPES -> "use the type already on those parents, or free a parent of its other type.";
            case ANTI_AFFINITY -> "add hosts, or relax the anti-affinity group.";
            case CAPACITY -> roomiestInstances > 0 && roomiestInstances < instances
                    ? "ask for at most " + roomiestInstances + " instances, free capacity, or add parents."
                    : "free capacity (release or re-plan devices), or add parents.";
        };
    }
}

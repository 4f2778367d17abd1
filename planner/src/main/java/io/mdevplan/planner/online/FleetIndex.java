package io.mdevplan.planner.online;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.explain.UnplacedExplainer;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.placement.GreedyPlacer;
import io.mdevplan.planner.placement.PlacementRules;
import io.mdevplan.planner.placement.ScanPlacer;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.solver.PlacementPlans;

/**
 * The fleet's free capacity in memory, for online placement: one request is decided in about a millisecond at 80,000
 * parents, without a solve, by {@link ScanPlacer}: the choice {@link GreedyPlacer} makes with the solver's hard rules
 * and policy formulas, and on a refusal the explanation {@link UnplacedExplainer} gives. The index is a fast first answer;
 * whoever commits a decision re-checks it against the authoritative books (see {@link #whyNot}) and, on a conflict,
 * refreshes the host with {@link #resetHost} and decides again.
 */
public final class FleetIndex {

    /** The books; the scan reads them directly, so they are the only state to keep in step. */
    private final UsageLedger ledger;
    private final ScanPlacer placer;
    /** Per type id, the largest aggregation any parent offers: what a request may ask for at most. */
    private final Map<String, Integer> maxAggregationByType;
    private final Map<String, Host> hostsByName = new HashMap<>();
    private final Map<String, Parent> parentsByLabel = new HashMap<>();
    /** Every device the books hold, by owning workload id, or "device:" + uuid when nobody listed owns it. */
    private final Map<String, DeviceAllocation> devices = new HashMap<>();
    /** The keys of {@link #devices} by host name: a host's reset touches its own devices, not the fleet's. */
    private final Map<String, Set<String>> keysByHost = new HashMap<>();

    private FleetIndex(PlacementPlan plan) {
        this.ledger = new UsageLedger(plan.getParents(), plan.getHosts().size());
        this.placer = new ScanPlacer(ledger);
        for (var host : plan.getHosts()) {
            hostsByName.put(host.getName(), host);
        }
        var maxAggregation = new HashMap<String, Integer>();
        for (var parent : plan.getParents()) {
            parentsByLabel.put(parent.label(), parent);
            parent.getTypes().values().forEach(type -> maxAggregation.merge(type.getId(), type.getMaxAggregation(),
                    Math::max));
        }
        this.maxAggregationByType = Map.copyOf(maxAggregation);
        for (var allocation : plan.getAllocations()) {
            if (allocation.getParent() != null) {
                book(allocation, allocation.getParent());
            }
        }
    }

    /**
     * The index of a fleet's devices. Workloads listed without a device are ignored: only devices hold capacity, so a
     * decided but not yet created placement must be listed as a device.
     */
    public static FleetIndex of(FleetDocument fleet) {
        return new FleetIndex(PlacementPlans.fromFleet(fleet, PlanningMode.PLACE));
    }

    /** The parent the policy prefers among those the hard rules accept, or the reason there is none. Books nothing. */
    public synchronized PlacementDecision decide(PlacementRequest request, Policy policy) {
        var probe = probe(request);
        var choice = placer.choose(probe, policy);
        if (choice.parent() == null) {
            return new PlacementDecision.Refused(UnplacedExplainer.describe(probe, choice.refusals()));
        }
        return new PlacementDecision.Placed(choice.parent().getHost().getName(), choice.parent().getAddress());
    }

    /** Why the parent cannot take the request now, in the planner's words, or empty when it can. */
    public synchronized Optional<String> whyNot(PlacementRequest request, String host, String address) {
        var parent = parentsByLabel.get(host + "/" + address);
        if (parent == null) {
            return Optional.of("parent " + host + "/" + address + " is not in the fleet");
        }
        var probe = probe(request);
        return PlacementRules.refusal(ledger, probe, parent)
                .map(refusal -> "parent " + parent.label() + " refuses it: " + refusal.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    /** Books a decided placement; refuses (IllegalStateException) one that no longer fits or is booked already. */
    public synchronized void book(PlacementRequest request, String host, String address) {
        if (devices.containsKey(request.workload())) {
            throw new IllegalStateException("Workload " + request.workload() + " is booked already. Maybe release it first.");
        }
        whyNot(request, host, address).ifPresent(reason -> {
            throw new IllegalStateException("Cannot book " + request.workload() + ": " + reason
                    + ". Maybe refresh the host and decide again.");
        });
        var parent = parentsByLabel.get(host + "/" + address);
        var allocation = probe(request);
        allocation.setParent(parent);
        book(allocation, parent);
    }

    /** Frees the workload's capacity; false when it held none. */
    public synchronized boolean release(String workload) {
        var allocation = devices.remove(workload);
        if (allocation == null) {
            return false;
        }
        keysOf(allocation).remove(workload);
        ledger.remove(allocation, allocation.getParent());
        return true;
    }

    /** Frees the workload's capacity if it is booked on that host; false, changing nothing, otherwise. */
    public synchronized boolean release(String workload, String host) {
        var allocation = devices.get(workload);
        return allocation != null && allocation.getParent().getHost().getName().equals(host) && release(workload);
    }

    /** The host the workload is booked on. */
    public synchronized Optional<String> hostOf(String workload) {
        return Optional.ofNullable(devices.get(workload)).map(allocation -> allocation.getParent().getHost().getName());
    }

    /**
     * Replaces what the books hold on one host with the authoritative state: every device of the host, owned by the
     * workloads listed. The host's parents must be those the index was built with. Answers the other hosts whose
     * books changed: a workload listed here that the index held elsewhere leaves that host.
     */
    public synchronized Set<String> resetHost(FleetHost host, List<FleetWorkload> owners) {
        if (!hostsByName.containsKey(host.name())) {
            throw new IllegalArgumentException("Host " + host.name() + " is not in the index. Maybe rebuild the index "
                    + "after an inventory change.");
        }
        var keys = keysByHost.remove(host.name());
        if (keys != null) {
            for (var key : keys) {
                var stale = devices.remove(key);
                ledger.remove(stale, stale.getParent());
            }
        }
        var others = new HashSet<String>();
        var fresh = PlacementPlans.fromFleet(new FleetDocument(List.of(host), owners), PlanningMode.PLACE);
        for (var allocation : fresh.getAllocations()) {
            if (allocation.getParent() == null) {
                continue;
            }
            var parent = parentsByLabel.get(allocation.getParent().label());
            if (parent == null) {
                throw new IllegalArgumentException("Parent " + allocation.getParent().label() + " is not in the index. "
                        + "Maybe rebuild the index after an inventory change.");
            }
            var moved = new DeviceAllocation(allocation.getId(), allocation.getWorkload(), allocation.getTypeId(),
                    allocation.getInstances(), allocation.getExistingUuid(), parent, true, List.of(parent));
            var displaced = devices.get(key(moved));
            if (displaced != null) {
                others.add(displaced.getParent().getHost().getName());
            }
            book(moved, parent);
        }
        others.remove(host.name());
        return others;
    }

    /** Every type some parent offers, with the largest aggregation offered; fixed for the index's life. */
    public Map<String, Integer> maxAggregationByType() {
        return maxAggregationByType;
    }

    public synchronized boolean isBooked(String workload) {
        return devices.containsKey(workload);
    }

    /** The books, for tests that check decisions against {@link GreedyPlacer} on them. */
    UsageLedger ledger() {
        return ledger;
    }

    /** Every device the books hold, for tests that rebuild the books from scratch. */
    synchronized List<DeviceAllocation> bookings() {
        return List.copyOf(devices.values());
    }

    /** The request as an unplaced device; no candidate list, as the scan keeps its own per shape. */
    private static DeviceAllocation probe(PlacementRequest request) {
        return new DeviceAllocation(request.workload(), request.toWorkload(), request.type(), request.instances(), null,
                null, false, List.of());
    }

    /** One booking per key: a stale one under the same key (a workload now placed elsewhere) leaves the books. */
    private void book(DeviceAllocation allocation, Parent parent) {
        var key = key(allocation);
        var stale = devices.put(key, allocation);
        if (stale != null) {
            keysOf(stale).remove(key);
            ledger.remove(stale, stale.getParent());
        }
        keysByHost.computeIfAbsent(parent.getHost().getName(), name -> new HashSet<>()).add(key);
        ledger.add(allocation, parent);
    }

    private Set<String> keysOf(DeviceAllocation booked) {
        return keysByHost.getOrDefault(booked.getParent().getHost().getName(), new HashSet<>());
    }

    private static String key(DeviceAllocation allocation) {
        return allocation.getWorkload() == null ? allocation.getId() : allocation.getWorkload().id();
    }
}

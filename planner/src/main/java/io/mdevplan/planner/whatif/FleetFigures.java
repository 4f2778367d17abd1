package io.mdevplan.planner.whatif;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.Workload;
import io.mdevplan.planner.explain.UnplacedExplainer;
import io.mdevplan.planner.headroom.HeadroomCalculator;
import io.mdevplan.planner.placement.PlacementRules;
import io.mdevplan.planner.placement.Refusal;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.report.UnplacedLine;

/** The figures read off a solved scenario's books: unplaced reasons, counts per profile, headroom, fragmentation, use. */
final class FleetFigures {

    private static final String PROBE = "whatif-probe";

    private FleetFigures() {
    }

    /** Every workload left without a device, with the explainer's reason, by workload id. */
    static List<UnplacedLine> unplaced(PlacementPlan plan, UsageLedger ledger) {
        var explainer = new UnplacedExplainer(ledger);
        var lines = new ArrayList<UnplacedLine>();
        for (var allocation : plan.getAllocations()) {
            if (allocation.getWorkload() != null && allocation.getParent() == null) {
                lines.add(new UnplacedLine(allocation.getId(), allocation.getTypeId(), allocation.getInstances(),
                        explainer.explain(allocation)));
            }
        }
        lines.sort(Comparator.comparing(UnplacedLine::workload));
        return lines;
    }

    /** The scenario's workloads per type and instances, placed or not, by type then instances. */
    static List<WhatIfResult.ProfileCount> profileCounts(PlacementPlan plan) {
        var counts = new TreeMap<Shape, int[]>(Comparator.comparing(Shape::type).thenComparingInt(Shape::instances));
        for (var allocation : plan.getAllocations()) {
            if (allocation.getWorkload() != null) {
                var count = counts.computeIfAbsent(new Shape(allocation.getTypeId(), allocation.getInstances()),
                        unused -> new int[2]);
                count[0]++;
                count[1] += allocation.getParent() == null ? 0 : 1;
            }
        }
        var lines = new ArrayList<WhatIfResult.ProfileCount>(counts.size());
        counts.forEach((shape, count) -> lines.add(new WhatIfResult.ProfileCount(shape.type(), shape.instances(),
                count[0], count[1], count[0] - count[1])));
        return lines;
    }

    private record Shape(String type, int instances) {
    }

    /** Per profile, how many more fit, by {@link HeadroomCalculator}: exact, since parents do not affect each other. */
    static List<WhatIfResult.Headroom> headroom(PlacementPlan plan, UsageLedger ledger, List<WorkloadProfile> profiles) {
        return profiles.stream().map(profile -> {
            var report = HeadroomCalculator.headroom(plan, ledger, profile.type(), profile.instancesOrOne(),
                    profile.hostSelector());
            return new WhatIfResult.Headroom(report.type(), report.instances(), profile.hostSelector(), report.total(),
                    report.hosts().size());
        }).toList();
    }

    /**
     * Per profile, the free units that sit where not even one more of it fits. The parents counted are those the
     * profile could ever use (the hard rules that the fleet's facts settle pass); of those, a parent the rules refuse
     * now (capacity, or another type on a parent that does not mix) strands its free units of every pool the type
     * draws on.
     */
    static List<WhatIfResult.Fragmentation> fragmentation(PlacementPlan plan, UsageLedger ledger,
            List<WorkloadProfile> profiles) {
        var lines = new ArrayList<WhatIfResult.Fragmentation>(profiles.size());
        for (var profile : profiles) {
            var probe = probe(profile);
            var eligible = 0;
            var withoutRoom = 0;
            var freeByPool = new TreeMap<String, long[]>();
            for (var parent : plan.getParents()) {
                var refusal = PlacementRules.refusal(ledger, probe, parent);
                var room = refusal.isEmpty();
                if (!room && refusal.get() != Refusal.CAPACITY && refusal.get() != Refusal.MIXED_TYPES) {
                    continue;
                }
                eligible++;
                withoutRoom += room ? 0 : 1;
                var type = parent.type(profile.type());
                for (var pool : parent.getPools()) {
                    if (type.cost(pool.getIndex()) > 0) {
                        var free = Math.max(0, ledger.free(parent, pool.getIndex()));
                        var totals = freeByPool.computeIfAbsent(pool.getName(), name -> new long[2]);
                        totals[0] += free;
                        totals[1] += room ? 0 : free;
                    }
                }
            }
            var pools = new ArrayList<WhatIfResult.StrandedPool>(freeByPool.size());
            freeByPool.forEach((name, totals) -> pools.add(new WhatIfResult.StrandedPool(name, totals[0], totals[1],
                    share(totals[1], totals[0]))));
            lines.add(new WhatIfResult.Fragmentation(profile.type(), profile.instancesOrOne(), profile.hostSelector(),
                    eligible, withoutRoom, pools));
        }
        return lines;
    }

    /** Use per type (sorted), per host and per parent (in fleet order). */
    static WhatIfResult.Use use(PlacementPlan plan, UsageLedger ledger) {
        var devicesByType = new TreeMap<String, long[]>();
        for (var allocation : plan.getAllocations()) {
            if (allocation.getParent() != null) {
                var totals = devicesByType.computeIfAbsent(allocation.getTypeId(), type -> new long[2]);
                totals[0]++;
                totals[1] += allocation.getInstances();
            }
        }
        var offering = new HashMap<String, int[]>();
        var parents = new ArrayList<WhatIfResult.ParentUse>(plan.getParents().size());
        var hostTotals = new HostTotals[plan.getHosts().size()];
        plan.getHosts().forEach(host -> hostTotals[host.getIndex()] = new HostTotals());
        for (var parent : plan.getParents()) {
            var held = new ArrayList<String>();
            for (var typeId : parent.getTypes().keySet()) {
                var counts = offering.computeIfAbsent(typeId, type -> new int[2]);
                counts[0]++;
                if (ledger.holdsType(parent, typeId)) {
                    counts[1]++;
                    held.add(typeId);
                }
            }
            held.sort(Comparator.naturalOrder());
            var used = new TreeMap<String, Long>();
            var free = new TreeMap<String, Long>();
            var fullest = 0.0;
            var totals = hostTotals[parent.getHost().getIndex()];
            for (var pool : parent.getPools()) {
                var inUse = ledger.used(parent, pool.getIndex());
                used.put(pool.getName(), inUse);
                free.put(pool.getName(), Math.max(0, pool.getCapacity() - inUse));
                fullest = Math.max(fullest, (double) inUse / pool.getCapacity());
                totals.used.merge(pool.getName(), inUse, Long::sum);
                totals.free.merge(pool.getName(), Math.max(0, pool.getCapacity() - inUse), Long::sum);
            }
            totals.parents++;
            totals.parentsInUse += ledger.devices(parent) > 0 ? 1 : 0;
            parents.add(new WhatIfResult.ParentUse(parent.getHost().getName(), parent.getAddress(),
                    ledger.devices(parent), held, used, free, round(fullest)));
        }
        var types = new ArrayList<WhatIfResult.TypeUse>();
        var typeIds = new TreeSet<String>(offering.keySet());
        typeIds.addAll(devicesByType.keySet());
        for (var type : typeIds) {
            var devices = devicesByType.getOrDefault(type, new long[2]);
            var counts = offering.getOrDefault(type, new int[2]);
            types.add(new WhatIfResult.TypeUse(type, (int) devices[0], devices[1], counts[0], counts[1]));
        }
        var hosts = new ArrayList<WhatIfResult.HostUse>(plan.getHosts().size());
        for (var host : plan.getHosts()) {
            var totals = hostTotals[host.getIndex()];
            hosts.add(new WhatIfResult.HostUse(host.getName(), host.isSchedulable(), totals.parents,
                    totals.parentsInUse, ledger.devices(host), totals.used, totals.free));
        }
        return new WhatIfResult.Use(types, hosts, parents);
    }

    /** A workload of the profile that is not placed: what the rules are asked about. */
    private static DeviceAllocation probe(WorkloadProfile profile) {
        return new DeviceAllocation(PROBE, new Workload(PROBE, profile.type(), profile.instancesOrOne(), 0,
                profile.antiAffinityGroup(), profile.hostSelector()), profile.type(), profile.instancesOrOne(), null, null,
                false, List.of());
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : round((double) part / whole);
    }

    /** Four decimals, as the solve report's pool shares. */
    private static double round(double share) {
        return Math.round(share * 10_000) / 10_000.0;
    }

    /** A host's parents summed by pool name. */
    private static final class HostTotals {

        private final Map<String, Long> used = new TreeMap<>();
        private final Map<String, Long> free = new TreeMap<>();
        private int parents;
        private int parentsInUse;
    }
}

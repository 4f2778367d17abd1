package io.mdevplan.planner.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.placement.PlacementRules;
import io.mdevplan.planner.placement.Refusal;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.report.PlanMetrics;
import io.mdevplan.planner.report.SolveReports;
import io.mdevplan.planner.solver.PlacementPlans;

/**
 * The baseline a simple scheduler would use: largest request first, each into the first parent in fleet order that
 * the hard rules accept, no policy and no second thoughts. The rules are the planner's own ({@link PlacementRules} on
 * a {@link UsageLedger}), so the baseline and the solver compete on the same definitions.
 */
public final class FirstFitDecreasing {

    /** What the baseline did: the plan (parents set), its figures, and the time to build the problem and to place. */
    public record Result(PlacementPlan plan, PlanMetrics metrics, long buildMillis, long placeMillis) {

        public long totalMillis() {
            return buildMillis + placeMillis;
        }
    }

    /** Largest share of a parent first, then higher priority, then by id so that ties are stable. */
    private static final Comparator<Sized> ORDER = Comparator.comparingDouble(Sized::size).reversed()
            .thenComparing(Comparator.comparingInt(Sized::priority).reversed())
            .thenComparing(sized -> sized.allocation().getId());

    private FirstFitDecreasing() {
    }

    public static Result place(FleetDocument fleet) {
        var started = System.nanoTime();
        var plan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
        var built = System.nanoTime();
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        var firstOffering = firstOfferingParents(plan.getParents());
        var queue = new ArrayList<Sized>();
        for (var allocation : plan.getAllocations()) {
            if (allocation.getParent() == null && !allocation.isPinned()) {
                queue.add(new Sized(allocation, size(allocation, firstOffering.get(allocation.getTypeId())),
                        allocation.getWorkload().priority()));
            }
        }
        queue.sort(ORDER);
        // Per candidate list (one per request shape), the first position that might still accept that shape.
        var cursors = new IdentityHashMap<List<Parent>, int[]>();
        for (var sized : queue) {
            var allocation = sized.allocation();
            var candidates = allocation.getCandidateParents();
            var cursor = cursors.computeIfAbsent(candidates, list -> new int[1]);
            var skipping = true;
            for (var i = cursor[0]; i < candidates.size(); i++) {
                var parent = candidates.get(i);
                var refusal = PlacementRules.refusal(ledger, allocation, parent);
                if (refusal.isEmpty()) {
                    allocation.setParent(parent);
                    ledger.add(allocation, parent);
                    break;
                }
                // Capacity and type mixing only get worse as devices are added, so a parent that refused one device of
                // this shape refuses every later one: later devices may start past it. Anti-affinity depends on the
                // group, so a parent refused for it stays in the list. The placements are those of a plain first fit.
                if (skipping && refusal.get() != Refusal.ANTI_AFFINITY) {
                    cursor[0] = i + 1;
                } else {
                    skipping = false;
                }
            }
        }
        var placed = System.nanoTime();
        return new Result(plan, SolveReports.metrics(plan, ledger), (built - started) / 1_000_000,
                (placed - built) / 1_000_000);
    }

    /** The first parent in fleet order offering each type: the parent a device's share is measured against. */
    private static Map<String, Parent> firstOfferingParents(List<Parent> parents) {
        var first = new HashMap<String, Parent>();
        for (var parent : parents) {
            for (var typeId : parent.getTypes().keySet()) {
                first.putIfAbsent(typeId, parent);
            }
        }
        return first;
    }

    /** Instances times the share of a parent one instance takes: the share of its tightest pool. */
    static double size(DeviceAllocation allocation, Parent parent) {
        if (parent == null) {
            return 0;
        }
        var type = parent.type(allocation.getTypeId());
        var share = 0.0;
        for (var pool : parent.getPools()) {
            share = Math.max(share, (double) type.cost(pool.getIndex()) / pool.getCapacity());
        }
        return share * allocation.getInstances();
    }

    private record Sized(DeviceAllocation allocation, double size, int priority) {
    }
}

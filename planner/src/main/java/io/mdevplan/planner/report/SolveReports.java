package io.mdevplan.planner.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.explain.UnplacedExplainer;
import io.mdevplan.planner.placement.UsageLedger;

/** Turns a solved plan into the report people and programs read. */
public final class SolveReports {

    private SolveReports() {
    }

    public static SolveReport of(PlacementPlan plan, String policy, long solveMillis) {
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        var explainer = new UnplacedExplainer(ledger);
        var placements = new ArrayList<PlacementLine>();
        var unplaced = new ArrayList<UnplacedLine>();
        var moves = 0;
        for (var allocation : plan.getAllocations()) {
            if (allocation.isMoved()) {
                moves++;
            }
            if (allocation.getWorkload() == null) {
                continue;
            }
            var parent = allocation.getParent();
            if (parent == null) {
                unplaced.add(new UnplacedLine(allocation.getId(), allocation.getTypeId(), allocation.getInstances(),
                        explainer.explain(allocation)));
            } else {
                placements.add(new PlacementLine(allocation.getId(), parent.getHost().getName(), parent.getAddress(),
                        allocation.getTypeId(), allocation.getInstances(), allocation.getExistingUuid(), action(allocation),
                        allocation.isMoved() ? allocation.getOriginalParent().label() : null));
            }
        }
        placements.sort(Comparator.comparing(PlacementLine::workload));
        unplaced.sort(Comparator.comparing(UnplacedLine::workload));
        var score = plan.getScore();
        return new SolveReport(score == null ? null : score.toString(), score != null && score.isFeasible(), policy,
                plan.getMode().name().toLowerCase(Locale.ROOT), placements, unplaced, moves,
                metrics(plan, ledger), solveMillis);
    }

    private static String action(DeviceAllocation allocation) {
        if (allocation.getOriginalParent() == null) {
            return "create";
        }
        return allocation.isMoved() ? "move" : "keep";
    }

    public static PlanMetrics metrics(PlacementPlan plan, UsageLedger ledger) {
        var workloads = 0;
        var workloadsPlaced = 0;
        var requested = 0L;
        var placed = 0L;
        for (var allocation : plan.getAllocations()) {
            if (allocation.getWorkload() != null) {
                workloads++;
                requested += allocation.getInstances();
                if (allocation.getParent() != null) {
                    workloadsPlaced++;
                    placed += allocation.getInstances();
                }
            }
        }
        var hostsInUse = (int) plan.getHosts().stream().filter(host -> ledger.devices(host) > 0).count();
        var parentsInUse = (int) plan.getParents().stream().filter(parent -> ledger.devices(parent) > 0).count();
        return new PlanMetrics(workloads, workloadsPlaced, requested, placed, plan.getHosts().size(), hostsInUse,
                plan.getParents().size(), parentsInUse, poolUse(plan, ledger));
    }

    private static List<PoolUse> poolUse(PlacementPlan plan, UsageLedger ledger) {
        Map<String, long[]> byName = new LinkedHashMap<>();
        for (var pool : plan.getPools()) {
            var totals = byName.computeIfAbsent(pool.getName(), name -> new long[2]);
            totals[0] += ledger.used(pool.getParent(), pool.getIndex());
            totals[1] += pool.getCapacity();
        }
        var uses = new ArrayList<PoolUse>();
        byName.forEach((name, totals) -> uses.add(new PoolUse(name, totals[0], totals[1],
                Math.round(totals[0] * 10_000.0 / totals[1]) / 10_000.0)));
        uses.sort(Comparator.comparing(PoolUse::pool));
        return uses;
    }
}

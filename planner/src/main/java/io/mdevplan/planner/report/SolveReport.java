package io.mdevplan.planner.report;

import java.util.List;

/** What the planner CLI's solve command writes, and what the service answers for a batch solve. */
public record SolveReport(String score, boolean feasible, String policy, String mode, List<PlacementLine> placements,
        List<UnplacedLine> unplaced, int moves, PlanMetrics metrics, long solveMillis) {
}

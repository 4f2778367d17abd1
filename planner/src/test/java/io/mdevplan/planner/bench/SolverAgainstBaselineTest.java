package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.report.SolveReports;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.planner.solver.PlacementSolver;
import io.mdevplan.planner.solver.SolveOptions;

class SolverAgainstBaselineTest {

    @Test
    void theSolverBreaksNoHardRuleAndPlacesAtLeastAsMuchAsFirstFitDecreasing() {
        var fleet = FleetGenerator.generate(80, 21, 1.0);
        var options = SolveOptions.defaults().withTimeLimit(Duration.ofSeconds(2));

        var solved = PlacementSolver.solve(PlacementPlans.fromFleet(fleet, options.mode()), options);
        var baseline = FirstFitDecreasing.place(fleet);

        assertThat(PlanAuditor.audit(fleet, solved)).isEmpty();
        assertThat(solved.getScore().hardScore()).isZero();
        var ledger = UsageLedger.of(solved.getParents(), solved.getHosts().size(), solved.getAllocations());
        var metrics = SolveReports.metrics(solved, ledger);
        assertThat(metrics.instancesPlaced()).isGreaterThanOrEqualTo(baseline.metrics().instancesPlaced());
        assertThat(metrics.instancesRequested()).isEqualTo(baseline.metrics().instancesRequested());
    }
}

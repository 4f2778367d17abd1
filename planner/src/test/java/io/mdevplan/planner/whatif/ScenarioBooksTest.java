package io.mdevplan.planner.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.mdevplan.planner.bench.FleetGenerator;
import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.placement.GreedyConstruction;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.planner.solver.PlacementPlans;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The what-if construction with the online placer makes the solver's construction phase's plan: on generated fleets
 * with more workloads than room (selectors, anti-affinity groups, parents that do and do not mix types), under every
 * policy, every device ends on the same parent, or unplaced in both.
 */
class ScenarioBooksTest {

    @ParameterizedTest(name = "{0} hosts, seed {1}, fill {2}")
    @CsvSource({"150, 1, 1.2", "80, 2, 0.7", "40, 3, 2.0"})
    void constructsWhatTheConstructionPhaseConstructs(int hosts, long seed, double fill) {
        var fleet = FleetGenerator.generate(hosts, seed, fill);
        for (var policy : PolicyCatalog.all()) {
            var phase = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
            GreedyConstruction.construct(phase, policy);
            var scan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);

            var books = ScenarioBooks.construct(scan, policy);

            assertThat(placements(scan)).as(policy.name()).isEqualTo(placements(phase));
            assertThat(placements(scan)).as(policy.name()).contains("unplaced");
            // The books hold exactly what the plan holds.
            var rebuilt = UsageLedger.of(scan.getParents(), scan.getHosts().size(), scan.getAllocations());
            for (var parent : scan.getParents()) {
                for (var pool : parent.getPools()) {
                    assertThat(books.ledger().used(parent, pool.getIndex()))
                            .isEqualTo(rebuilt.used(parent, pool.getIndex()));
                }
            }
        }
    }

    private static List<String> placements(PlacementPlan plan) {
        return plan.getAllocations().stream().map(ScenarioBooksTest::where).toList();
    }

    private static String where(DeviceAllocation allocation) {
        return allocation.getParent() == null ? "unplaced" : allocation.getParent().label();
    }
}

package io.mdevplan.planner.solver;

import static io.mdevplan.planner.testing.Fleets.device;
import static io.mdevplan.planner.testing.Fleets.fleet;
import static io.mdevplan.planner.testing.Fleets.host;
import static io.mdevplan.planner.testing.Fleets.mtty;
import static io.mdevplan.planner.testing.Fleets.workload;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.phase.custom.CustomPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;

import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.placement.GreedyConstruction;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.planner.report.PlacementLine;
import io.mdevplan.planner.report.SolveReport;
import io.mdevplan.planner.report.SolveReports;
import io.mdevplan.planner.testing.Fleets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlacementSolverTest {

    private static final SolveOptions FAST = SolveOptions.defaults().withTimeLimit(Duration.ofSeconds(2));

    @ParameterizedTest
    @ValueSource(strings = { "i915-gvtg", "nvidia-vgpu", "kernel-samples", "siov-idxd" })
    void examplesSolveWithoutBreakingAHardRuleUnderFullAssert(String example) {
        var options = FAST.withEnvironmentMode(EnvironmentMode.FULL_ASSERT);
        var solved = PlacementSolver.solve(PlacementPlans.fromFleet(Fleets.example(example), PlanningMode.PLACE), options);
        assertThat(solved.getScore().hardScore()).isZero();
        assertThat(solved.getScore().isFeasible()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "pack", "spread", "headroom", "one-type-per-parent", "minimal-moves" })
    void greedyConstructionAloneBreaksNoHardRule(String policyName) {
        for (var example : List.of("i915-gvtg", "nvidia-vgpu", "kernel-samples", "siov-idxd")) {
            var policy = PolicyCatalog.byName(policyName);
            var options = FAST.withPolicy(policy);
            var config = PlacementSolver.solverConfig(options)
                    .withPhases(new CustomPhaseConfig().withCustomPhaseCommands(new GreedyConstruction(policy)));
            var problem = PlacementPlans.fromFleet(Fleets.example(example), PlanningMode.PLACE);
            problem.setConstraintWeightOverrides(policy.constraintWeightOverrides());
            var factory = SolverFactory.<PlacementPlan>create(config);
            var constructed = factory.buildSolver().solve(problem);
            var score = SolutionManager.<PlacementPlan, HardMediumSoftLongScore>create(factory).update(constructed);
            assertThat(score.hardScore()).as(example + " under " + policyName).isZero();
            assertThat(constructed.getAllocations()).as(example).anyMatch(allocation -> allocation.getParent() != null
                    && allocation.isNew());
        }
    }

    @Test
    void packFillsOneParentAndSpreadBalancesTwo() {
        var fleet = fleet(List.of(host("node-01", mtty("mtty-a", true)), host("node-02", mtty("mtty-b", true))),
                IntStream.range(0, 4).mapToObj(i -> workload("vm-" + i, "mtty-1", 1)).toList());
        var packed = solve(fleet, "pack", PlanningMode.PLACE);
        assertThat(packed.metrics().parentsInUse()).isEqualTo(1);
        var spread = solve(fleet, "spread", PlanningMode.PLACE);
        assertThat(spread.metrics().parentsInUse()).isEqualTo(2);
        assertThat(spread.placements()).extracting(PlacementLine::host).containsOnly("node-01", "node-02")
                .filteredOn("node-01"::equals).hasSize(2);
    }

    @Test
    void headroomKeepsAFifthOfEachPoolFreeWhereItCan() {
        // 20 of 24 ports on one parent would dip into the 20% reserve; two parents avoid it.
        var fleet = fleet(List.of(host("node-01", mtty("mtty-a", true)), host("node-02", mtty("mtty-b", true))),
                IntStream.range(0, 20).mapToObj(i -> workload("vm-" + i, "mtty-1", 1)).toList());
        assertThat(solve(fleet, "pack", PlanningMode.PLACE).metrics().parentsInUse()).isEqualTo(1);
        var headroom = solve(fleet, "headroom", PlanningMode.PLACE);
        assertThat(headroom.metrics().parentsInUse()).isEqualTo(2);
        assertThat(headroom.unplaced()).isEmpty();
    }

    @Test
    void oneTypePerParentKeepsTypesApartWherePackWouldMixThem() {
        var fleet = fleet(List.of(host("node-01", mtty("mtty-a", true), mtty("mtty-b", true))),
                List.of(workload("a1", "mtty-1", 1), workload("a2", "mtty-1", 1), workload("b1", "mtty-2", 1),
                        workload("b2", "mtty-2", 1)));
        assertThat(solve(fleet, "pack", PlanningMode.PLACE).metrics().parentsInUse()).isEqualTo(1);
        var uniform = solve(fleet, "one-type-per-parent", PlanningMode.PLACE);
        assertThat(uniform.metrics().parentsInUse()).isEqualTo(2);
        var parentOf = uniform.placements().stream()
                .collect(Collectors.toMap(PlacementLine::workload, PlacementLine::parent));
        assertThat(parentOf.get("a1")).isEqualTo(parentOf.get("a2")).isNotEqualTo(parentOf.get("b1"));
        assertThat(parentOf.get("b1")).isEqualTo(parentOf.get("b2"));
    }

    @Test
    void antiAffinityLeavesTheThirdOfAGroupUnplacedOnTwoHostsAndSaysWhy() {
        var fleet = fleet(List.of(host("node-01", mtty("mtty-a", true)), host("node-02", mtty("mtty-b", true))),
                IntStream.range(0, 3).mapToObj(i -> workload("web-" + i, "mtty-1", 1, 1, "web", Map.of())).toList());
        var report = solve(fleet, "pack", PlanningMode.PLACE);
        assertThat(report.placements()).extracting(PlacementLine::host).containsExactlyInAnyOrder("node-01", "node-02");
        assertThat(report.unplaced()).singleElement().satisfies(unplaced -> assertThat(unplaced.reason())
                .contains("2 on hosts already running group web").contains("without anti-affinity group web"));
    }

    @Test
    void placeModeKeepsExistingDevicesAndReplanUnderSpreadRebalancesThem() {
        // Two devices of 12 ports fill mtty-a; mtty-b is empty. Spreading them halves the squared load, which is worth
        // far more than one move of 4 instances.
        var fleet = fleet(List.of(host("node-01",
                mtty("mtty-a", true, device(1, "agg-4", 4, "vm-1"), device(2, "agg-4", 4, "vm-2")),
                mtty("mtty-b", true))),
                List.of(workload("vm-1", "agg-4", 4), workload("vm-2", "agg-4", 4)));
        var placed = solve(fleet, "spread", PlanningMode.PLACE);
        assertThat(placed.placements()).extracting(PlacementLine::action).containsOnly("keep");
        assertThat(placed.moves()).isZero();
        var replanned = solve(fleet, "spread", PlanningMode.REPLAN);
        assertThat(replanned.moves()).isEqualTo(1);
        assertThat(replanned.placements()).extracting(PlacementLine::parent).containsExactlyInAnyOrder("mtty-a", "mtty-b");
        assertThat(replanned.placements()).filteredOn(line -> line.action().equals("move")).singleElement()
                .satisfies(line -> {
                    assertThat(line.from()).isEqualTo("node-01/mtty-a");
                    assertThat(line.uuid()).isNotNull();
                });
    }

    @Test
    void anExistingDeviceOnACordonedHostStaysEvenInReplan() {
        // schedulable: false takes no NEW devices (a cordon, not a drain), so nothing forces a move.
        var fleet = fleet(List.of(
                host("old", Map.of("zone", "a"), false, mtty("mtty-a", true, device(1, "mtty-2", 1, "vm-1"))),
                host("new", mtty("mtty-b", true))),
                List.of(workload("vm-1", "mtty-2", 1)));
        var replanned = solve(fleet, "pack", PlanningMode.REPLAN);
        assertThat(replanned.placements()).singleElement().satisfies(line -> {
            assertThat(line.host()).isEqualTo("old");
            assertThat(line.action()).isEqualTo("keep");
            assertThat(line.uuid()).isEqualTo("00000000-0000-4000-8000-000000000001");
        });
    }

    @Test
    void replanMovesASmallDeviceToMakeRoomForABigOne() {
        // Both parents have 10 ports free; "big" needs 12 in one device. Moving "small" (2 ports) from A to B frees 12 on A.
        var fleet = fleet(List.of(host("node-01",
                mtty("mtty-a", true, device(1, "mtty-2", 1, "small"), device(2, "agg-4", 4, null)),
                mtty("mtty-b", true, device(3, "agg-4", 4, null), device(4, "mtty-2", 1, null)))),
                List.of(workload("small", "mtty-2", 1), workload("big", "agg-4", 4)));
        var placed = solve(fleet, "pack", PlanningMode.PLACE);
        assertThat(placed.unplaced()).extracting(line -> line.workload()).containsExactly("big");
        assertThat(placed.unplaced().get(0).reason()).contains("the most free is 3, on node-01/mtty-a");
        var replanned = solve(fleet, "minimal-moves", PlanningMode.REPLAN);
        assertThat(replanned.unplaced()).isEmpty();
        assertThat(replanned.moves()).isEqualTo(1);
        assertThat(replanned.score()).startsWith("0hard/0medium");
    }

    private static SolveReport solve(FleetDocument fleet, String policy, PlanningMode mode) {
        var options = FAST.withPolicy(PolicyCatalog.byName(policy)).withMode(mode);
        var solved = PlacementSolver.solve(PlacementPlans.fromFleet(fleet, mode), options);
        return SolveReports.of(solved, policy, 0);
    }
}

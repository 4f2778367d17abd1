package io.mdevplan.planner.headroom;

import static io.mdevplan.planner.testing.Fleets.device;
import static io.mdevplan.planner.testing.Fleets.fleet;
import static io.mdevplan.planner.testing.Fleets.host;
import static io.mdevplan.planner.testing.Fleets.mtty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.planner.testing.Fleets;
import org.junit.jupiter.api.Test;

class HeadroomCalculatorTest {

    @Test
    void sharedPoolsCountEveryTypesUse() {
        // mtty-a: a 3-instance agg-4 device (9 ports) and an mtty-1 (1 port): 14 ports free.
        var fleet = fleet(List.of(host("node-01", mtty("mtty-a", true, device(1, "agg-4", 3, null),
                device(2, "mtty-1", 1, null)))), List.of());
        var plan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
        assertThat(HeadroomCalculator.headroom(plan, "mtty-1", 1, Map.of()).total()).isEqualTo(14);
        assertThat(HeadroomCalculator.headroom(plan, "mtty-2", 1, Map.of()).total()).isEqualTo(7);
        // agg-4 x2 needs 6 ports: two fit in 14; x4 needs 12: one fits.
        assertThat(HeadroomCalculator.headroom(plan, "agg-4", 2, Map.of()).total()).isEqualTo(2);
        assertThat(HeadroomCalculator.headroom(plan, "agg-4", 4, Map.of()).total()).isEqualTo(1);
        // Beyond the aggregation limit nothing fits, however much is free.
        assertThat(HeadroomCalculator.headroom(plan, "agg-4", 5, Map.of()).total()).isZero();
    }

    @Test
    void aParentThatDoesNotMixTypesTakesOnlyItsOwnType() {
        var fleet = fleet(List.of(host("node-01", mtty("uniform", false, device(1, "mtty-2", 1, null)),
                mtty("empty", false))), List.of());
        var plan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
        var report = HeadroomCalculator.headroom(plan, "mtty-1", 1, Map.of());
        // Only the empty parent takes mtty-1: 24.
        assertThat(report.total()).isEqualTo(24);
        assertThat(HeadroomCalculator.headroom(plan, "mtty-2", 1, Map.of()).total()).isEqualTo(11 + 12);
    }

    @Test
    void selectorsAndCordonedHostsAreRespectedPerHost() {
        var fleet = fleet(List.of(
                host("a-1", Map.of("zone", "a"), true, mtty("m", true)),
                host("a-2", Map.of("zone", "a"), false, mtty("m", true)),
                host("b-1", Map.of("zone", "b"), true, mtty("m", true), mtty("n", true))), List.of());
        var plan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
        var zoneA = HeadroomCalculator.headroom(plan, "mtty-2", 1, Map.of("zone", "a"));
        assertThat(zoneA.hosts()).containsExactly(Map.entry("a-1", 12L));
        var all = HeadroomCalculator.headroom(plan, "mtty-2", 1, Map.of());
        assertThat(all.hosts()).containsExactly(Map.entry("a-1", 12L), Map.entry("b-1", 24L));
        assertThat(all.total()).isEqualTo(36);
    }

    @Test
    void i915PoolsBindOnTheTightestPool() {
        // desk-01 holds a GVTg_V5_4 device: low_gm 128 of 512 used, so 384 free: 6 more _8 (64 each) by low_gm,
        // 6 by high_gm (2560 / 384), 7 by fence (28 / 4): 6. desk-02 is empty: 8. desk-03 is cordoned.
        var plan = PlacementPlans.fromFleet(Fleets.example("i915-gvtg"), PlanningMode.PLACE);
        var report = HeadroomCalculator.headroom(plan, "i915-GVTg_V5_8", 1, Map.of());
        assertThat(report.hosts()).containsExactly(Map.entry("desk-01", 6L), Map.entry("desk-02", 8L));
        assertThat(HeadroomCalculator.headroom(plan, "i915-GVTg_V5_1", 1, Map.of()).hosts())
                .containsExactly(Map.entry("desk-02", 1L));
    }

    @Test
    void zeroInstancesIsRefused() {
        var plan = PlacementPlans.fromFleet(Fleets.example("i915-gvtg"), PlanningMode.PLACE);
        assertThatThrownBy(() -> HeadroomCalculator.headroom(plan, "i915-GVTg_V5_8", 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Maybe");
    }
}

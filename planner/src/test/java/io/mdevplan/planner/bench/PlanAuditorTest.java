package io.mdevplan.planner.bench;

import static io.mdevplan.planner.bench.SmallFleets.MTTY_1;
import static io.mdevplan.planner.bench.SmallFleets.MTTY_2;
import static io.mdevplan.planner.bench.SmallFleets.GPU_HALF;
import static io.mdevplan.planner.bench.SmallFleets.GPU_QUARTER;
import static io.mdevplan.planner.bench.SmallFleets.QUEUE;
import static io.mdevplan.planner.bench.SmallFleets.drained;
import static io.mdevplan.planner.bench.SmallFleets.gpu;
import static io.mdevplan.planner.bench.SmallFleets.host;
import static io.mdevplan.planner.bench.SmallFleets.inGroup;
import static io.mdevplan.planner.bench.SmallFleets.inZone;
import static io.mdevplan.planner.bench.SmallFleets.mtty;
import static io.mdevplan.planner.bench.SmallFleets.workload;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mdevplan.planner.bench.PlanAuditor.Placement;
import io.mdevplan.planner.bench.PlanAuditor.Violation;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.solver.PlacementConstraints;

class PlanAuditorTest {

    /** h1 (zone a) and h2 (zone b), each with a 4-port serial parent. */
    private static FleetDocument serialFleet(List<FleetWorkload> workloads) {
        return new FleetDocument(List.of(host("h1", "a", mtty("mtty", 4)), host("h2", "b", mtty("mtty", 4))), workloads);
    }

    @Test
    void aSoundPlanBreaksNothing() {
        var fleet = serialFleet(List.of(workload("w1", MTTY_2), workload("w2", MTTY_2), inZone("w3", MTTY_1, "b")));

        var violations = PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "mtty"),
                new Placement("w2", "h1", "mtty"), new Placement("w3", "h2", "mtty")));

        assertThat(violations).isEmpty();
    }

    @Test
    void catchesAnOverbookedPool() {
        var fleet = serialFleet(List.of(workload("w1", MTTY_2), workload("w2", MTTY_2), workload("w3", MTTY_1)));

        var violations = PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "mtty"),
                new Placement("w2", "h1", "mtty"), new Placement("w3", "h1", "mtty")));

        assertThat(violations).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(PlacementConstraints.POOL_CAPACITY);
            assertThat(violation.where()).isEqualTo("h1/mtty");
            assertThat(violation.message()).contains("holds 4", "use 5");
        });
    }

    @Test
    void countsDevicesNobodyListedOwnsAgainstThePool() {
        var existing = new FleetDevice("6a1e0c52-2f4b-4d3e-8a6f-1b2c3d4e5f60", "mtty-2", null, "vm-elsewhere");
        var fleet = new FleetDocument(List.of(host("h1", "a", mtty("mtty", 4, existing))),
                List.of(workload("w1", MTTY_2), workload("w2", MTTY_1)));

        var violations = PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "mtty"),
                new Placement("w2", "h1", "mtty")));

        assertThat(violations).extracting(Violation::rule).containsExactly(PlacementConstraints.POOL_CAPACITY);
    }

    @Test
    void catchesASelectorViolation() {
        var fleet = serialFleet(List.of(inZone("w1", MTTY_1, "b")));

        var violations = PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "mtty")));

        assertThat(violations).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(PlacementConstraints.HOST_SELECTOR);
            assertThat(violation.where()).isEqualTo("h1/mtty");
            assertThat(violation.message()).contains("w1", "zone=b");
        });
    }

    @Test
    void aDeviceThatStaysIsNotJudgedByTheRulesForPlacing() {
        // w1 owns a device on a drained host outside its selector: keeping it there is no new placement.
        var owned = new FleetDevice("6a1e0c52-2f4b-4d3e-8a6f-1b2c3d4e5f61", "mtty-1", null, "w1");
        var fleet = new FleetDocument(List.of(drained("h1", "a", mtty("mtty", 4, owned)), host("h2", "b", mtty("mtty", 4))),
                List.of(inZone("w1", MTTY_1, "b"), inZone("w2", MTTY_1, "b")));

        assertThat(PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "mtty")))).isEmpty();
        assertThat(PlanAuditor.audit(fleet, List.of(new Placement("w2", "h1", "mtty"))))
                .extracting(Violation::rule)
                .containsExactlyInAnyOrder(PlacementConstraints.SCHEDULABLE, PlacementConstraints.HOST_SELECTOR);
    }

    @Test
    void catchesMixedTypesOnAParentThatDoesNotMixThem() {
        var fleet = new FleetDocument(List.of(host("h1", "a", gpu("gpu0"))),
                List.of(workload("w1", GPU_QUARTER), workload("w2", GPU_HALF)));

        var violations = PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "gpu0"),
                new Placement("w2", "h1", "gpu0")));

        assertThat(violations).extracting(Violation::rule).containsExactly(PlacementConstraints.MIXED_TYPES);
    }

    @Test
    void catchesTwoMembersOfAnAntiAffinityGroupOnOneHost() {
        var fleet = new FleetDocument(List.of(host("h1", "a", mtty("mtty0", 4), mtty("mtty1", 4))),
                List.of(inGroup("w1", MTTY_1, "db"), inGroup("w2", MTTY_1, "db"), inGroup("w3", MTTY_1, "web")));

        var violations = PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "mtty0"),
                new Placement("w2", "h1", "mtty1"), new Placement("w3", "h1", "mtty1")));

        assertThat(violations).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(PlacementConstraints.ANTI_AFFINITY);
            assertThat(violation.where()).isEqualTo("h1");
            assertThat(violation.message()).contains("db", "w1", "w2");
        });
    }

    @Test
    void catchesATypeTheParentLacksAndAnAggregationBeyondItsLimit() {
        var tooMany = new FleetWorkload("w2", QUEUE.id(), 3, null, null, null);
        var fleet = new FleetDocument(List.of(host("h1", "a", mtty("mtty", 8), gpu("gpu0"))),
                List.of(workload("w1", GPU_HALF), tooMany));

        var violations = PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "mtty"),
                new Placement("w2", "h1", "mtty")));

        assertThat(violations).extracting(Violation::rule)
                .containsExactlyInAnyOrder(PlacementConstraints.TYPE_OFFERED, PlacementConstraints.AGGREGATION_LIMIT);
    }

    @Test
    void catchesPlacementsThatNameNothingInTheFleet() {
        var fleet = serialFleet(List.of(workload("w1", MTTY_1), workload("w2", MTTY_1)));

        var violations = PlanAuditor.audit(fleet, List.of(new Placement("w1", "h1", "mtty"),
                new Placement("w1", "h2", "mtty"), new Placement("ghost", "h1", "mtty"), new Placement("w2", "h9", "x")));

        assertThat(violations).extracting(Violation::rule).containsExactly(PlanAuditor.PLACED_TWICE,
                PlanAuditor.UNKNOWN_WORKLOAD, PlanAuditor.UNKNOWN_PARENT);
    }
}

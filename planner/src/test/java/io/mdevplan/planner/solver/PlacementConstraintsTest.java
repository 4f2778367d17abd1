package io.mdevplan.planner.solver;

import static io.mdevplan.planner.solver.Fixtures.existing;
import static io.mdevplan.planner.solver.Fixtures.placed;
import static io.mdevplan.planner.solver.Fixtures.unplaced;
import static io.mdevplan.planner.solver.Fixtures.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.Workload;
import org.junit.jupiter.api.Test;

class PlacementConstraintsTest {

    private final ConstraintVerifier<PlacementConstraints, PlacementPlan> verifier =
            ConstraintVerifier.build(new PlacementConstraints(), PlacementPlan.class, DeviceAllocation.class);
    private final Fixtures fixtures = new Fixtures();

    @Test
    void poolCapacityPenalisesTheExcessPerPool() {
        var parent = fixtures.mtty(fixtures.host("node-01"), true);
        var fill = placed(workload("fill", "mtty-2", 1), parent);
        var devices = new ArrayList<Object>(parent.getPools());
        for (var i = 0; i < 12; i++) {
            devices.add(placed(workload("vm-" + i, "mtty-2", 1), parent));
        }
        // 12 x 2 ports = 24: full, not over.
        verifier.verifyThat(PlacementConstraints::poolCapacity).given(devices.toArray()).penalizesBy(0);
        devices.add(fill);
        // 13 x 2 = 26 of 24 ports.
        verifier.verifyThat(PlacementConstraints::poolCapacity).given(devices.toArray()).penalizesBy(2);
    }

    @Test
    void poolCapacityCountsAggregatedInstances() {
        var parent = fixtures.mtty(fixtures.host("node-01"), true);
        var big = placed(workload("big", "agg-4", 4), parent); // 4 x 3 = 12
        var second = placed(workload("second", "agg-4", 4), parent); // 24 in all
        var third = placed(workload("third", "mtty-1", 1), parent);
        verifier.verifyThat(PlacementConstraints::poolCapacity)
                .given(parent.getPools().get(0), big, second).penalizesBy(0);
        verifier.verifyThat(PlacementConstraints::poolCapacity)
                .given(parent.getPools().get(0), big, second, third).penalizesBy(1);
    }

    @Test
    void typeOfferedRefusesATypeTheParentLacks() {
        var parent = fixtures.mtty(fixtures.host("node-01"), true);
        verifier.verifyThat(PlacementConstraints::typeOffered)
                .given(placed(workload("vm-1", "nvidia-46", 1), parent)).penalizesBy(1);
        verifier.verifyThat(PlacementConstraints::typeOffered)
                .given(placed(workload("vm-1", "mtty-1", 1), parent)).penalizesBy(0);
    }

    @Test
    void aggregationLimitPenalisesInstancesOverTheMaximum() {
        var parent = fixtures.mtty(fixtures.host("node-01"), true);
        verifier.verifyThat(PlacementConstraints::aggregationLimit)
                .given(placed(workload("vm-1", "agg-4", 6), parent)).penalizesBy(2);
        verifier.verifyThat(PlacementConstraints::aggregationLimit)
                .given(placed(workload("vm-1", "mtty-2", 2), parent)).penalizesBy(1);
        verifier.verifyThat(PlacementConstraints::aggregationLimit)
                .given(placed(workload("vm-1", "agg-4", 4), parent)).penalizesBy(0);
    }

    @Test
    void mixedTypesForbidsTwoTypesOnAParentThatDoesNotMix() {
        var uniform = fixtures.mtty(fixtures.host("node-01"), false);
        var mixing = fixtures.mtty(fixtures.host("node-02"), true);
        verifier.verifyThat(PlacementConstraints::mixedTypes)
                .given(placed(workload("a", "mtty-1", 1), uniform), placed(workload("b", "mtty-2", 1), uniform))
                .penalizesBy(1);
        verifier.verifyThat(PlacementConstraints::mixedTypes)
                .given(placed(workload("a", "mtty-1", 1), uniform), placed(workload("b", "mtty-1", 1), uniform))
                .penalizesBy(0);
        verifier.verifyThat(PlacementConstraints::mixedTypes)
                .given(placed(workload("a", "mtty-1", 1), mixing), placed(workload("b", "mtty-2", 1), mixing))
                .penalizesBy(0);
    }

    @Test
    void schedulableRefusesNewDevicesButKeepsExistingOnes() {
        var parent = fixtures.mtty(fixtures.host("node-01", Map.of(), false), true);
        verifier.verifyThat(PlacementConstraints::schedulable)
                .given(placed(workload("new", "mtty-1", 1), parent)).penalizesBy(1);
        verifier.verifyThat(PlacementConstraints::schedulable)
                .given(existing(workload("old", "mtty-1", 1), parent)).penalizesBy(0);
    }

    @Test
    void hostSelectorNeedsEveryLabelToMatch() {
        var parent = fixtures.mtty(fixtures.host("node-01", Map.of("zone", "a", "rack", "r1"), true), true);
        var zoneB = new Workload("vm-b", "mtty-1", 1, 1, null, Map.of("zone", "b"));
        var zoneA = new Workload("vm-a", "mtty-1", 1, 1, null, Map.of("zone", "a", "rack", "r1"));
        verifier.verifyThat(PlacementConstraints::hostSelector).given(placed(zoneB, parent)).penalizesBy(1);
        verifier.verifyThat(PlacementConstraints::hostSelector).given(placed(zoneA, parent)).penalizesBy(0);
    }

    @Test
    void antiAffinityForbidsTwoOfAGroupOnOneHost() {
        var host = fixtures.host("node-01");
        var first = fixtures.mtty(host, true);
        var second = fixtures.mtty(host, true);
        var other = fixtures.mtty(fixtures.host("node-02"), true);
        var web1 = new Workload("web-1", "mtty-1", 1, 1, "web", Map.of());
        var web2 = new Workload("web-2", "mtty-1", 1, 1, "web", Map.of());
        var db = new Workload("db-1", "mtty-1", 1, 1, "db", Map.of());
        // Different parents, same host: still broken.
        verifier.verifyThat(PlacementConstraints::antiAffinity)
                .given(placed(web1, first), placed(web2, second), placed(db, first)).penalizesBy(1);
        verifier.verifyThat(PlacementConstraints::antiAffinity)
                .given(placed(web1, first), placed(web2, other), placed(db, first)).penalizesBy(0);
    }

    @Test
    void unplacedWeighsPriorityTimesInstances() {
        var urgent = new Workload("urgent", "agg-4", 3, 10, null, Map.of());
        var parent = fixtures.mtty(fixtures.host("node-01"), true);
        verifier.verifyThat(PlacementConstraints::unplaced).given(unplaced(urgent)).penalizesBy(30);
        verifier.verifyThat(PlacementConstraints::unplaced).given(placed(urgent, parent)).penalizesBy(0);
    }

    @Test
    void parentsInUseCountsEachParentOnce() {
        var host = fixtures.host("node-01");
        var first = fixtures.mtty(host, true);
        var second = fixtures.mtty(host, true);
        verifier.verifyThat(PlacementConstraints::parentsInUse)
                .given(placed(workload("a", "mtty-1", 1), first), placed(workload("b", "mtty-1", 1), first))
                .penalizesBy(1);
        verifier.verifyThat(PlacementConstraints::parentsInUse)
                .given(placed(workload("a", "mtty-1", 1), first), placed(workload("b", "mtty-1", 1), second))
                .penalizesBy(2);
    }

    @Test
    void hostsInUseCountsEachHostOnce() {
        var host = fixtures.host("node-01");
        var first = fixtures.mtty(host, true);
        var second = fixtures.mtty(host, true);
        var elsewhere = fixtures.mtty(fixtures.host("node-02"), true);
        verifier.verifyThat(PlacementConstraints::hostsInUse)
                .given(placed(workload("a", "mtty-1", 1), first), placed(workload("b", "mtty-1", 1), second))
                .penalizesBy(1);
        verifier.verifyThat(PlacementConstraints::hostsInUse)
                .given(placed(workload("a", "mtty-1", 1), first), placed(workload("b", "mtty-1", 1), elsewhere))
                .penalizesBy(2);
    }

    @Test
    void poolBalancePenalisesTheSquareOfEachPoolsUse() {
        var host = fixtures.host("node-01");
        var first = fixtures.mtty(host, true);
        var second = fixtures.mtty(host, true);
        var pools = List.of(first.getPools().get(0), second.getPools().get(0));
        // 12 of 24 ports on one parent: 500 permille, squared.
        verifier.verifyThat(PlacementConstraints::poolBalance)
                .given(pools.get(0), pools.get(1), placed(workload("a", "agg-4", 4), first))
                .penalizesBy(250_000);
        // 6 and 6: 250 permille each, 62,500 + 62,500: balanced costs less.
        verifier.verifyThat(PlacementConstraints::poolBalance)
                .given(pools.get(0), pools.get(1), placed(workload("a", "agg-4", 2), first),
                        placed(workload("b", "agg-4", 2), second))
                .penalizesBy(125_000);
    }

    @Test
    void headroomPenalisesUseBeyondEightyPercent() {
        var parent = fixtures.mtty(fixtures.host("node-01"), true);
        var pool = parent.getPools().get(0);
        // 18 of 24 ports = 750 permille: within the 800 allowed.
        verifier.verifyThat(PlacementConstraints::headroom)
                .given(pool, placed(workload("a", "agg-4", 4), parent), placed(workload("b", "agg-4", 2), parent))
                .penalizesBy(0);
        // 21 of 24 = 875 permille: 75 over.
        verifier.verifyThat(PlacementConstraints::headroom)
                .given(pool, placed(workload("a", "agg-4", 4), parent), placed(workload("b", "agg-4", 3), parent))
                .penalizesBy(75);
    }

    @Test
    void typeMixingCountsTypesBeyondTheFirst() {
        var parent = fixtures.mtty(fixtures.host("node-01"), true);
        verifier.verifyThat(PlacementConstraints::typeMixing)
                .given(placed(workload("a", "mtty-1", 1), parent), placed(workload("b", "mtty-2", 1), parent),
                        placed(workload("c", "agg-4", 1), parent))
                .penalizesBy(2);
        verifier.verifyThat(PlacementConstraints::typeMixing)
                .given(placed(workload("a", "mtty-1", 1), parent), placed(workload("b", "mtty-1", 1), parent))
                .penalizesBy(0);
    }

    @Test
    void movesCountInstancesOfExistingDevicesTakenElsewhere() {
        var from = fixtures.mtty(fixtures.host("node-01"), true);
        var to = fixtures.mtty(fixtures.host("node-02"), true);
        var moved = existing(workload("moved", "agg-4", 3), from);
        moved.setParent(to);
        var stayed = existing(workload("stayed", "agg-4", 2), from);
        var created = placed(workload("created", "agg-4", 4), to);
        verifier.verifyThat(PlacementConstraints::moves).given(moved, stayed, created).penalizesBy(3);
        verifier.verifyThat(PlacementConstraints::moves).given(stayed, created).penalizesBy(0);
    }
}

package io.mdevplan.planner.whatif;

import static io.mdevplan.planner.testing.Fleets.device;
import static io.mdevplan.planner.testing.Fleets.fleet;
import static io.mdevplan.planner.testing.Fleets.host;
import static io.mdevplan.planner.testing.Fleets.mtty;
import static io.mdevplan.planner.testing.Fleets.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.placement.GreedyConstruction;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.planner.solver.PlacementPlans;
import org.junit.jupiter.api.Test;

class FocusedSearchTest {

    /**
     * Zone b (node-02 with vm-x and an unlisted device, 20 ports free; node-03 empty) takes 22 of 25 new mtty-2; zone a
     * (node-01) takes two mtty-1. Only zone b's hosts can help the three left out.
     */
    private static PlacementPlan constructed() {
        var workloads = new ArrayList<FleetWorkload>();
        workloads.add(workload("vm-x", "mtty-2", 1));
        for (var n = 0; n < 25; n++) {
            workloads.add(workload("b-" + n, "mtty-2", 1, 1, null, Map.of("zone", "b")));
        }
        workloads.add(workload("a-0", "mtty-1", 1, 1, null, Map.of("zone", "a")));
        workloads.add(workload("a-1", "mtty-1", 1, 1, null, Map.of("zone", "a")));
        var fleet = fleet(List.of(host("node-01", Map.of("zone", "a"), true, mtty("mtty", true)),
                host("node-02", Map.of("zone", "b"), true, mtty("mtty", true, device(1, "mtty-2", 1, "vm-x"),
                        device(2, "mtty-2", 1, "ext-1"))),
                host("node-03", Map.of("zone", "b"), true, mtty("mtty", true))), workloads);
        var plan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
        GreedyConstruction.construct(plan, PolicyCatalog.defaultPolicy());
        return plan;
    }

    @Test
    void takesTheHostsTheMovableDevicesReachWithEverythingOnThem() {
        var plan = constructed();
        assertThat(plan.getAllocations()).filteredOn(allocation -> allocation.getParent() == null).hasSize(3);

        var focused = FocusedSearch.of(plan).problem();

        assertThat(focused.getHosts()).extracting(Host::getName).containsExactly("node-02", "node-03");
        // vm-x and ext-1's device stay pinned; the 22 placed and 3 unplaced mtty-2 may move; zone a's are left out.
        assertThat(focused.getAllocations()).hasSize(27);
        assertThat(focused.getAllocations()).filteredOn(DeviceAllocation::isPinned).extracting(DeviceAllocation::getId)
                .containsExactlyInAnyOrder("vm-x", "device:00000000-0000-4000-8000-000000000002");
        assertThat(focused.getAllocations()).filteredOn(allocation -> !allocation.isPinned())
                .allSatisfy(allocation -> assertThat(allocation.getCandidateParents()).hasSize(2));
        assertThat(focused.getParentRange().getSize()).isEqualTo(2);
    }

    @Test
    void copiesTheSearchedPlacementsBack() {
        var plan = constructed();
        var focus = FocusedSearch.of(plan);
        var focused = focus.problem();
        var node03 = focused.getParents().get(1);
        var unplaced = focused.getAllocations().stream().filter(allocation -> allocation.getParent() == null)
                .findFirst().orElseThrow();
        var placed = focused.getAllocations().stream().filter(allocation -> !allocation.isPinned()
                && allocation.getParent() != null).findFirst().orElseThrow();
        unplaced.setParent(node03);
        placed.setParent(null);

        focus.copyBack(focused);

        assertThat(whole(plan, unplaced.getId()).getParent()).isSameAs(plan.getParents().get(2));
        assertThat(whole(plan, placed.getId()).getParent()).isNull();
        assertThat(whole(plan, "a-0").getParent()).isSameAs(plan.getParents().get(0));
    }

    @Test
    void thereIsNoFocusWhenNoUnplacedWorkloadHasACandidate() {
        var fleet = fleet(List.of(host("node-01", Map.of(), false, mtty("mtty", true))),
                List.of(workload("vm-1", "mtty-1", 1)));
        var plan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
        GreedyConstruction.construct(plan, PolicyCatalog.defaultPolicy());

        assertThat(FocusedSearch.of(plan)).isNull();
        assertThatThrownBy(() -> FocusedSearch.of(PlacementPlans.fromFleet(fleet, PlanningMode.REPLAN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Maybe");
    }

    @Test
    void theEngineSearchesOnlyTheFocus() {
        var changes = List.<ScenarioChange>of(new ScenarioChange.AddWorkloads(25,
                new WorkloadProfile("mtty-2", 1, null, Map.of("zone", "b"), null)));
        var result = WhatIfEngineTest.run(WhatIfEngineTest.fleetA(), changes, List.of(), List.of());

        // Zone b is node-03 alone: 11 fit there, 14 are left out; local search saw that one host.
        assertThat(result.placed()).isEqualTo(3 + 11);
        assertThat(result.solve().localSearch()).isTrue();
        assertThat(result.solve().searchedHosts()).isEqualTo(1);
        assertThat(result.solve().score()).startsWith("0hard/-14medium/");
    }

    private static DeviceAllocation whole(PlacementPlan plan, String id) {
        return plan.getAllocations().stream().filter(allocation -> allocation.getId().equals(id)).findFirst()
                .orElseThrow();
    }
}

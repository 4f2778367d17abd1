package io.mdevplan.planner.bench;

import static io.mdevplan.planner.bench.SmallFleets.GPU_HALF;
import static io.mdevplan.planner.bench.SmallFleets.GPU_QUARTER;
import static io.mdevplan.planner.bench.SmallFleets.MTTY_1;
import static io.mdevplan.planner.bench.SmallFleets.MTTY_2;
import static io.mdevplan.planner.bench.SmallFleets.drained;
import static io.mdevplan.planner.bench.SmallFleets.gpu;
import static io.mdevplan.planner.bench.SmallFleets.host;
import static io.mdevplan.planner.bench.SmallFleets.inGroup;
import static io.mdevplan.planner.bench.SmallFleets.inZone;
import static io.mdevplan.planner.bench.SmallFleets.mtty;
import static io.mdevplan.planner.bench.SmallFleets.workload;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.mdevplan.planner.bench.PlanAuditor.Placement;
import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.placement.PlacementRules;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.solver.PlacementPlans;

class FirstFitDecreasingTest {

    @Test
    void placesTheLargestFirstIntoTheFirstParentThatTakesIt() {
        // Two 8 GiB GPUs that do not mix types on h1, one on a drained host. Halves go first: two fill gpu0, the
        // third opens gpu1, and then no parent takes a quarter (gpu0 is full, gpu1 holds halves, h2 is drained).
        var fleet = new FleetDocument(List.of(host("h1", "a", gpu("gpu0"), gpu("gpu1")), drained("h2", "a", gpu("gpu0"))),
                List.of(workload("b", GPU_QUARTER), workload("a", GPU_HALF), workload("c", GPU_QUARTER),
                        workload("d", GPU_HALF), workload("e", GPU_HALF)));

        var result = FirstFitDecreasing.place(fleet);

        assertThat(placements(result)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "a", "h1/gpu0", "d", "h1/gpu0", "e", "h1/gpu1"));
        assertThat(result.metrics().instancesPlaced()).isEqualTo(3);
        assertThat(result.metrics().workloadsPlaced()).isEqualTo(3);
        assertThat(result.metrics().parentsInUse()).isEqualTo(2);
        assertThat(result.metrics().hostsInUse()).isEqualTo(1);
        assertThat(PlanAuditor.audit(fleet, result.plan())).isEmpty();
    }

    @Test
    void amongEqualSizesTheHigherPriorityGoesFirst() {
        var fleet = new FleetDocument(List.of(host("h1", "a", mtty("mtty", 2))),
                List.of(workload("a-low", MTTY_2, 1), workload("b-high", MTTY_2, 5)));

        assertThat(placements(FirstFitDecreasing.place(fleet))).containsExactly(Map.entry("b-high", "h1/mtty"));
    }

    @Test
    void skipsParentsThatAntiAffinityOrTheSelectorRuleOut() {
        var fleet = new FleetDocument(
                List.of(host("h1", "a", mtty("mtty", 4)), host("h2", "a", mtty("mtty", 4)),
                        host("h3", "b", mtty("mtty", 4))),
                List.of(inZone("s1", MTTY_1, "b"), inGroup("g2", MTTY_1, "db"), workload("p", MTTY_1),
                        inGroup("g1", MTTY_1, "db")));

        var result = FirstFitDecreasing.place(fleet);

        assertThat(placements(result)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "g1", "h1/mtty", "g2", "h2/mtty", "p", "h1/mtty", "s1", "h3/mtty"));
    }

    @Test
    void breaksNoHardRuleOnAGeneratedFleetAndKeepsExistingDevices() {
        var fleet = FleetGenerator.generate(80, 11, 1.0);

        var result = FirstFitDecreasing.place(fleet);

        assertThat(PlanAuditor.audit(fleet, result.plan())).isEmpty();
        assertThat(result.metrics().instancesPlaced()).isPositive()
                .isLessThan(result.metrics().instancesRequested());
        assertThat(result.plan().getAllocations()).filteredOn(DeviceAllocation::isPinned)
                .isNotEmpty()
                .allSatisfy(allocation -> assertThat(allocation.getParent()).isSameAs(allocation.getOriginalParent()));
    }

    @Test
    void skippingParentsThatCannotTakeAShapeAgainChangesNoPlacement() {
        var fleet = FleetGenerator.generate(60, 5, 1.2);

        assertThat(placements(FirstFitDecreasing.place(fleet))).isEqualTo(plainFirstFit(fleet));
    }

    /** First fit decreasing without shortcuts: every device tries every candidate from the start. */
    private static Map<String, String> plainFirstFit(FleetDocument fleet) {
        var plan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        var firstOffering = new TreeMap<String, Parent>();
        plan.getParents().forEach(parent -> parent.getTypes().keySet()
                .forEach(type -> firstOffering.putIfAbsent(type, parent)));
        var queue = new ArrayList<DeviceAllocation>();
        plan.getAllocations().stream().filter(allocation -> allocation.getParent() == null).forEach(queue::add);
        queue.sort(Comparator.comparingDouble((DeviceAllocation allocation) ->
                        -FirstFitDecreasing.size(allocation, firstOffering.get(allocation.getTypeId())))
                .thenComparingInt(allocation -> -allocation.getWorkload().priority())
                .thenComparing(DeviceAllocation::getId));
        for (var allocation : queue) {
            for (var parent : allocation.getCandidateParents()) {
                if (PlacementRules.accepts(ledger, allocation, parent)) {
                    allocation.setParent(parent);
                    ledger.add(allocation, parent);
                    break;
                }
            }
        }
        return toMap(PlanAuditor.placementsOf(plan));
    }

    private static Map<String, String> placements(FirstFitDecreasing.Result result) {
        return toMap(PlanAuditor.placementsOf(result.plan()));
    }

    private static Map<String, String> toMap(List<Placement> placements) {
        var map = new TreeMap<String, String>();
        placements.forEach(placement -> map.put(placement.workload(), placement.host() + "/" + placement.parent()));
        return map;
    }
}

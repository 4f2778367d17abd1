package io.mdevplan.planner.explain;

import static io.mdevplan.planner.testing.Fleets.device;
import static io.mdevplan.planner.testing.Fleets.fleet;
import static io.mdevplan.planner.testing.Fleets.host;
import static io.mdevplan.planner.testing.Fleets.mtty;
import static io.mdevplan.planner.testing.Fleets.workload;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.placement.UsageLedger;
import io.mdevplan.planner.solver.PlacementPlans;
import org.junit.jupiter.api.Test;

class UnplacedExplainerTest {

    @Test
    void capacityNamesTheParentWithTheMostFreeAndTheLargestRequestThatFits() {
        var fleet = fleet(List.of(host("node-07", Map.of("zone", "a"), true, mtty("mtty-a", true,
                device(1, "agg-4", 4, null), device(2, "agg-4", 2, null))),
                host("node-08", Map.of("zone", "a"), true, mtty("mtty-b", true, device(3, "agg-4", 4, null),
                        device(4, "agg-4", 4, null)))),
                List.of(workload("vm-1", "agg-4", 4, 1, null, Map.of("zone", "a"))));
        assertThat(explain(fleet, "vm-1")).isEqualTo("no schedulable parent on hosts with zone=a offers agg-4 with 4 "
                + "free instances; the most free is 2, on node-07/mtty-a (of 2 parents offering agg-4: 2 without enough "
                + "free capacity). Maybe ask for at most 2 instances, free capacity, or add parents.");
    }

    @Test
    void everyRefusalIsCounted() {
        var fleet = fleet(List.of(
                host("cordoned", Map.of("zone", "a"), false, mtty("m", true)),
                host("elsewhere", Map.of("zone", "b"), true, mtty("m", true)),
                host("uniform", Map.of("zone", "a"), true, mtty("m", false, device(1, "mtty-2", 1, null))),
                host("web", Map.of("zone", "a"), true, mtty("m", true, device(2, "mtty-1", 1, "web-0")))),
                List.of(workload("web-0", "mtty-1", 1, 1, "web", Map.of()),
                        workload("web-1", "mtty-1", 1, 1, "web", Map.of("zone", "a"))));
        assertThat(explain(fleet, "web-1")).contains("of 4 parents offering mtty-1: 1 on unschedulable hosts, "
                + "1 on hosts the selector does not match, 1 holding another type and not mixing types, "
                + "1 on hosts already running group web");
    }

    @Test
    void aWorkloadThatFitsButWasLeftOutSaysSo() {
        var fleet = fleet(List.of(host("node-01", mtty("mtty-a", true))), List.of(workload("vm-1", "mtty-1", 1)));
        assertThat(explain(fleet, "vm-1")).contains("fit on node-01/mtty-a now").contains("Maybe raise the time limit");
    }

    /** Explains the workload as left unplaced on the fleet as it stands. */
    private static String explain(FleetDocument fleet, String workload) {
        var plan = PlacementPlans.fromFleet(fleet, PlanningMode.PLACE);
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        DeviceAllocation allocation = plan.getAllocations().stream().filter(a -> a.getId().equals(workload))
                .findFirst().orElseThrow();
        return new UnplacedExplainer(ledger).explain(allocation);
    }
}

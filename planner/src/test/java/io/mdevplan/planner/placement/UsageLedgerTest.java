package io.mdevplan.planner.placement;

import static io.mdevplan.planner.testing.Fleets.device;
import static io.mdevplan.planner.testing.Fleets.fleet;
import static io.mdevplan.planner.testing.Fleets.host;
import static io.mdevplan.planner.testing.Fleets.mtty;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.solver.PlacementPlans;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {

    @Test
    void availableInstancesReadsLikeTheKernelOnASharedPool() {
        // kernel-lab: two mtty-2 devices on an empty mtty leave 20 mtty-1 and 10 mtty-2.
        var plan = PlacementPlans.fromFleet(fleet(List.of(host("lab", mtty("mtty", true,
                device(1, "mtty-2", 1, null), device(2, "mtty-2", 1, null)))), List.of()), PlanningMode.PLACE);
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        var parent = plan.getParents().get(0);
        assertThat(ledger.availableInstances(parent, "mtty-1")).isEqualTo(20);
        assertThat(ledger.availableInstances(parent, "mtty-2")).isEqualTo(10);
        assertThat(ledger.availableInstances(parent, "nvidia-46")).isZero();
    }

    @Test
    void availableInstancesIgnoresCordonsButNotTypeMixing() {
        var plan = PlacementPlans.fromFleet(fleet(List.of(host("cordoned", Map.of(), false,
                mtty("uniform", false, device(1, "mtty-2", 1, null)))), List.of()), PlanningMode.PLACE);
        var ledger = UsageLedger.of(plan.getParents(), plan.getHosts().size(), plan.getAllocations());
        var parent = plan.getParents().get(0);
        // The driver still offers mtty-2 on a cordoned host; it refuses mtty-1 next to an mtty-2.
        assertThat(ledger.availableInstances(parent, "mtty-2")).isEqualTo(11);
        assertThat(ledger.availableInstances(parent, "mtty-1")).isZero();
    }
}

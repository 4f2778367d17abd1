package io.mdevplan.planner.online;

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

import io.mdevplan.planner.bench.FleetGenerator;
import io.mdevplan.planner.bench.PlanAuditor;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.policy.PolicyCatalog;
import org.junit.jupiter.api.Test;

class FleetIndexTest {

    private static final PlacementRequest SERIAL = new PlacementRequest("vm-1", "mtty-2", 1, 1, null, Map.of());

    @Test
    void packPutsTheRequestOnTheFullestParentThatFits() {
        var index = FleetIndex.of(fleet(List.of(host("node-01", mtty("empty", true)),
                host("node-02", mtty("busy", true, device(1, "mtty-2", 1, null)))), List.of()));
        assertThat(index.decide(SERIAL, PolicyCatalog.byName("pack")))
                .isEqualTo(new PlacementDecision.Placed("node-02", "busy"));
        assertThat(index.decide(SERIAL, PolicyCatalog.byName("spread")))
                .isEqualTo(new PlacementDecision.Placed("node-01", "empty"));
    }

    @Test
    void bookedCapacityIsGoneUntilReleased() {
        var index = FleetIndex.of(fleet(List.of(host("node-01", mtty("m", true, device(1, "agg-4", 4, null),
                device(2, "agg-4", 3, null)))), List.of()));
        // 21 of 24 ports used: one mtty-2 fits, a second does not.
        index.book(SERIAL, "node-01", "m");
        var second = new PlacementRequest("vm-2", "mtty-2", 1, 1, null, Map.of());
        assertThat(index.decide(second, PolicyCatalog.defaultPolicy())).isInstanceOfSatisfying(
                PlacementDecision.Refused.class, refused -> assertThat(refused.reason())
                        .contains("none of them has a free instance").doesNotContain("null"));
        assertThat(index.whyNot(second, "node-01", "m")).hasValueSatisfying(reason -> assertThat(reason)
                .contains("capacity"));
        assertThat(index.release("vm-1")).isTrue();
        assertThat(index.decide(second, PolicyCatalog.defaultPolicy())).isInstanceOf(PlacementDecision.Placed.class);
        assertThat(index.release("vm-1")).isFalse();
    }

    @Test
    void bookRefusesWhatNoLongerFitsAndDoubleBookings() {
        var index = FleetIndex.of(fleet(List.of(host("node-01", mtty("m", false, device(1, "mtty-1", 1, null)))),
                List.of()));
        assertThatThrownBy(() -> index.book(SERIAL, "node-01", "m")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mixed types");
        var console = new PlacementRequest("vm-1", "mtty-1", 1, 1, null, Map.of());
        index.book(console, "node-01", "m");
        assertThatThrownBy(() -> index.book(console, "node-01", "m")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("booked already");
        assertThat(index.whyNot(console, "node-09", "m")).hasValue("parent node-09/m is not in the fleet");
    }

    @Test
    void resetHostReplacesTheBooksWithTheAuthoritativeDevices() {
        var index = FleetIndex.of(fleet(List.of(host("node-01", mtty("m", true))), List.of()));
        index.book(SERIAL, "node-01", "m");
        // Another replica placed two 12-port devices there meanwhile; our own booking is not among them.
        var truth = host("node-01", mtty("m", true, device(1, "agg-4", 4, "web-1"), device(2, "agg-4", 4, "web-2")));
        index.resetHost(truth, List.of(workload("web-1", "agg-4", 4, 1, "web", Map.of()),
                workload("web-2", "agg-4", 4, 1, "web", Map.of())));
        assertThat(index.isBooked("vm-1")).isFalse();
        assertThat(index.isBooked("web-1")).isTrue();
        assertThat(index.decide(SERIAL, PolicyCatalog.defaultPolicy())).isInstanceOf(PlacementDecision.Refused.class);
        // The anti-affinity group came along with the owners.
        assertThat(index.whyNot(new PlacementRequest("web-3", "mtty-1", 1, 1, "web", Map.of()), "node-01", "m"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("anti affinity"));
    }

    @Test
    void aWorkloadTheAuthoritativeBooksPutElsewhereLeavesItsOldParent() {
        var index = FleetIndex.of(fleet(List.of(host("node-01", mtty("m", true)), host("node-02", mtty("m", true))),
                List.of()));
        var web = new PlacementRequest("web-1", "agg-4", 4, 1, null, Map.of());
        index.book(web, "node-01", "m");
        index.book(new PlacementRequest("web-2", "agg-4", 4, 1, null, Map.of()), "node-01", "m");

        // meanwhile web-1 was released and placed again on node-02 by another replica
        var displaced = index.resetHost(host("node-02", mtty("m", true, device(1, "agg-4", 4, "web-1"))),
                List.of(workload("web-1", "agg-4", 4, 1, null, Map.of())));

        assertThat(displaced).containsExactly("node-01");
        assertThat(index.hostOf("web-1")).hasValue("node-02");
        assertThat(index.release("web-1", "node-01")).isFalse();

        // node-01 holds only web-2 (12 of 24 ports): another 12-port device fits there
        assertThat(index.whyNot(new PlacementRequest("web-3", "agg-4", 4, 1, null, Map.of()), "node-01", "m"))
                .isEmpty();

        // a reset of node-01 touches node-01's books only: web-1 stays on node-02
        index.resetHost(host("node-01", mtty("m", true)), List.of());
        assertThat(index.hostOf("web-1")).hasValue("node-02");
        assertThat(index.isBooked("web-2")).isFalse();
        assertThat(index.whyNot(new PlacementRequest("web-4", "agg-4", 4, 1, null, Map.of()), "node-02", "m"))
                .isEmpty();
    }

    @Test
    void knowsTheLargestAggregationOfEveryTypeOffered() {
        var index = FleetIndex.of(fleet(List.of(host("node-01", mtty("m", true))), List.of()));

        assertThat(index.maxAggregationByType()).containsExactlyInAnyOrderEntriesOf(
                Map.of("mtty-1", 1, "mtty-2", 1, "agg-4", 4));
    }

    @Test
    void placingOneAtATimeUntilRefusedNeverBreaksAHardRule() {
        var generated = FleetGenerator.generate(40, 7, 1.5);
        var index = FleetIndex.of(new FleetDocument(generated.hosts(), List.of()));
        var placements = new ArrayList<PlanAuditor.Placement>();
        var refused = 0;
        for (var workload : generated.workloads()) {
            var request = new PlacementRequest(workload.id(), workload.type(), workload.instancesOrOne(),
                    workload.priorityOrDefault(), workload.antiAffinityGroup(), workload.hostSelector());
            if (index.isBooked(workload.id())) {
                continue;
            }
            var decision = index.decide(request, PolicyCatalog.defaultPolicy());
            if (decision instanceof PlacementDecision.Placed placed) {
                index.book(request, placed.host(), placed.parent());
                placements.add(new PlanAuditor.Placement(workload.id(), placed.host(), placed.parent()));
            } else {
                refused++;
            }
        }
        assertThat(placements).hasSizeGreaterThan(100);
        assertThat(refused).as("a fill of 1.5 cannot all fit").isPositive();
        assertThat(PlanAuditor.audit(generated, placements)).isEmpty();
    }
}

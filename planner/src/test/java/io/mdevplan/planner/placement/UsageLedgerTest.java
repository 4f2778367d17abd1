package io.mdevplan.planner.placement;

import static io.mdevplan.planner.testing.Fleets.device;
import static io.mdevplan.planner.testing.Fleets.fleet;
import static io.mdevplan.planner.testing.Fleets.host;
import static io.mdevplan.planner.testing.Fleets.mtty;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import io.mdevplan.planner.bench.FleetGenerator;
import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.domain.Workload;
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

    @Test
    void theFlatViewsFollowEveryAddAndRemove() {
        var plan = PlacementPlans.fromFleet(FleetGenerator.generate(30, 5, 0, 4), PlanningMode.PLACE);
        var parents = plan.getParents();
        var ledger = new UsageLedger(parents, plan.getHosts().size());
        var random = new Random(5);
        var booked = new ArrayList<DeviceAllocation>();
        var groups = List.of("g1", "g2");
        // Every offered type's room bitset, from the start, so that each is kept in step below.
        var typeIds = parents.stream().flatMap(parent -> parent.getTypes().keySet().stream()).distinct().toList();
        for (var typeId : typeIds) {
            var offering = parents.stream().filter(parent -> parent.offers(typeId)).mapToInt(Parent::getIndex).toArray();
            ledger.parentsWithRoomView(typeId, offering);
        }
        for (var step = 0; step < 3_000; step++) {
            if (booked.isEmpty() || random.nextInt(3) > 0) {
                var parent = parents.get(random.nextInt(parents.size()));
                var types = List.copyOf(parent.getTypes().keySet());
                var typeId = types.get(random.nextInt(types.size()));
                var group = random.nextBoolean() ? null : groups.get(random.nextInt(groups.size()));
                var workload = new Workload("w-" + step, typeId, 1, 1, group, Map.of());
                var allocation = new DeviceAllocation(workload.id(), workload, typeId, 1, null, null, false, List.of());
                allocation.setParent(parent);
                ledger.add(allocation, parent);
                booked.add(allocation);
            } else {
                var allocation = booked.remove(random.nextInt(booked.size()));
                ledger.remove(allocation, allocation.getParent());
            }
            assertFlatViewsMatch(ledger, plan.getHosts(), groups);
        }
    }

    private static void assertFlatViewsMatch(UsageLedger ledger, List<Host> hosts, List<String> groups) {
        var differences = new ArrayList<String>();
        for (var parent : ledger.parents()) {
            var index = parent.getIndex();
            var busy = (ledger.busyParentsView()[index >>> 6] & 1L << index) != 0;
            if (busy != (ledger.devices(parent) != 0)) {
                differences.add(parent + " busy bit " + busy + " with " + ledger.devices(parent) + " devices");
            }
            var onEmptyHost = (ledger.parentsOnEmptyHostsView()[index >>> 6] & 1L << index) != 0;
            if (onEmptyHost != (ledger.devices(parent.getHost()) == 0)) {
                differences.add(parent + " empty-host bit " + onEmptyHost + " with " + ledger.devices(parent.getHost())
                        + " devices on the host");
            }
            var held = ledger.heldTypeView()[index];
            var distinct = ledger.distinctTypes(parent);
            var expected = distinct == 0 ? UsageLedger.NO_TYPE : distinct > 1 ? UsageLedger.SEVERAL_TYPES
                    : parent.getTypes().keySet().stream().filter(typeId -> ledger.holdsType(parent, typeId))
                            .mapToInt(ledger::typeCode).findFirst().orElseThrow();
            if (held != expected) {
                differences.add(parent + " held type " + held + " but expected " + expected);
            }
            var typed = (ledger.typedParentsView()[index >>> 6] & 1L << index) != 0;
            if (typed != (held != UsageLedger.NO_TYPE)) {
                differences.add(parent + " typed bit " + typed + " with held type " + held);
            }
            for (var typeId : parent.getTypes().keySet()) {
                var room = (ledger.parentsWithRoomView(typeId, new int[0])[index >>> 6] & 1L << index) != 0;
                if (room != ledger.devicesThatFit(parent, parent.type(typeId), 1) >= 1) {
                    differences.add(parent + " room-for-" + typeId + " bit " + room + " with "
                            + ledger.devicesThatFit(parent, parent.type(typeId), 1) + " instances free");
                }
                var code = ledger.typeCode(typeId);
                var only = ledger.parentsHoldingOnlyView(code);
                var holdsOnly = only != null && (only[index >>> 6] & 1L << index) != 0;
                if (holdsOnly != (held == code && code >= 0)) {
                    differences.add(parent + " holds-only-" + typeId + " bit " + holdsOnly + " with held type " + held);
                }
            }
        }
        for (var group : groups) {
            var running = hosts.stream().filter(host -> ledger.groupDevices(group, host) > 0).map(Host::getIndex)
                    .collect(Collectors.toSet());
            if (!running.equals(ledger.groupHosts(group))) {
                differences.add("group " + group + " on " + ledger.groupHosts(group) + " but expected " + running);
            }
        }
        assertThat(differences).isEmpty();
    }
}

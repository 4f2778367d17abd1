package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.online.PlacementRequest;

class RequestMixTest {

    private static final FleetDocument FLEET = FleetGenerator.generate(120, 3, 0.0, 8);

    @Test
    void theSameFleetAndSeedGiveTheSameRequests() {
        assertThat(RequestMix.of(FLEET, 9, "lg-").next(2000)).isEqualTo(RequestMix.of(FLEET, 9, "lg-").next(2000));
        assertThat(RequestMix.of(FLEET, 10, "lg-").next(2000)).isNotEqualTo(RequestMix.of(FLEET, 9, "lg-").next(2000));
    }

    @Test
    void requestsAskForOfferedTypesWithinTheirAggregationAndNumberTheirIds() {
        var offered = maxAggregationByType(FLEET);
        var requests = RequestMix.of(FLEET, 1, "lg-").next(5000);

        assertThat(requests.get(0).workload()).isEqualTo("lg-000001");
        assertThat(requests.get(4999).workload()).isEqualTo("lg-005000");
        assertThat(requests).extracting(PlacementRequest::type).containsOnlyElementsOf(offered.keySet())
                .containsAll(offered.keySet());
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.instances()).isBetween(1, offered.get(request.type()));
            assertThat(request.priority()).isBetween(1, 10);
        });
        assertThat(requests).extracting(PlacementRequest::instances).contains(1, 2, 3, 4);
        assertThat(RequestMix.of(FLEET, 1, "lg-").maxAggregationByType()).isEqualTo(offered);
    }

    @Test
    void commonHardwareIsAskedForMostAndTheMixHasSelectorsAndGroups() {
        var requests = RequestMix.of(FLEET, 2, "lg-").next(10_000);
        var byDriver = requests.stream().collect(Collectors.groupingBy(request -> request.type().split("-")[0],
                Collectors.counting()));

        assertThat(byDriver.get("nvidia")).isGreaterThan(byDriver.get("idxd"));
        assertThat(byDriver.get("idxd")).isGreaterThan(byDriver.get("mtty"));
        var zones = FLEET.hosts().stream().map(host -> host.labels().get("zone")).collect(Collectors.toSet());
        var selecting = requests.stream().filter(request -> !request.hostSelector().isEmpty()).toList();
        assertThat((double) selecting.size() / requests.size()).isBetween(0.1, 0.3);
        assertThat(selecting).allSatisfy(request -> assertThat(zones).contains(request.hostSelector().get("zone")));
        var groups = requests.stream().filter(request -> request.antiAffinityGroup() != null)
                .collect(Collectors.groupingBy(PlacementRequest::antiAffinityGroup));
        assertThat(groups).isNotEmpty();
        var grouped = groups.values().stream().mapToInt(List::size).sum();
        assertThat((double) grouped / requests.size()).isBetween(0.03, 0.2);
        // A group is one shape asked for by consecutive requests (the last group may be cut short by the count).
        groups.values().stream().filter(members -> !members.contains(requests.get(requests.size() - 1)))
                .forEach(members -> {
                    assertThat(members.size()).isBetween(3, 10);
                    assertThat(members.stream().map(request -> List.of(request.type(), request.instances(),
                            request.priority(), request.hostSelector())).distinct()).hasSize(1);
                    var first = requests.indexOf(members.get(0));
                    assertThat(requests.subList(first, first + members.size())).isEqualTo(members);
                });
        assertThat(groups.keySet()).allSatisfy(group -> assertThat(group).matches("lg-aa-\\d{5}"));
    }

    @Test
    void aFleetWithoutZonesGetsNoSelectorsAndAFleetWithoutTypesNoRequests() {
        var unzoned = new FleetDocument(FLEET.hosts().stream().map(host -> new FleetHost(host.name(),
                Map.of("rack", "r1"), host.schedulable(), host.parents())).toList(), List.of());

        assertThat(RequestMix.of(unzoned, 1, "x-").next(3000))
                .allSatisfy(request -> assertThat(request.hostSelector()).isEmpty());
        assertThatThrownBy(() -> RequestMix.of(new FleetDocument(List.of(), List.of()), 1, "x-"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offers no mdev type")
                .hasMessageContaining("Maybe");
    }

    private static Map<String, Integer> maxAggregationByType(FleetDocument fleet) {
        var max = new HashMap<String, Integer>();
        fleet.hosts().forEach(host -> host.parents().forEach(parent -> parent.types()
                .forEach(type -> max.merge(type.id(), type.effectiveMaxAggregation(), Math::max))));
        return max;
    }
}

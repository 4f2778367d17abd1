package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.FleetValidator;
import io.mdevplan.planner.fleet.FleetWorkload;

class FleetGeneratorTest {

    @Test
    void theSameSeedGivesTheSameDocument() {
        var first = FleetGenerator.generate(120, 42, 1.0);
        var second = FleetGenerator.generate(120, 42, 1.0);

        assertThat(second).isEqualTo(first);
        assertThat(FleetGenerator.toJson(second)).isEqualTo(FleetGenerator.toJson(first));
    }

    @Test
    void anotherSeedGivesAnotherDocument() {
        assertThat(FleetGenerator.toJson(FleetGenerator.generate(120, 43, 1.0)))
                .isNotEqualTo(FleetGenerator.toJson(FleetGenerator.generate(120, 42, 1.0)));
    }

    @ParameterizedTest
    @CsvSource({ "1, 1", "7, 2", "100, 3", "400, 42", "1000, 9" })
    void generatedFleetsPassTheValidatorAndSurviveAJsonRoundTrip(int hosts, long seed) {
        var fleet = FleetGenerator.generate(hosts, seed, 1.0);

        assertThat(FleetValidator.validate(fleet)).isEmpty();
        var json = FleetGenerator.toJson(fleet);
        assertThat(FleetJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "generated"))
                .isEqualTo(fleet);
        assertThat(fleet.hosts()).hasSize(hosts);
    }

    @Test
    void typesOfferAsManyInstancesOnAnEmptyParentAsTheirDriversDo() {
        var fleet = FleetGenerator.generate(300, 1, 1.0);
        var maxima = new HashMap<String, Long>();
        fleet.hosts().stream().flatMap(host -> host.parents().stream()).forEach(parent -> parent.types()
                .forEach(type -> maxima.put(type.id(), instancesOnEmpty(parent, type))));

        assertThat(maxima).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("i915-GVTg_V5_8", 8L), Map.entry("i915-GVTg_V5_4", 4L),
                Map.entry("i915-GVTg_V5_2", 2L), Map.entry("i915-GVTg_V5_1", 1L),
                Map.entry("nvidia-46", 24L), Map.entry("nvidia-47", 12L),
                Map.entry("nvidia-48", 6L), Map.entry("nvidia-49", 3L),
                Map.entry("mtty-1", 24L), Map.entry("mtty-2", 12L),
                Map.entry("idxd-dsa-1dwq-v1", 4L), Map.entry("idxd-dsa-1swq-v1", 8L)));
    }

    @Test
    void aFleetMixesHostModelsLabelsAndExistingDevices() {
        var fleet = FleetGenerator.generate(500, 7, 1.0);
        var hosts = fleet.hosts();
        var parents = hosts.stream().flatMap(host -> host.parents().stream()).toList();

        assertThat(parents).extracting(FleetParent::driver).contains("i915", "nvidia", "mtty", "idxd");
        assertThat(hosts).extracting(host -> host.parents().size()).contains(1, 2, 4, 8)
                .allSatisfy(count -> assertThat(count).isBetween(1, 8));
        assertThat(hosts).extracting(host -> host.labels().get("zone")).containsOnly("a", "b", "c");
        assertThat(hosts).allSatisfy(host -> assertThat(host.labels()).containsKeys("zone", "rack", "model"));
        assertThat(hosts).filteredOn(host -> !host.isSchedulable()).isNotEmpty()
                .hasSizeLessThan(hosts.size() / 10);
        assertThat(parents).filteredOn(parent -> parent.driver().equals("nvidia"))
                .allSatisfy(parent -> assertThat(parent.isMixedTypes()).isFalse());
        var listed = fleet.workloads().stream().map(FleetWorkload::id).collect(Collectors.toSet());
        var owners = parents.stream().flatMap(parent -> parent.devices().stream()).map(device -> device.workload()).toList();
        assertThat(owners).anyMatch(listed::contains)
                .anyMatch(owner -> owner != null && !listed.contains(owner))
                .anyMatch(Objects::isNull);
    }

    @Test
    void workloadsMixShapesPrioritiesGroupsAndSelectors() {
        var fleet = FleetGenerator.generate(500, 7, 1.0);
        var workloads = fleet.workloads();
        var maxAggregation = maxAggregationByType(fleet);

        assertThat(workloads).extracting(FleetWorkload::type).containsAll(maxAggregation.keySet());
        assertThat(workloads).allSatisfy(workload -> {
            assertThat(workload.priorityOrDefault()).isBetween(1, 10);
            assertThat(workload.instancesOrOne()).isBetween(1, maxAggregation.get(workload.type()));
        });
        assertThat(workloads).extracting(FleetWorkload::instancesOrOne).contains(1, 2, 3, 4);
        assertThat(new HashSet<>(workloads.stream().map(FleetWorkload::id).toList())).hasSameSizeAs(workloads);
        var groups = workloads.stream().filter(workload -> workload.antiAffinityGroup() != null)
                .collect(Collectors.groupingBy(FleetWorkload::antiAffinityGroup, Collectors.counting()));
        assertThat(groups.values()).isNotEmpty().allSatisfy(size -> assertThat(size).isBetween(3L, 10L));
        var grouped = groups.values().stream().mapToLong(Long::longValue).sum();
        assertThat((double) grouped / workloads.size()).isBetween(0.03, 0.2);
        var selecting = workloads.stream().filter(workload -> !workload.hostSelector().isEmpty()).count();
        assertThat((double) selecting / workloads.size()).isBetween(0.1, 0.3);
    }

    @Test
    void fillScalesTheDemand() {
        var none = FleetGenerator.generate(200, 3, 0.0);
        var full = FleetGenerator.generate(200, 3, 1.0);
        var twice = FleetGenerator.generate(200, 3, 2.0);

        // With no demand only the workloads that own existing devices are listed.
        var owning = none.hosts().stream().flatMap(host -> host.parents().stream())
                .flatMap(parent -> parent.devices().stream()).filter(device -> device.workload() != null)
                .map(device -> device.workload()).collect(Collectors.toSet());
        assertThat(none.workloads()).extracting(FleetWorkload::id).allMatch(owning::contains);
        var ratio = (double) (twice.workloads().size() - none.workloads().size())
                / (full.workloads().size() - none.workloads().size());
        assertThat(ratio).isBetween(1.8, 2.2);
    }

    @Test
    void refusesSizesAndFillsThatMakeNoSense() {
        assertThatThrownBy(() -> FleetGenerator.generate(0, 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 hosts").hasMessageContaining("Maybe");
        assertThatThrownBy(() -> FleetGenerator.generate(10, 1, -0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.5").hasMessageContaining("Maybe");
        assertThatThrownBy(() -> FleetGenerator.generate(10, 1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @ParameterizedTest
    @CsvSource({ "1, 5", "2, 6", "8, 42", "16, 7" })
    void aFixedParentCountPutsExactlyThatManyParentsOnEveryHost(int parentsPerHost, long seed) {
        var fleet = FleetGenerator.generate(200, seed, 0.5, parentsPerHost);

        assertThat(FleetValidator.validate(fleet)).isEmpty();
        assertThat(fleet.hosts()).hasSize(200)
                .allSatisfy(host -> assertThat(host.parents()).hasSize(parentsPerHost))
                .allSatisfy(host -> assertThat(host.labels().get("model")).endsWith("-" + parentsPerHost + "p"));
        assertThat(fleet).isEqualTo(FleetGenerator.generate(200, seed, 0.5, parentsPerHost));
    }

    @Test
    void hostsOfEightParentsMixTheFamiliesWithinAndAcrossHosts() {
        var fleet = FleetGenerator.generate(400, 42, 0.0, 8);
        var parents = fleet.hosts().stream().flatMap(host -> host.parents().stream()).toList();
        var familiesPerHost = fleet.hosts().stream()
                .map(host -> host.parents().stream().map(FleetParent::driver).collect(Collectors.toSet())).toList();

        assertThat(parents).extracting(FleetParent::driver).contains("i915", "nvidia", "mtty", "idxd");
        assertThat(familiesPerHost).anyMatch(families -> families.size() >= 3)
                .anyMatch(families -> families.equals(Set.of("nvidia")));
        assertThat(fleet.hosts()).extracting(host -> host.labels().get("model"))
                .contains("gpu-8p", "vdi-8p", "dsa-8p", "mixed-8p");
        assertThat(parents).filteredOn(parent -> !parent.devices().isEmpty()).isNotEmpty();
        assertThat(fleet.workloads()).allSatisfy(workload -> assertThat(parents.stream()
                .flatMap(parent -> parent.devices().stream())).anyMatch(device -> workload.id().equals(device.workload())));
    }

    @Test
    void theHostModelsStayWhenNoParentCountIsGiven() {
        var fleet = FleetGenerator.generate(300, 42, 1.0);

        assertThat(fleet.hosts()).extracting(host -> host.parents().size()).contains(1, 2, 4, 8);
        assertThat(fleet.hosts()).extracting(host -> host.labels().get("model")).doesNotContain("gpu-8p");
    }

    @Test
    void refusesParentCountsNoHostCarries() {
        assertThatThrownBy(() -> FleetGenerator.generate(10, 1, 1.0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 parents").hasMessageContaining("Maybe");
        assertThatThrownBy(() -> FleetGenerator.generate(10, 1, 1.0, FleetGenerator.MAX_PARENTS_PER_HOST + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17 parents");
    }

    private static long instancesOnEmpty(FleetParent parent, FleetType type) {
        var instances = Long.MAX_VALUE;
        for (var cost : type.cost().entrySet()) {
            if (cost.getValue() > 0) {
                instances = Math.min(instances, parent.pools().get(cost.getKey()) / cost.getValue());
            }
        }
        return instances;
    }

    private static Map<String, Integer> maxAggregationByType(FleetDocument fleet) {
        var max = new HashMap<String, Integer>();
        for (var host : fleet.hosts()) {
            for (var parent : host.parents()) {
                parent.types().forEach(type -> max.merge(type.id(), type.effectiveMaxAggregation(), Math::max));
            }
        }
        return max;
    }
}

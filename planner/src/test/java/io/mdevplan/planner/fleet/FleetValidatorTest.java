package io.mdevplan.planner.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FleetValidatorTest {

    @Test
    void theContractExampleIsValid() {
        assertThat(FleetValidator.validate(FleetJsonTest.read(FleetJsonTest.CONTRACT_EXAMPLE))).isEmpty();
    }

    @Test
    void unknownWorkloadTypeListsTheOfferedTypes() {
        assertThat(problems(FleetJsonTest.CONTRACT_EXAMPLE.replace("\"type\": \"i915-GVTg_V5_8\", \"instances\": 2",
                "\"type\": \"nvidia-46\", \"instances\": 2")))
                .singleElement()
                .satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("$.workloads[0].type");
                    assertThat(problem.value()).isEqualTo("nvidia-46");
                    assertThat(problem.message()).contains("no parent in the fleet offers this type")
                            .contains("Maybe use one of: i915-GVTg_V5_8");
                });
    }

    @Test
    void instancesMustBePositive() {
        assertThat(problems(FleetJsonTest.CONTRACT_EXAMPLE.replace("\"instances\": 2,", "\"instances\": 0,")))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("$.workloads[0].instances");
                    assertThat(problem.message()).contains("at least 1 instance");
                });
    }

    @Test
    void instancesOverTheLargestAggregationNameTheMaximum() {
        assertThat(problems(FleetJsonTest.CONTRACT_EXAMPLE.replace("\"instances\": 2,", "\"instances\": 9,")))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("$.workloads[0].instances");
                    assertThat(problem.value()).isEqualTo("9");
                    assertThat(problem.message()).contains("no parent aggregates more than 8 instances")
                            .contains("Maybe request at most 8");
                });
    }

    @Test
    void observedAvailableInstancesAreReadAndMayNotBeNegative() {
        var observed = FleetJsonTest.CONTRACT_EXAMPLE.replace("\"maxAggregation\": 8",
                "\"maxAggregation\": 8, \"description\": \"low_gm_size: 64MB\", \"availableInstances\": 7");
        var type = FleetJsonTest.read(observed).hosts().get(0).parents().get(0).types().get(0);
        assertThat(type.availableInstances()).isEqualTo(7);
        assertThat(type.description()).isEqualTo("low_gm_size: 64MB");
        assertThat(FleetValidator.validate(FleetJsonTest.read(observed))).isEmpty();

        assertThat(problems(observed.replace("\"availableInstances\": 7", "\"availableInstances\": -1")))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("$.hosts[0].parents[0].types[0].availableInstances");
                    assertThat(problem.message()).contains("never shows fewer than 0").contains("Maybe leave");
                });
    }

    @Test
    void costOnAPoolTheParentLacksIsRefused() {
        assertThat(problems(FleetJsonTest.CONTRACT_EXAMPLE.replace("\"fence\": 4}", "\"fences\": 4}")))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("$.hosts[0].parents[0].types[0].cost.fences");
                    assertThat(problem.message()).contains("cost on a pool the parent lacks")
                            .contains("low_gm, high_gm, fence");
                });
    }

    @Test
    void duplicateIdsAreRefused() {
        var json = FleetJsonTest.CONTRACT_EXAMPLE.replace("\"workloads\": [{\"id\": \"vm-1\", \"type\": \"i915-GVTg_V5_8\", "
                + "\"instances\": 2, \"priority\": 10,",
                "\"workloads\": [{\"id\": \"vm-1\", \"type\": \"i915-GVTg_V5_8\"}, {\"id\": \"vm-1\", "
                        + "\"type\": \"i915-GVTg_V5_8\", \"instances\": 2, \"priority\": 10,");
        assertThat(problems(json)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("$.workloads[1].id");
            assertThat(problem.message()).contains("duplicate workload id");
        });
    }

    @Test
    void unsafeNamesAreRefused() {
        assertThat(problems(FleetJsonTest.CONTRACT_EXAMPLE.replace("\"0000:00:02.0\"", "\"../../etc\"")))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("$.hosts[0].parents[0].address");
                    assertThat(problem.message()).contains("contains '/'");
                });
        assertThat(problems(FleetJsonTest.CONTRACT_EXAMPLE.replace("\"node-01\"", "\"node\\u000001\"")))
                .singleElement().satisfies(problem -> assertThat(problem.message()).contains("control"));
    }

    @Test
    void requestsOutsideADocumentFollowTheWorkloadRulesWithTheirOwnPaths() {
        var requests = List.of(
                new FleetWorkload("vm-1", "i915-GVTg_V5_8", 2, null, "web", Map.of()),
                new FleetWorkload("vm-1", "i915-GVTg_V5_8", 9, null, "a/b", Map.of("zone", "a")),
                new FleetWorkload("vm-3", "nvidia-46", null, -1, null, Map.of()));

        var problems = FleetValidator.validateRequests(requests, Map.of("i915-GVTg_V5_8", 8),
                i -> "$.requests[" + i + "]");

        assertThat(problems).extracting(FleetProblem::path).containsExactly("$.requests[1].id",
                "$.requests[1].instances", "$.requests[1].antiAffinityGroup", "$.requests[2].type",
                "$.requests[2].priority");
        assertThat(problems.get(2).message()).contains("anti-affinity group", "contains '/'");
        assertThat(problems.get(3).message()).contains("Maybe use one of: i915-GVTg_V5_8");
    }

    @Test
    void devicesThatOverbookAPoolAreRefused() {
        var json = FleetJsonTest.CONTRACT_EXAMPLE.replace("\"instances\": 1, \"workload\": \"vm-7\"",
                "\"instances\": 8, \"workload\": \"vm-7\"").replace("\"low_gm\": 512", "\"low_gm\": 500");
        assertThat(problems(json)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("$.hosts[0].parents[0].devices");
            assertThat(problem.message()).contains("use 512 of pool low_gm but it holds 500");
        });
    }

    @Test
    void aggregationNoneWithAMaximumAboveOneIsRefused() {
        var json = FleetJsonTest.CONTRACT_EXAMPLE.replace("\"aggregation\": \"attribute\"", "\"aggregation\": \"none\"");
        assertThat(problems(json)).extracting(FleetProblem::path)
                .contains("$.hosts[0].parents[0].types[0].maxAggregation");
    }

    @Test
    void deviceUuidsMustBeUuids() {
        var json = FleetJsonTest.CONTRACT_EXAMPLE.replace("5f6c4a9e-8c1e-4a5e-9a0b-2f1d3c4b5a61", "not-a-uuid");
        assertThat(problems(json)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("$.hosts[0].parents[0].devices[0].uuid");
            assertThat(problem.message()).contains("not a UUID");
        });
    }

    @Test
    void aWorkloadWhoseDeviceDiffersFromItsRequestIsRefused() {
        var json = FleetJsonTest.CONTRACT_EXAMPLE.replace("\"workload\": \"vm-7\"", "\"workload\": \"vm-1\"");
        assertThat(problems(json)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("$.workloads[0]");
            assertThat(problem.message()).contains("already owns device").contains("x1 but asks for i915-GVTg_V5_8 x2");
        });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var json = FleetJsonTest.CONTRACT_EXAMPLE.replace("\"instances\": 2,", "\"instances\": -1,")
                .replace("\"priority\": 10", "\"priority\": -5");
        assertThat(problems(json)).extracting(FleetProblem::path)
                .containsExactly("$.workloads[0].instances", "$.workloads[0].priority");
    }

    private static List<FleetProblem> problems(String json) {
        return FleetValidator.validate(FleetJson.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json",
                FleetDocument.class));
    }
}

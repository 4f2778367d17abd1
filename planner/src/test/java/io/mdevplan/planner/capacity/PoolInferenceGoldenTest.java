package io.mdevplan.planner.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each capacity/NAME.observed.json must infer exactly capacity/NAME.expected.json and predict what it shows. */
class PoolInferenceGoldenTest {

    static List<String> scenarios() {
        return CapacityTestFiles.scenarioNames();
    }

    @Test
    void everyKnownDriverHasAScenario() {
        assertThat(scenarios()).contains("i915-empty", "i915-one-v5-4", "i915-no-descriptions", "nvidia-p40-empty",
                "nvidia-p40-two-2q", "nvidia-p40-mixed-size", "nvidia-rtxa6000-empty", "mbochs-empty",
                "mbochs-large-two-medium", "mtty-empty", "mtty-two-dual", "mdpy-empty", "mdpy-three-devices");
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void infersTheGoldenModel(String name) throws Exception {
        var scenario = CapacityTestFiles.scenario(name);
        assertThat(Files.exists(CapacityTestFiles.directory().resolve(name + ".expected.json")))
                .as("golden file for %s", name).isTrue();

        var inferred = PoolInference.infer(scenario.driver(), scenario.types(), scenario.devices());

        // through text, so that numbers compare as the golden file's do (int nodes, not long nodes)
        var actual = CapacityTestFiles.JSON.readTree(CapacityTestFiles.JSON.writeValueAsString(inferred));
        assertThat(actual).isEqualTo(CapacityTestFiles.json(name + ".expected.json"));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void goldenModelPredictsWhatTheParentShows(String name) throws Exception {
        var scenario = CapacityTestFiles.scenario(name);
        var golden = CapacityTestFiles.JSON.treeToValue(CapacityTestFiles.json(name + ".expected.json"),
                InferredCapacity.class);
        var shown = new TreeMap<String, Long>();
        scenario.types().forEach(type -> shown.put(type.id(), type.availableInstances()));

        var predicted = new TreeMap<>(PoolInference.predictAvailable(golden, scenario.devices()));
        shown.keySet().forEach(type -> predicted.putIfAbsent(type, 0L)); // types left out cannot be created

        assertThat(predicted).isEqualTo(shown);
    }
}

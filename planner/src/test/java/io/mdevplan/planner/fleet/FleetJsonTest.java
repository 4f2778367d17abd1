package io.mdevplan.planner.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetJsonTest {

    /** The example of the contract in docs/fleet-format.md, field for field. */
    static final String CONTRACT_EXAMPLE = """
            {"hosts": [{"name": "node-01", "labels": {"zone": "a"}, "schedulable": true,
               "parents": [{"address": "0000:00:02.0", "driver": "i915", "mixedTypes": true,
                 "pools": {"low_gm": 512, "high_gm": 3072, "fence": 32},
                 "types": [{"id": "i915-GVTg_V5_8", "name": "GVTg_V5_8", "deviceApi": "vfio-pci",
                            "cost": {"low_gm": 64, "high_gm": 384, "fence": 4},
                            "aggregation": "attribute", "maxAggregation": 8}],
                 "devices": [{"uuid": "5f6c4a9e-8c1e-4a5e-9a0b-2f1d3c4b5a61", "type": "i915-GVTg_V5_8",
                              "instances": 1, "workload": "vm-7"}]}]}],
             "workloads": [{"id": "vm-1", "type": "i915-GVTg_V5_8", "instances": 2, "priority": 10,
                            "antiAffinityGroup": "web", "hostSelector": {"zone": "a"}}]}
            """;

    @Test
    void readsTheContractExample() {
        var fleet = read(CONTRACT_EXAMPLE);
        var parent = fleet.hosts().get(0).parents().get(0);
        assertThat(parent.pools()).containsExactly(Map.entry("low_gm", 512L),
                Map.entry("high_gm", 3072L), Map.entry("fence", 32L));
        assertThat(parent.types().get(0).aggregation()).isEqualTo(Aggregation.ATTRIBUTE);
        assertThat(parent.types().get(0).effectiveMaxAggregation()).isEqualTo(8);
        assertThat(parent.devices().get(0).workload()).isEqualTo("vm-7");
        var workload = fleet.workloads().get(0);
        assertThat(workload.instancesOrOne()).isEqualTo(2);
        assertThat(workload.hostSelector()).containsEntry("zone", "a");
        assertThat(workload.antiAffinityGroup()).isEqualTo("web");
    }

    @Test
    void writesWhatItReads() {
        var fleet = read(CONTRACT_EXAMPLE);
        assertThat(read(FleetJson.toJson(fleet))).isEqualTo(fleet);
    }

    @Test
    void malformedJsonNamesTheLineAndColumn() {
        assertThatThrownBy(() -> read("{\"hosts\": [ {\"name\": \"n\" ]}"))
                .isInstanceOf(InvalidFleetException.class)
                .hasMessageContaining("malformed JSON at line 1, column")
                .hasMessageContaining("Maybe");
    }

    @Test
    void unknownFieldNamesItsPathAndTheKnownFields() {
        assertThatThrownBy(() -> read("{\"hosts\": [{\"name\": \"n\", \"schedulabel\": true}]}"))
                .isInstanceOf(InvalidFleetException.class)
                .hasMessageContaining("$.hosts[0].schedulabel")
                .hasMessageContaining("unknown field \"schedulabel\"")
                .hasMessageContaining("schedulable");
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"2\"", "2.5", "true" })
    void numbersMustBeNumbers(String instances) {
        var json = CONTRACT_EXAMPLE.replace("\"instances\": 2,", "\"instances\": " + instances + ",");
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(InvalidFleetException.class)
                .hasMessageContaining("$.workloads[0].instances");
    }

    @Test
    void unknownAggregationListsTheDialects() {
        var json = CONTRACT_EXAMPLE.replace("\"aggregation\": \"attribute\"", "\"aggregation\": \"param\"");
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(InvalidFleetException.class)
                .hasMessageContaining("$.hosts[0].parents[0].types[0].aggregation")
                .hasMessageContaining("none, create-param, attribute");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        var missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> FleetJson.read(missing))
                .isInstanceOf(InvalidFleetException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void readsFromAFileAndNamesItInProblems(@TempDir Path dir) throws IOException {
        var file = dir.resolve("fleet.json");
        Files.writeString(file, CONTRACT_EXAMPLE.replace("\"instances\": 2,", "\"instances\": 0,"));
        assertThatThrownBy(() -> FleetJson.read(file))
                .isInstanceOf(InvalidFleetException.class)
                .hasMessageContaining("The fleet document " + file)
                .hasMessageContaining("$.workloads[0].instances");
    }

    static FleetDocument read(String json) {
        return FleetJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }
}

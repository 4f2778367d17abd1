package io.mdevplan.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.testing.Fleets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void solveWritesPlacementsUnplacedWithReasonsMovesAndMetrics(@TempDir Path dir) throws IOException {
        var result = dir.resolve("result.json");
        var exit = run("solve", "--fleet", example("i915-gvtg"), "--time-limit", "1s", "--out", result.toString());
        assertThat(exit).as(err.toString()).isZero();
        var json = FleetJson.mapper().readTree(Files.readString(result));
        assertThat(json.get("score").asText()).startsWith("0hard/");
        assertThat(json.get("placements")).isNotEmpty();
        assertThat(json.get("placements").get(0).fieldNames()).toIterable()
                .contains("workload", "host", "parent", "type", "instances");
        assertThat(json.get("unplaced")).allSatisfy(line -> assertThat(line.get("reason").asText()).contains("Maybe"));
        assertThat(json.get("moves").asInt()).isZero();
        assertThat(json.get("metrics").get("parentsInUse").asInt()).isPositive();
        assertThat(json.get("metrics").get("pools")).isNotEmpty();
    }

    @Test
    void solveWithoutOutWritesToStandardOutput() throws IOException {
        var exit = run("solve", "--fleet", example("kernel-samples"), "--policy", "spread", "--time-limit", "1s");
        assertThat(exit).as(err.toString()).isZero();
        JsonNode json = FleetJson.mapper().readTree(out.toString());
        assertThat(json.get("policy").asText()).isEqualTo("spread");
    }

    @Test
    void headroomCountsPerHostAndInTotal() throws IOException {
        // kernel-samples: mtty holds two mtty-2 devices (4 of 24 ports), so 20 more mtty-1 fit, or 10 more mtty-2.
        assertThat(run("headroom", "--fleet", example("kernel-samples"), "--type", "mtty-2")).isZero();
        var json = FleetJson.mapper().readTree(out.toString());
        assertThat(json.get("total").asLong()).isEqualTo(10);
        assertThat(json.get("hosts").get("lab-01").asLong()).isEqualTo(10);
    }

    @Test
    void badInputExitsTwoWithTheFileThePathAndTheFix(@TempDir Path dir) throws IOException {
        var fleet = dir.resolve("bad.json");
        Files.writeString(fleet, Files.readString(Fleets.examplePath("i915-gvtg"))
                .replaceFirst("\"instances\": 4", "\"instances\": 12"));
        assertThat(run("solve", "--fleet", fleet.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(fleet.toString()).contains("$.workloads[0].instances").contains("12")
                .contains("Maybe request at most 8").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void malformedJsonExitsTwo(@TempDir Path dir) throws IOException {
        var fleet = dir.resolve("broken.json");
        Files.writeString(fleet, "{\"hosts\": [");
        assertThat(run("solve", "--fleet", fleet.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("malformed JSON").contains("broken.json");
    }

    @ParameterizedTest
    @ValueSource(strings = { "--policy=fastest", "--mode=move", "--time-limit=soon" })
    void unknownOptionValuesExitTwoAndSayWhatIsAllowed(String option) {
        assertThat(run("solve", "--fleet", example("i915-gvtg"), option)).isEqualTo(2);
        assertThat(err.toString()).containsAnyOf("Maybe use one of: pack", "Maybe use place or replan",
                "Maybe write 30s");
    }

    @Test
    void headroomRefusesAnUnknownTypeAndZeroInstances() {
        assertThat(run("headroom", "--fleet", example("i915-gvtg"), "--type", "nvidia-46")).isEqualTo(2);
        assertThat(err.toString()).contains("--type nvidia-46").contains("no parent");
        assertThat(run("headroom", "--fleet", example("i915-gvtg"), "--type", "i915-GVTg_V5_8", "--instances", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--instances 0");
    }

    @ParameterizedTest
    @ValueSource(strings = { "solve", "headroom" })
    void everyCommandHasHelp(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).contains("Usage:").contains("--fleet");
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return PlannerCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private static String example(String name) {
        return Fleets.examplePath(name).toString();
    }
}

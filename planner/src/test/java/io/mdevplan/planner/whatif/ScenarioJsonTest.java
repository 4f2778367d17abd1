package io.mdevplan.planner.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ScenarioJsonTest {

    /** The issue's example, as written. */
    private static final String EXAMPLE = """
            {"name": "q3", "base": "live", "policy": "pack",
             "changes": [{"op": "addWorkloads", "count": 300, "profile": {"type": "nvidia-703", "instances": 1,
                                                                          "priority": 5, "hostSelector": {"zone": "a"}}},
                         {"op": "removeWorkloads", "selector": {"type": "mtty-1"}},
                         {"op": "addHosts", "count": 10, "model": "node-01"},
                         {"op": "removeHosts", "hosts": ["node-07"]},
                         {"op": "drainHosts", "hosts": ["node-08"]}],
             "growth": [{"profile": {"type": "nvidia-703", "instances": 1}, "perMonth": 20}],
             "headroomProfiles": [{"type": "mtty-2", "instances": 1}]}
            """;

    @Test
    void readsTheIssuesExample() {
        var scenario = read(EXAMPLE);

        assertThat(scenario.name()).isEqualTo("q3");
        assertThat(scenario.base().isLive()).isTrue();
        assertThat(scenario.changes()).containsExactly(
                new ScenarioChange.AddWorkloads(300, new WorkloadProfile("nvidia-703", 1, 5, Map.of("zone", "a"), null)),
                new ScenarioChange.RemoveWorkloads(new WorkloadSelector("mtty-1", null, null, null, null)),
                new ScenarioChange.AddHosts(10, "node-01", null),
                new ScenarioChange.RemoveHosts(List.of("node-07")),
                new ScenarioChange.DrainHosts(List.of("node-08")));
        assertThat(scenario.growth()).containsExactly(new Growth(WorkloadProfile.of("nvidia-703", 1), 20));
        assertThat(scenario.headroomProfiles()).containsExactly(WorkloadProfile.of("mtty-2", 1));
        // Written back, it reads the same.
        assertThat(read(FleetJson.toJson(scenario))).isEqualTo(scenario);
    }

    @Test
    void aBaseMayBeLeftOutOrEmbedded() {
        assertThat(read("{\"changes\": []}").base().isLive()).isTrue();
        var embedded = read("{\"base\": {\"hosts\": [{\"name\": \"node-01\"}]}, \"changes\": [{\"op\": \"setPolicy\", "
                + "\"policy\": \"spread\"}]}");
        assertThat(embedded.base().fleet().hosts()).singleElement().satisfies(host ->
                assertThat(host.name()).isEqualTo("node-01"));
        assertThat(FleetJson.toJson(embedded)).contains("\"hosts\"");
        assertThat(FleetJson.toJson(read("{}"))).contains("\"base\" : \"live\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"nmae\": \"q3\"}|$.nmae|unknown field \"nmae\". Maybe use one of: base, changes, growth",
            "{\"changes\": [{\"op\": \"addHost\", \"count\": 1}]}|$.changes[0].op|unknown op \"addHost\". Maybe use one of: addWorkloads, removeWorkloads, addHosts, removeHosts, drainHosts, setPolicy.",
            "{\"changes\": [{\"count\": 1}]}|$.changes[0]|a change needs an op. Maybe add \"op\"",
            "{\"changes\": [{\"op\": \"removeHosts\", \"count\": 1}]}|$.changes[0].count|unknown field \"count\". Maybe use one of: hosts.",
            "{\"changes\": [{\"op\": \"addWorkloads\", \"count\": \"300\"}]}|$.changes[0].count|Maybe check the value's type against docs/whatif.md",
            "{\"changes\": [{\"op\": \"addWorkloads\", \"count\": 2.5}]}|$.changes[0].count|Maybe check the value's type",
            "{\"base\": \"yesterday\"}|$.base|a scenario's base is \"live\" or a fleet document",
            "{\"base\": 7}|$.base|a scenario's base is \"live\" or a fleet document",
            "{\"base\": {\"hosts\": [{\"nmae\": \"x\"}]}}|$.base.hosts[0].nmae|unknown field \"nmae\"",
            "{\"growth\": [{\"profile\": {\"type\": \"a\", \"size\": 2}, \"perMonth\": 1}]}|$.growth[0].profile.size|unknown field \"size\"",
            "{\"changes\": [|$|malformed JSON at line 1",
            "|$|the document is empty" })
    void refusesWhatIsNotAScenarioWithThePathAndAFix(String json, String path, String message) {
        var problem = problem(json == null ? "" : json);

        assertThat(problem.path()).isEqualTo(path);
        assertThat(problem.message()).contains(message).contains("Maybe");
    }

    @Test
    void aMissingFileSaysSo() {
        var thrown = catchThrowableOfType(() -> ScenarioJson.read(java.nio.file.Path.of("no-such-scenario.json")),
                InvalidScenarioException.class);
        assertThat(thrown).hasMessageContaining("The scenario no-such-scenario.json has 1 problem")
                .hasMessageContaining("does not exist");
    }

    private static ScenarioDocument read(String json) {
        return ScenarioJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test");
    }

    private static FleetProblem problem(String json) {
        var thrown = catchThrowableOfType(() -> read(json), InvalidScenarioException.class);
        assertThat(thrown.source()).isEqualTo("test");
        return thrown.problems().get(0);
    }
}

package io.mdevplan.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.testing.Fleets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhatIfCommandTest {

    /** lab-01's mtty holds two mtty-2 devices (4 of 24 ports): after three more, 7 more mtty-2 fit, or 14 mtty-1. */
    private static final String SCENARIO = """
            {"name": "lab", "changes": [{"op": "addWorkloads", "count": 3, "profile": {"type": "mtty-2"}}],
             "growth": [{"profile": {"type": "mtty-2"}, "perMonth": 2}],
             "headroomProfiles": [{"type": "mtty-2", "instances": 1}, {"type": "mtty-1"}]}
            """;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsAReadableReport(@TempDir Path dir) throws IOException {
        var exit = run("whatif", "--fleet", fleet(dir), "--scenario", write(dir, SCENARIO), "--time-limit", "1s");

        assertThat(exit).as(err.toString()).isZero();
        // Three more mtty-2 leave 7: at 2 a month the 8th, in month 4, finds no room.
        assertThat(out.toString()).contains("What-if \"lab\": policy pack, place mode",
                "0 addWorkloads: added 3 workloads of mtty-2 x1", "Plan against today: 3 creates",
                "mtty-2 x1: 7 more, on 1 host", "mtty-1 x1: 14 more, on 1 host", "Exhaustion: month 4: the fleet has room for 7",
                "ports: ");
    }

    @Test
    void writesJsonWithOut(@TempDir Path dir) throws IOException {
        var result = dir.resolve("out/result.json");

        var exit = run("whatif", "--fleet", fleet(dir), "--scenario", write(dir, SCENARIO), "--out", result.toString());

        assertThat(exit).as(err.toString()).isZero();
        var json = FleetJson.mapper().readTree(Files.readString(result));
        assertThat(json.get("state").asText()).isEqualTo("done");
        assertThat(json.get("placed").asInt()).isEqualTo(json.get("workloads").asInt());
        assertThat(json.get("unplaced")).isEmpty();
        assertThat(json.get("headroom").get(0).get("total").asLong()).isEqualTo(7);
        assertThat(json.get("exhaustion").get("month").asInt()).isEqualTo(4);
        assertThat(json.get("exhaustion").get("profile").get("type").asText()).isEqualTo("mtty-2");
        assertThat(json.get("plan").get("creates").asInt()).isEqualTo(3);
        assertThat(json.get("use").get("parents")).isNotEmpty();
        assertThat(json.get("fragmentation").get(0).get("pools").get(0).get("pool").asText()).isEqualTo("ports");
        assertThat(err.toString()).contains("whatif: ", "exhaustion in month 4");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anEmbeddedBaseNeedsNoFleet(@TempDir Path dir) throws IOException {
        var scenario = "{\"base\": " + Files.readString(Path.of(fleet(dir))) + ", \"growth\": [{\"profile\": "
                + "{\"type\": \"mtty-1\"}, \"perMonth\": 0}]}";

        assertThat(run("whatif", "--scenario", write(dir, scenario))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("none within 36 months");
    }

    @Test
    void badInputExitsTwoWithThePathAndTheFix(@TempDir Path dir) throws IOException {
        var scenario = write(dir, """
                {"changes": [{"op": "drainHosts", "hosts": ["node-99"]},
                             {"op": "addWorkloads", "count": 0, "profile": {"type": "mtty-2"}}],
                 "growth": [{"profile": {"type": "nvidia-46"}, "perMonth": -2}]}
                """);

        assertThat(run("whatif", "--fleet", fleet(dir), "--scenario", scenario)).isEqualTo(2);
        assertThat(err.toString()).contains("The scenario " + scenario + " has 4 problems:",
                "$.changes[0].hosts[0]: no host node-99", "$.changes[1].count", "$.growth[0].perMonth",
                "$.growth[0].profile.type: no parent of the resulting fleet offers this type")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run("whatif", "--fleet", fleet(dir), "--scenario", write(dir, "{\"changes\": [{\"op\": \"grow\"}]}")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("$.changes[0].op: unknown op \"grow\". Maybe use one of: addWorkloads");
        assertThat(run("whatif", "--scenario", write(dir, "{}"))).isEqualTo(2);
        assertThat(err.toString()).contains("$.base", "Maybe give the fleet (--fleet F.json)");
    }

    @Test
    void benchWhatIfRunsTenAuditedScenarios(@TempDir Path dir) throws IOException {
        var report = dir.resolve("whatif.json");

        var exit = run("bench-whatif", "--hosts", "100", "--time-limit", "500ms", "--out", report.toString());

        assertThat(exit).as(err.toString()).isZero();
        var json = FleetJson.mapper().readTree(Files.readString(report));
        assertThat(json.get("result").get("base").get("hosts").asInt()).isEqualTo(100);
        assertThat(json.get("result").get("scenarios")).hasSize(10)
                .allSatisfy(scenario -> assertThat(scenario.get("violations").asInt()).isZero());
        assertThat(err.toString()).contains("bench-whatif: combined: ", "ten scenarios in");
        assertThat(run("bench-whatif", "--hosts", "0")).isEqualTo(2);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return PlannerCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private static String write(Path dir, String json) throws IOException {
        var file = Files.createTempFile(dir, "scenario", ".json");
        Files.writeString(file, json);
        return file.toString();
    }

    /** The fleet as it stands: lab-01 with one mtty parent whose two mtty-2 devices belong to listed workloads. */
    private static String fleet(Path dir) throws IOException {
        var fleet = Fleets.fleet(List.of(Fleets.host("lab-01", Fleets.mtty("mtty", true,
                Fleets.device(1, "mtty-2", 1, "serial-1"), Fleets.device(2, "mtty-2", 1, "serial-2")))),
                List.of(Fleets.workload("serial-1", "mtty-2", 1), Fleets.workload("serial-2", "mtty-2", 1)));
        var file = dir.resolve("fleet.json");
        Files.writeString(file, FleetJson.toJson(fleet));
        return file.toString();
    }
}

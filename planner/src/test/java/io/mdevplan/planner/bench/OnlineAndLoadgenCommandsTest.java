package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.planner.cli.PlannerCli;
import io.mdevplan.planner.fleet.FleetJson;

class OnlineAndLoadgenCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void benchOnlineWritesJsonWhenTheFileNameSaysSo(@TempDir Path dir) throws IOException {
        var file = dir.resolve("online.json");

        assertThat(run("bench-online", "--hosts", "3,5", "--parents", "4", "--requests", "200", "--out",
                file.toString())).as(err.toString()).isZero();

        var json = FleetJson.mapper().readTree(Files.readString(file));
        assertThat(json.get("warmup").get("decisions").asInt()).isPositive();
        assertThat(json.get("results")).hasSize(2);
        var result = json.get("results").get(1);
        assertThat(result.get("hosts").asInt()).isEqualTo(5);
        assertThat(result.get("parents").asInt()).isEqualTo(20);
        assertThat(result.get("runs")).hasSize(2);
        assertThat(result.get("runs").get(0).get("policy").asText()).isEqualTo("pack");
        assertThat(result.get("runs").get(0).get("decide").get("unit").asText()).isEqualTo("us");
        assertThat(result.get("runs").get(1).get("violations").asInt()).isZero();
        assertThat(err.toString()).contains("bench-online: 3 hosts, 12 parents, pack", "bench-online: 5 hosts");
    }

    @Test
    void benchOnlineWritesMarkdownToStandardOutput() {
        assertThat(run("bench-online", "--hosts", "4", "--requests", "100", "--policy", "headroom"))
                .as(err.toString()).isZero();

        assertThat(out.toString()).contains("| hosts | parents | policy |", "| 4 | 32 | headroom |");
    }

    @Test
    void loadgenReportsAgainstAServiceAndExitsOneOnOverbooking() throws IOException {
        var fleet = FleetGenerator.generate(10, 42, 0.0, 8);
        try (var service = FakePlacementService.start(fleet)) {
            assertThat(run("loadgen", "--url", service.url().toString(), "--requests", "300", "--concurrency", "4"))
                    .as(err.toString()).isZero();
            assertThat(out.toString()).contains("| sent | placed (201) |", "| 300 |");
            assertThat(err.toString()).contains("loadgen: 300 sent", "0 overbooked pools");
        }
        try (var service = FakePlacementService.overbooking(fleet)) {
            assertThat(run("loadgen", "--url", service.url() + "/", "--requests", "20", "--policy", "spread"))
                    .isEqualTo(1);
            assertThat(out.toString()).contains("Overbooked pools (1)");
            assertThat(err.toString()).contains("pools are overbooked");
        }
    }

    @Test
    void loadgenSendsTheTokenFromItsFileOrTheEnvironment(@TempDir Path dir) throws IOException {
        var fleet = FleetGenerator.generate(10, 42, 0.0, 8);
        var tokenFile = Files.writeString(dir.resolve("admin.token"), "mdp_fromfile\n");
        try (var service = FakePlacementService.requiringToken(fleet, "mdp_fromfile")) {
            assertThat(run(name -> "mdp_fromenv", "loadgen", "--url", service.url().toString(), "--requests", "20",
                    "--warmup", "0", "--token-file", tokenFile.toString())).as(err.toString()).isZero();
            assertThat(service.authorizedRequestKinds()).contains("GET /api/v1/fleet", "POST /api/v1/placements");
        }
        try (var service = FakePlacementService.requiringToken(fleet, "mdp_fromenv")) {
            assertThat(run(name -> "MDEVPLAN_TOKEN".equals(name) ? "mdp_fromenv" : null, "loadgen", "--url",
                    service.url().toString(), "--requests", "20", "--warmup", "0")).as(err.toString()).isZero();
            assertThat(service.authorizedRequestKinds()).contains("GET /api/v1/fleet", "POST /api/v1/placements");

            assertThat(run(name -> null, "loadgen", "--url", service.url().toString(), "--requests", "20"))
                    .isEqualTo(PlannerCli.EXIT_BAD_INPUT);
            assertThat(err.toString()).contains("answered 401", "Maybe pass --token-file");
        }
    }

    @Test
    void badArgumentsExitTwoWithTheValueAndAHint() {
        assertThat(run("bench-online", "--hosts", "10", "--parents", "17")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--parents 17", "Maybe");

        assertThat(run("bench-online", "--hosts", "10", "--prefill", "1.5")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("prefill of 1.5", "Maybe");

        assertThat(run("bench-online", "--hosts", "10", "--policy", "fastest")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("fastest", "Maybe use one of");

        assertThat(run("loadgen", "--url", "localhost:8080")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("localhost:8080", "Maybe use http://localhost:8080");

        assertThat(run("loadgen", "--url", "http://127.0.0.1:1", "--requests", "5")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("Cannot GET http://127.0.0.1:1/api/v1/fleet", "Maybe start the service");

        assertThat(run("generate", "--hosts", "2", "--parents", "0")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("0 parents per host");
    }

    @Test
    void bothCommandsAreListedWithHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("bench-online", "loadgen");
        assertThat(run("loadgen", "--help")).isZero();
        assertThat(out.toString()).contains("--concurrency", "--url");
    }

    private int run(String... args) {
        // no MDEVPLAN_TOKEN of the machine running the tests reaches the commands
        return run(name -> null, args);
    }

    private int run(UnaryOperator<String> environment, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return PlannerCli.commandLine(environment).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }
}

package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.planner.cli.PlannerCli;
import io.mdevplan.planner.fleet.FleetJson;

class GenerateAndBenchCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void generateWritesAValidFleetDocumentForTheSeed(@TempDir Path dir) throws IOException {
        var file = dir.resolve("fleets/f.json");

        assertThat(run("generate", "--hosts", "12", "--seed", "5", "--fill", "0.5", "--out", file.toString()))
                .as(err.toString()).isZero();

        assertThat(FleetJson.read(file)).isEqualTo(FleetGenerator.generate(12, 5, 0.5));
        assertThat(Files.readString(file)).isEqualTo(FleetGenerator.toJson(FleetGenerator.generate(12, 5, 0.5))
                + System.lineSeparator());
    }

    @Test
    void generateWithoutOutWritesToStandardOutput() {
        assertThat(run("generate", "--hosts", "3")).as(err.toString()).isZero();

        assertThat(out.toString().trim()).isEqualTo(FleetGenerator.toJson(FleetGenerator.generate(3, 42, 1.0)));
    }

    @Test
    void benchWritesJsonWhenTheFileNameSaysSo(@TempDir Path dir) throws IOException {
        var file = dir.resolve("bench.json");

        assertThat(run("bench", "--hosts", "4,6", "--seed", "2", "--time-limit", "1s", "--out", file.toString()))
                .as(err.toString()).isZero();

        var json = FleetJson.mapper().readTree(Files.readString(file));
        assertThat(json.get("machine").get("processors").asInt()).isPositive();
        assertThat(json.get("results")).hasSize(2);
        assertThat(json.get("results").get(1).get("fleet").get("hosts").asInt()).isEqualTo(6);
        assertThat(json.get("results").get(0).get("solver").get("violations").asInt()).isZero();
        assertThat(err.toString()).contains("bench: 4 hosts", "bench: 6 hosts");
    }

    @Test
    void benchWritesMarkdownToStandardOutput() {
        assertThat(run("bench", "--hosts", "3", "--time-limit", "1s")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("| hosts | parents |", "| 3 | ");
    }

    @Test
    void badArgumentsExitTwoWithTheValueAndAHint() {
        assertThat(run("bench", "--hosts", "5,10", "--time-limit", "1s,2s,3s")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("3 values for 2 sizes", "Maybe");

        assertThat(run("generate", "--hosts", "0")).isEqualTo(PlannerCli.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("0 hosts", "Maybe");
    }

    private int run(String... args) {
        return PlannerCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }
}

package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.FleetJson;

class PlannerBenchmarkTest {

    @Test
    void runsBothPlacersOnAGeneratedFleetAndAuditsThem() {
        var result = PlannerBenchmark.run(30, 4, 1.0, Duration.ofSeconds(1));

        assertThat(result.fleet().hosts()).isEqualTo(30);
        assertThat(result.fleet().parents()).isGreaterThanOrEqualTo(30);
        assertThat(result.fleet().workloads()).isPositive();
        assertThat(result.baseline().violations()).isZero();
        assertThat(result.baseline().instancesPlaced()).isPositive();
        var solver = result.solver();
        assertThat(solver.violations()).isZero();
        assertThat(solver.hardScore()).isZero();
        assertThat(solver.score()).startsWith("0hard/");
        assertThat(solver.instancesPlaced()).isGreaterThanOrEqualTo(result.baseline().instancesPlaced());
        assertThat(solver.phases()).extracting(PlannerBenchmark.PhaseRun::phase).containsExactly("Custom", "LocalSearch");
        assertThat(result.peakHeapMiB()).isPositive();
    }

    @Test
    void writesTheReportAsMarkdownAndAsJson() {
        var result = PlannerBenchmark.run(10, 8, 1.0, Duration.ofSeconds(1));
        var report = new PlannerBenchmark.Report(PlannerBenchmark.machine(), List.of(result));

        var markdown = PlannerBenchmark.markdown(report);
        assertThat(markdown).contains("| hosts | parents | workloads", "| 10 | " + result.fleet().parents() + " | ",
                "greedy construction", "Machine: " + Runtime.getRuntime().availableProcessors() + " processors");
        assertThat(FleetJson.toJson(report)).contains("\"results\"", "\"baseline\"", "\"phases\"");
    }

    @Test
    void largeFleetsGetTheLongTimeLimit() {
        assertThat(PlannerBenchmark.defaultTimeLimit(1_000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(PlannerBenchmark.defaultTimeLimit(10_000)).isEqualTo(Duration.ofSeconds(50));
    }
}

package io.mdevplan.executor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ApplyBenchmarkTest {

    @Test
    void measuresEveryRunAndReportsTheMedianAsMarkdown() {
        // 3 plans of 9 actions on 2 parents: every kind of create, both aggregation dialects on both parents
        var result = ApplyBenchmark.run(new ApplyBenchmark.Settings(2, 3, 9, 1, 3));

        assertThat(result.actionsPerSecond()).hasSize(3).allSatisfy(speed -> assertThat(speed).isPositive());
        assertThat(result.settings().actionsPerRun()).isEqualTo(54);
        assertThat(result.markdown())
                .startsWith("### Plan actions applied per second (SimulatedKernel)\n\n2 parents; a run applies 3 plans"
                        + " of 9 creates, then 3 plans removing them (54 actions")
                .contains("1 warm-up runs, 3 measured")
                .contains("| actions/s (median) | slowest run | fastest run | µs per action (median) |");
    }

    @Test
    void theMedianIsTheMiddleRunOrTheMeanOfTheTwoMiddleOnes() {
        var settings = new ApplyBenchmark.Settings(1, 1, 1, 0, 1);

        assertThat(new ApplyBenchmark.Result(settings, List.of(3.0, 1.0, 2.0)).median()).isEqualTo(2.0);
        assertThat(new ApplyBenchmark.Result(settings, List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
    }

    @Test
    void refusesSettingsThatMeasureNothing() {
        assertThatThrownBy(() -> new ApplyBenchmark.Settings(8, 0, 50, 3, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 plans").hasMessageContaining("Maybe");
        assertThatThrownBy(() -> new ApplyBenchmark.Settings(256, 1, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 parents");
    }
}

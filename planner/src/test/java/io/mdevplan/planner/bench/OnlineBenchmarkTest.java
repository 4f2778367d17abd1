package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mdevplan.planner.policy.PolicyCatalog;

class OnlineBenchmarkTest {

    private static final long LONG = Duration.ofMinutes(10).toMillis();

    @Test
    void decidesAndBooksUntilTheFleetIsFullAndTheAuditFindsNothing() {
        var result = OnlineBenchmark.run(8, 8, 42, new OnlineBenchmark.Limits(100_000, LONG, 0),
                OnlineBenchmark.defaultPolicies());

        assertThat(result.hosts()).isEqualTo(8);
        assertThat(result.parents()).isEqualTo(64);
        assertThat(result.runs()).extracting(OnlineBenchmark.Run::policy).containsExactly("pack", "spread");
        assertThat(result.runs()).allSatisfy(run -> {
            assertThat(run.stop()).isEqualTo(OnlineBenchmark.Stop.FULL);
            assertThat(run.refused()).isGreaterThanOrEqualTo(OnlineBenchmark.FULL_AFTER_REFUSALS);
            assertThat(run.placed() + run.refused()).isEqualTo(run.decisions());
            assertThat(run.decide().count()).isEqualTo(run.decisions());
            assertThat(run.decidePlaced().count()).isEqualTo(run.placed());
            assertThat(run.decideRefused().count()).isEqualTo(run.refused());
            assertThat(run.book().count()).isEqualTo(run.placed());
            assertThat(run.decide().p50()).isLessThanOrEqualTo(run.decide().p99());
            assertThat(run.fillAfter()).isGreaterThan(run.fillBefore()).isLessThanOrEqualTo(1.0);
            assertThat(run.prefilled()).isZero();
            assertThat(run.violations()).isZero();
        });
    }

    @Test
    void stopsAtTheRequestLimitAndAPrefillStartsFuller() {
        var result = OnlineBenchmark.run(30, 8, 7, new OnlineBenchmark.Limits(300, LONG, 0.6),
                List.of(PolicyCatalog.byName("spread")));

        var run = result.runs().get(0);
        assertThat(run.stop()).isEqualTo(OnlineBenchmark.Stop.REQUESTS);
        assertThat(run.decisions()).isEqualTo(300);
        assertThat(run.prefilled()).isPositive();
        assertThat(run.fillBefore()).isGreaterThanOrEqualTo(0.6);
        assertThat(run.violations()).isZero();
        var markdown = OnlineBenchmark.markdown(new OnlineBenchmark.Report(PlannerBenchmark.machine(),
                new OnlineBenchmark.Warmup(300, 10, 1), List.of(result)));
        assertThat(markdown).contains("| 30 | 240 | spread |", "300 requests", "| p50 | p90 | p99 | p99.9 | max |");
    }

    @Test
    void warmingUpDecidesOnASeparateFleet() {
        var warmup = OnlineBenchmark.warmUp(2, 1, OnlineBenchmark.defaultPolicies());

        assertThat(warmup.decisions()).isPositive();
        assertThat(warmup.hosts()).isPositive();
    }

    @Test
    void limitsThatMeasureNothingAreRefused() {
        assertThatThrownBy(() -> new OnlineBenchmark.Limits(0, LONG, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit of 0").hasMessageContaining("Maybe");
        assertThatThrownBy(() -> new OnlineBenchmark.Limits(10, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 ms");
        assertThatThrownBy(() -> new OnlineBenchmark.Limits(10, LONG, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefill of 1.0").hasMessageContaining("0.9");
    }
}

package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRank() {
        var sorted = new long[1000];
        for (var i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }

        assertThat(Latencies.percentile(sorted, 500)).isEqualTo(500);
        assertThat(Latencies.percentile(sorted, 900)).isEqualTo(900);
        assertThat(Latencies.percentile(sorted, 990)).isEqualTo(990);
        assertThat(Latencies.percentile(sorted, 999)).isEqualTo(999);
        assertThat(Latencies.percentile(sorted, 1000)).isEqualTo(1000);
        assertThat(Latencies.percentile(new long[] { 7 }, 1)).isEqualTo(7);
        // Of 10 values, p99 and p99.9 are the largest: rank ceil(9.9) = 10.
        assertThat(Latencies.percentile(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 990)).isEqualTo(10);
        assertThat(Latencies.percentile(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 500)).isEqualTo(5);
        assertThat(Latencies.percentile(new long[0], 990)).isZero();
    }

    @Test
    void aSummaryIsInTheUnitAskedForWhateverTheOrderOfRecording() {
        var latencies = new Latencies();
        for (var i = 2000; i >= 1; i--) {
            latencies.add(i * 1_000L);
        }

        var micros = latencies.summary(TimeUnit.MICROSECONDS);
        assertThat(micros.unit()).isEqualTo("us");
        assertThat(micros.count()).isEqualTo(2000);
        assertThat(micros.p50()).isEqualTo(1000.0);
        assertThat(micros.p90()).isEqualTo(1800.0);
        assertThat(micros.p99()).isEqualTo(1980.0);
        assertThat(micros.p999()).isEqualTo(1998.0);
        assertThat(micros.max()).isEqualTo(2000.0);
        assertThat(micros.mean()).isCloseTo(1000.5, within(1e-9));
        assertThat(latencies.summary(TimeUnit.MILLISECONDS).p99()).isCloseTo(1.98, within(1e-9));
        assertThat(latencies.totalNanos()).isEqualTo(2001L * 1000 * 1000);
    }

    @Test
    void recordsMergeAndNothingRecordedSummarisesToZeros() {
        var first = new Latencies();
        var second = new Latencies();
        first.add(5);
        second.add(1);
        second.add(9);

        first.addAll(second);

        assertThat(first.count()).isEqualTo(3);
        assertThat(first.summary(TimeUnit.NANOSECONDS).max()).isEqualTo(9.0);
        assertThat(new Latencies().summary(TimeUnit.MILLISECONDS))
                .isEqualTo(new Latencies.Summary("ms", 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void refusesNegativeLatenciesAndPercentilesOutOfRange() {
        assertThatThrownBy(() -> new Latencies().add(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1 ns").hasMessageContaining("Maybe");
        assertThatThrownBy(() -> Latencies.percentile(new long[] { 1 }, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 permille");
    }
}

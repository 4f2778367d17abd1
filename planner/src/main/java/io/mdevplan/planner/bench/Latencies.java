package io.mdevplan.planner.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Latencies recorded one by one in nanoseconds, every value kept, and summarised by nearest-rank percentiles: the p-th
 * percentile is the smallest recorded value that at least p% of the values do not exceed. Not thread-safe: record one
 * per thread and {@link #addAll} them afterwards.
 */
public final class Latencies {

    private static final int INITIAL_CAPACITY = 1024;

    /** Percentiles of the recorded latencies, in {@code unit} ("us", "ms"); zeros when nothing was recorded. */
    public record Summary(String unit, int count, double mean, double p50, double p90, double p99, double p999,
            double max) {
    }

    private long[] nanos = new long[INITIAL_CAPACITY];
    private int count;
    private long total;

    public void add(long latencyNanos) {
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("A latency of " + latencyNanos + " ns is negative. Maybe the start and "
                    + "end of the measurement are swapped.");
        }
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, nanos.length * 2);
        }
        nanos[count++] = latencyNanos;
        total += latencyNanos;
    }

    public void addAll(Latencies other) {
        for (var i = 0; i < other.count; i++) {
            add(other.nanos[i]);
        }
    }

    public int count() {
        return count;
    }

    /** The sum of every latency recorded, in nanoseconds. */
    public long totalNanos() {
        return total;
    }

    /** The summary in microseconds or milliseconds (or any unit down to nanoseconds). */
    public Summary summary(TimeUnit unit) {
        var sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        var perUnit = (double) unit.toNanos(1);
        return new Summary(symbol(unit), count, count == 0 ? 0 : total / perUnit / count,
                percentile(sorted, 500) / perUnit, percentile(sorted, 900) / perUnit, percentile(sorted, 990) / perUnit,
                percentile(sorted, 999) / perUnit, count == 0 ? 0 : sorted[count - 1] / perUnit);
    }

    /**
     * The nearest-rank percentile of sorted values, given in permille (990 for p99, 999 for p99.9): the value at rank
     * ceil(permille x n / 1000), counted in whole numbers so that p99.9 of 1,000 values is the 999th; 0 for no values.
     */
    static long percentile(long[] sorted, int permille) {
        if (permille < 1 || permille > 1000) {
            throw new IllegalArgumentException("Percentile " + permille + " permille is outside 1 to 1000. "
                    + "Maybe use 999 for p99.9.");
        }
        if (sorted.length == 0) {
            return 0;
        }
        var rank = (permille * (long) sorted.length + 999) / 1000;
        return sorted[(int) rank - 1];
    }

    private static String symbol(TimeUnit unit) {
        return switch (unit) {
            case NANOSECONDS -> "ns";
            case MICROSECONDS -> "us";
            case MILLISECONDS -> "ms";
            case SECONDS -> "s";
            default -> unit.name().toLowerCase(Locale.ROOT);
        };
    }
}

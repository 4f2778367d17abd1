package io.mdevplan.web.placement;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What Prometheus sees of placement (/q/metrics): requests by outcome with their latency, the in-memory decisions
 * alone, commit rounds with their sizes, requests carried between rounds, stale views found under a lock, and the solver's batch runs. Latencies are histograms, so p99 is computed where scraped.
 */
@Singleton
public final class PlacementMetrics {

    private final MeterRegistry registry;
    private final Timer decisions;
    private final Counter retries;
    private final Counter staleClaims;
    private final DistributionSummary rounds;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();

    PlacementMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.decisions = Timer.builder("mdevplan.placement.decisions")
                .description("One decision by the in-memory index (no database), placed or refused")
                .publishPercentileHistogram()
                .register(registry);
        this.retries = Counter.builder("mdevplan.placement.retries")
                .description("Requests carried to the next commit round: their host locked by another writer, its view"
                        + " reloaded meanwhile, or their round not committed")
                .register(registry);
        this.staleClaims = Counter.builder("mdevplan.placement.stale.claims")
                .description("Hosts a commit round locked and found changed by another writer since this replica's"
                        + " view of them, and reloaded under the lock")
                .register(registry);
        this.rounds = DistributionSummary.builder("mdevplan.placement.rounds")
                .description("Requests decided and written by one commit round (one transaction)")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** A POST /api/v1/placements answered: placed, existing, no-capacity, conflict, invalid, busy or error. */
    void request(String outcome, long nanos) {
        // on every request: the timer is built once per outcome, not looked up through a new builder each time
        requests.computeIfAbsent(outcome, tag -> Timer.builder("mdevplan.placement.requests")
                .description("Placement requests, end to end with the database commit, by outcome")
                .tag("outcome", tag)
                .publishPercentileHistogram()
                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void decision(long nanos) {
        decisions.record(nanos, TimeUnit.NANOSECONDS);
    }

    void retry() {
        retries.increment();
    }

    void staleClaim() {
        staleClaims.increment();
    }

    void round(int requests) {
        rounds.record(requests);
    }

    public void released() {
        Counter.builder("mdevplan.placement.releases")
                .description("Placements released (DELETE /api/v1/placements/{workload})")
                .register(registry)
                .increment();
    }

    /** A solver run for a batch, by outcome: placed (all or some), none, conflict. */
    void solverRun(String outcome, long nanos) {
        Timer.builder("mdevplan.solver.runs")
                .description("Solver runs for POST /api/v1/placements:batch, by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}

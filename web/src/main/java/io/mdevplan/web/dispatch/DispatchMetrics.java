package io.mdevplan.web.dispatch;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What Prometheus sees of dispatch (/q/metrics): actions handed out to executors, results stored by op and result,
 * what followed failed creates under replace policies, and the actions of every host still waiting for their result.
 */
@Singleton
public final class DispatchMetrics {

    private static final Logger LOG = Logger.getLogger(DispatchMetrics.class);

    /** Answered by V5's partial index of pending and failed actions, which stays small whatever the history. */
    private static final String PENDING = "SELECT count(*) FROM host_actions WHERE state = 'pending'";

    private final MeterRegistry registry;
    private final DataSource dataSource;
    private final Counter handouts;
    private final Map<String, Counter> results = new ConcurrentHashMap<>();
    private final Map<String, Counter> replacements = new ConcurrentHashMap<>();

    DispatchMetrics(MeterRegistry registry, DataSource dataSource) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.handouts = Counter.builder("mdevplan.dispatch.handouts")
                .description("Actions handed out to hosts' executors (GET /api/v1/hosts/{name}/actions); one handed"
                        + " out again, its result not stored yet, counts again")
                .register(registry);
        // every replica reports the same count, from the shared database, when scraped
        Gauge.builder("mdevplan.dispatch.pending.actions", this, DispatchMetrics::pendingActions)
                .description("Actions of every host waiting for their result, handed out or not")
                .register(registry);
    }

    void handedOut(int actions) {
        handouts.increment(actions);
    }

    /** A result stored (not one posted again): op create or remove, result done or failed. */
    void stored(String op, String result) {
        results.computeIfAbsent(op + " " + result, key -> Counter.builder("mdevplan.dispatch.actions")
                .description("Action results stored (POST /api/v1/hosts/{name}/actions/{id}/result), by op and"
                        + " result")
                .tag("op", op)
                .tag("result", result)
                .register(registry))
                .increment();
    }

    /**
     * What followed a failed create under a replace policy: placed (again, elsewhere), not-placed (nothing else fit,
     * or its scheduler placed it meanwhile), limit (mdevplan.dispatch.max-replacements reached).
     */
    void replacement(String outcome) {
        replacements.computeIfAbsent(outcome, tag -> Counter.builder("mdevplan.dispatch.replacements")
                .description("Failed creates under a policy with onFailure replace, by what followed")
                .tag("outcome", tag)
                .register(registry))
                .increment();
    }

    private double pendingActions() {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery(PENDING)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            LOG.debugf(e, "Cannot count the pending actions for the metrics");
            return Double.NaN;
        }
    }
}

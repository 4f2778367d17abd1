package io.mdevplan.web.scenario;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The scenarios' queue in PostgreSQL, shared by every replica's workers. A worker takes the oldest queued scenario
 * with {@code FOR UPDATE SKIP LOCKED} (two workers never take the same one, and neither waits for the other), holds it
 * under a lease it renews while solving, and stores the outcome in one statement. Every write a worker makes is fenced
 * by the worker's name and the take's number ({@link Job}): once its lease was taken over, it writes nothing. A lease
 * that runs out (its replica died or stalled) puts the scenario back in the queue, or fails it after
 * {@code max-attempts} takes. Each method runs in its own transaction.
 */
@Singleton
public final class ScenarioQueue {

    /** Until when a worker holds what it took or renewed, by the database's clock. */
    private static final String LEASE = "now() + ?::bigint * interval '1 millisecond'";

    /** Only the worker that took the scenario, in this take, while it runs. */
    private static final String FENCE = " WHERE id = ? AND worker = ? AND attempts = ? AND state = 'running'";

    private static final String ENQUEUE = "INSERT INTO scenarios (name, document, live_base, time_limit_ms)"
            + " VALUES (?, ?::jsonb, ?, ?) RETURNING id, created_at";

    private static final String CLAIM = "UPDATE scenarios SET state = 'running', worker = ?, attempts = attempts + 1,"
            + " lease_until = " + LEASE + ", started_at = now(), progress = NULL, best_score = NULL,"
            + " elapsed_ms = NULL, updated_at = now()"
            + " WHERE id = (SELECT id FROM scenarios WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
            + " RETURNING id, attempts, document::text, live_base, time_limit_ms";

    private static final String RENEW = "UPDATE scenarios SET lease_until = " + LEASE + ","
            + " progress = coalesce(?::json, progress), best_score = coalesce(?, best_score), elapsed_ms = ?,"
            + " updated_at = now()" + FENCE + " RETURNING cancel_requested";

    /** A cancel asked for while the result was being made wins: the caller was told it would stop. */
    private static final String FINISH = "UPDATE scenarios SET"
            + " state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'done' END,"
            + " result = CASE WHEN cancel_requested THEN NULL ELSE ?::json END,"
            + " commit_plan = CASE WHEN cancel_requested THEN NULL ELSE ?::jsonb END,"
            + " progress = coalesce(?::json, progress), best_score = coalesce(?, best_score), elapsed_ms = ?,"
            + " lease_until = NULL, finished_at = now(), updated_at = now()" + FENCE + " RETURNING state";

    private static final String END = "UPDATE scenarios SET state = ?, error = ?,"
            + " progress = coalesce(?::json, progress), best_score = coalesce(?, best_score), elapsed_ms = ?,"
            + " lease_until = NULL, finished_at = now(), updated_at = now()" + FENCE;

    /** Back to the queue on a clean stop: this take does not count. */
    private static final String GIVE_BACK = "UPDATE scenarios SET"
            + " state = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,"
            + " finished_at = CASE WHEN cancel_requested THEN now() END,"
            + " attempts = attempts - 1, worker = NULL, lease_until = NULL, updated_at = now()" + FENCE;

    /**
     * Scenarios whose worker is gone (the condition, appended, picks them): back to the queue, or failed after the
     * last take allowed, or cancelled when a cancel was asked for. The reason names the last holder.
     */
    private static final String ORPHANS = "UPDATE scenarios SET"
            + " state = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempts >= ? THEN 'failed' ELSE 'queued' END,"
            + " error = CASE WHEN NOT cancel_requested AND attempts >= ? THEN 'taken ' || attempts || ' times, and "
            + "' || ? || ' (last by ' || worker || '). Maybe look at that replica''s log; a scenario too large for "
            + "its replica''s memory kills it each time: give it a shorter time limit or fewer changes.' END,"
            + " finished_at = CASE WHEN cancel_requested OR attempts >= ? THEN now() END,"
            + " worker = CASE WHEN cancel_requested OR attempts >= ? THEN worker END,"
            + " lease_until = NULL, updated_at = now()"
            + " WHERE id IN (SELECT id FROM scenarios WHERE state = 'running' AND %s FOR UPDATE SKIP LOCKED)"
            + " RETURNING id, state";

    private static final String CANCEL = "UPDATE scenarios SET"
            + " state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,"
            + " finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END,"
            + " cancel_requested = true, updated_at = now()"
            + " WHERE id = ? AND state IN ('queued', 'running') RETURNING state";

    /**
     * A scenario a worker took: the fence of its writes is the worker's name and the take's number (the scenario's
     * attempts after the take).
     */
    public record Job(long id, String worker, int attempt, String document, boolean liveBase, long timeLimitMillis) {
    }

    /** What a worker stores of its run: the last progress (JSON, or null), the best score (or null), the time. */
    public record Progress(String json, String bestScore, long elapsedMillis) {
    }

    /** What a renewal found. */
    public enum Renewal {
        /** The worker still holds the scenario, for another lease. */
        HELD,
        /** It holds it, and a cancel was asked for: stop, then store {@link #cancelled}. */
        CANCEL,
        /** Another worker or a cancel took it over: stop, and write nothing. */
        LOST
    }

    /** A scenario whose worker is gone, and what became of it. */
    public record Orphan(long id, ScenarioState state) {
    }

    private final EntityManager em;

    ScenarioQueue(EntityManager em) {
        this.em = em;
    }

    /** Queues a scenario; answers it as queued (a worker may take it at once). */
    public ScenarioView enqueue(String name, String document, boolean liveBase, long timeLimitMillis) {
        return call(connection -> {
            try (var statement = connection.prepareStatement(ENQUEUE)) {
                statement.setString(1, name);
                statement.setString(2, document);
                statement.setBoolean(3, liveBase);
                statement.setLong(4, timeLimitMillis);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return new ScenarioView(String.valueOf(rows.getLong(1)), name, ScenarioState.QUEUED.column(),
                            liveBase ? ScenarioView.LIVE : ScenarioView.EMBEDDED, timeLimitMillis, null, null, null, 0,
                            null, null, false, null, rows.getTimestamp(2).toInstant(), null, null, null, null);
                }
            }
        });
    }

    /** Takes the oldest queued scenario for the worker, under a lease; empty when none is queued (or all are taken). */
    public Optional<Job> claim(String worker, Duration lease) {
        return call(connection -> {
            try (var statement = connection.prepareStatement(CLAIM)) {
                statement.setString(1, worker);
                statement.setLong(2, lease.toMillis());
                try (var rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Job(rows.getLong(1), worker, rows.getInt(2), rows.getString(3),
                            rows.getBoolean(4), rows.getLong(5)));
                }
            }
        });
    }

    /** Extends the job's lease and stores its progress, if the worker still holds it. */
    public Renewal renew(Job job, Duration lease, Progress progress) {
        return call(connection -> {
            try (var statement = connection.prepareStatement(RENEW)) {
                statement.setLong(1, lease.toMillis());
                setProgress(statement, 2, progress);
                fence(statement, 5, job);
                try (var rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Renewal.LOST;
                    }
                    return rows.getBoolean(1) ? Renewal.CANCEL : Renewal.HELD;
                }
            }
        });
    }

    /**
     * Stores the result and what committing it would do, in one statement; the scenario is done (cancelled when a
     * cancel was asked for meanwhile). Empty when the worker no longer held it.
     */
    public Optional<ScenarioState> finish(Job job, String result, String commitPlan, Progress progress) {
        return call(connection -> {
            try (var statement = connection.prepareStatement(FINISH)) {
                statement.setString(1, result);
                statement.setString(2, commitPlan);
                setProgress(statement, 3, progress);
                fence(statement, 6, job);
                try (var rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(ScenarioState.fromColumn(rows.getString(1)))
                            : Optional.<ScenarioState>empty();
                }
            }
        });
    }

    /** The scenario could not be solved; false when the worker no longer held it. */
    public boolean fail(Job job, String error, Progress progress) {
        return end(job, ScenarioState.FAILED, error, progress);
    }

    /** The run stopped on a cancel; false when the worker no longer held it. */
    public boolean cancelled(Job job, Progress progress) {
        return end(job, ScenarioState.CANCELLED, null, progress);
    }

    /** Puts the job back in the queue as it was before this take (the service is stopping); false when not held. */
    public boolean giveBack(Job job) {
        return call(connection -> {
            try (var statement = connection.prepareStatement(GIVE_BACK)) {
                fence(statement, 1, job);
                return statement.executeUpdate() == 1;
            }
        });
    }

    /** Running scenarios whose lease ran out: their worker died or stalled. */
    public List<Orphan> expireLeases(int maxAttempts) {
        return orphans("lease_until < now()", null, maxAttempts, "its lease ran out each time: the replica running it"
                + " stopped renewing it (it died or stalled)");
    }

    /**
     * The scenarios this worker's name held when its replica stopped without giving them back (a crash): found at
     * start, as no run of this replica holds them now.
     */
    public List<Orphan> recover(String worker, int maxAttempts) {
        return orphans("worker = ?", worker, maxAttempts, "the replica running it restarted each time");
    }

    /**
     * Cancels the scenario: a queued one at once (answered cancelled), a running one by asking its worker (answered
     * running). Empty when it is neither.
     */
    public Optional<ScenarioState> cancel(long id) {
        return call(connection -> {
            try (var statement = connection.prepareStatement(CANCEL)) {
                statement.setLong(1, id);
                try (var rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(ScenarioState.fromColumn(rows.getString(1)))
                            : Optional.<ScenarioState>empty();
                }
            }
        });
    }

    private boolean end(Job job, ScenarioState state, String error, Progress progress) {
        return call(connection -> {
            try (var statement = connection.prepareStatement(END)) {
                statement.setString(1, state.column());
                statement.setString(2, error);
                setProgress(statement, 3, progress);
                fence(statement, 6, job);
                return statement.executeUpdate() == 1;
            }
        });
    }

    private List<Orphan> orphans(String condition, String worker, int maxAttempts, String why) {
        return call(connection -> {
            try (var statement = connection.prepareStatement(String.format(ORPHANS, condition))) {
                statement.setInt(1, maxAttempts);
                statement.setInt(2, maxAttempts);
                statement.setString(3, why);
                statement.setInt(4, maxAttempts);
                statement.setInt(5, maxAttempts);
                if (worker != null) {
                    statement.setString(6, worker);
                }
                var orphans = new ArrayList<Orphan>();
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        orphans.add(new Orphan(rows.getLong(1), ScenarioState.fromColumn(rows.getString(2))));
                    }
                }
                return orphans;
            }
        });
    }

    private static void setProgress(PreparedStatement statement, int from, Progress progress) throws SQLException {
        statement.setString(from, progress.json());
        statement.setString(from + 1, progress.bestScore());
        statement.setLong(from + 2, progress.elapsedMillis());
    }

    private static void fence(PreparedStatement statement, int from, Job job) throws SQLException {
        statement.setLong(from, job.id());
        statement.setString(from + 1, job.worker());
        statement.setInt(from + 2, job.attempt());
    }

    private <T> T call(ReturningWork<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class).doReturningWork(work));
    }
}

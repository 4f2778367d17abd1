package io.mdevplan.web.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;

/**
 * Reads scenarios for the API and writes what their commits did, by SQL in the caller's transaction (the queue's own
 * transitions are {@link ScenarioQueue}'s).
 */
@Singleton
public final class ScenarioStore {

    private static final String COLUMNS = "id, name, state, live_base, time_limit_ms, progress::text, best_score,"
            + " elapsed_ms, attempts, worker, lease_until, cancel_requested, error, created_at, started_at,"
            + " finished_at, commit_mode, committed_at, committed_placements, reservation_expires_at,"
            + " reservation_released_at";

    /** A done scenario's key figures, side by side with others': its plan without the actions, no growth lines. */
    private static final String FIGURES = "SELECT id, name, state, result ->> 'policy', (result ->> 'workloads')::int,"
            + " (result ->> 'placed')::int, json_array_length(result -> 'unplaced'), (result -> 'headroom')::text,"
            + " ((result -> 'exhaustion')::jsonb - 'growth')::text, ((result -> 'plan')::jsonb - 'actions')::text"
            + " FROM scenarios WHERE id = ANY(?)";

    private static final String LOCK = "SELECT state, live_base, commit_mode, reservation_released_at,"
            + " commit_plan::text FROM scenarios WHERE id = ? FOR UPDATE";

    /** Where a run stands, for its events. */
    public record Snapshot(long id, ScenarioState state, String progress, String bestScore, Long elapsedMillis,
            String error) {
    }

    /** A scenario's figures for a comparison; null figures until it is done. */
    public record Figures(long id, String name, ScenarioState state, String policy, Integer workloads, Integer placed,
            Integer unplaced, JsonNode headroom, JsonNode exhaustion, JsonNode plan) {
    }

    /** A scenario under its row lock, as a commit needs it. */
    public record Locked(long id, ScenarioState state, boolean liveBase, String commitMode, boolean reservationHeld,
            String commitPlan) {
    }

    private final EntityManager em;
    private final ObjectMapper json;

    ScenarioStore(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** The scenario's id from the path; 404 for what no scenario could have (ids are whole numbers). */
    public static long id(String text) {
        try {
            var id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below, as an id that does not exist
        }
        throw notFound(text);
    }

    public static ProblemException notFound(String id) {
        return new ProblemException(ProblemType.NOT_FOUND, "No scenario has the id " + id + ". Maybe GET"
                + " /api/v1/scenarios for the ids.", List.of(new ProblemItem("{id}", id, "no such scenario")));
    }

    /** Every scenario, oldest first, without results. */
    public List<ScenarioView> list() {
        return work(connection -> {
            var views = new ArrayList<ScenarioView>();
            try (var statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM scenarios ORDER BY id");
                    var rows = statement.executeQuery()) {
                while (rows.next()) {
                    views.add(view(rows, null));
                }
            }
            return views;
        });
    }

    /** The scenario, with its result when it is done. */
    public Optional<ScenarioView> get(long id) {
        return work(connection -> {
            try (var statement = connection.prepareStatement("SELECT " + COLUMNS + ", result::text FROM scenarios"
                    + " WHERE id = ?")) {
                statement.setLong(1, id);
                try (var rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(view(rows, node(rows.getString(22))))
                            : Optional.<ScenarioView>empty();
                }
            }
        });
    }

    public Optional<Snapshot> snapshot(long id) {
        return work(connection -> {
            try (var statement = connection.prepareStatement("SELECT state, progress::text, best_score, elapsed_ms,"
                    + " error FROM scenarios WHERE id = ?")) {
                statement.setLong(1, id);
                try (var rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<Snapshot>empty();
                    }
                    return Optional.of(new Snapshot(id, ScenarioState.fromColumn(rows.getString(1)),
                            rows.getString(2), rows.getString(3), nullableLong(rows, 4), rows.getString(5)));
                }
            }
        });
    }

    /** The figures of the scenarios that exist, by id. */
    public List<Figures> figures(List<Long> ids) {
        return work(connection -> {
            var figures = new ArrayList<Figures>();
            try (var statement = connection.prepareStatement(FIGURES)) {
                statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        figures.add(new Figures(rows.getLong(1), rows.getString(2),
                                ScenarioState.fromColumn(rows.getString(3)), rows.getString(4),
                                nullableInt(rows, 5), nullableInt(rows, 6), nullableInt(rows, 7),
                                node(rows.getString(8)), node(rows.getString(9)), node(rows.getString(10))));
                    }
                }
            }
            return figures;
        });
    }

    /** Locks the scenario's row until the transaction ends, as every commit and release of it does first. */
    public Optional<Locked> lock(long id) {
        return work(connection -> {
            try (var statement = connection.prepareStatement(LOCK)) {
                statement.setLong(1, id);
                try (var rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<Locked>empty();
                    }
                    return Optional.of(new Locked(id, ScenarioState.fromColumn(rows.getString(1)),
                            rows.getBoolean(2), rows.getString(3),
                            "reserve".equals(rows.getString(3)) && rows.getTimestamp(4) == null,
                            rows.getString(5)));
                }
            }
        });
    }

    /**
     * Records a commit: its mode, the placements it made, and for reserve how long they hold (answered: until when, by
     * the database's clock); a dispatch of a reserved plan ends the reservations.
     */
    public Instant committed(long id, String mode, int placements, Long ttlSeconds) {
        return work(connection -> {
            try (var statement = connection.prepareStatement("UPDATE scenarios SET commit_mode = ?,"
                    + " committed_at = now(), committed_placements = ?,"
                    + " reservation_expires_at = now() + ?::bigint * interval '1 second',"
                    // the previous commit_mode: a dispatch of a reserved plan ends its reservations
                    + " reservation_released_at = CASE WHEN ? = 'dispatch' AND commit_mode = 'reserve'"
                    + " THEN coalesce(reservation_released_at, now()) END,"
                    + " updated_at = now() WHERE id = ? RETURNING reservation_expires_at")) {
                statement.setString(1, mode);
                statement.setInt(2, placements);
                if (ttlSeconds == null) {
                    statement.setNull(3, Types.BIGINT);
                } else {
                    statement.setLong(3, ttlSeconds);
                }
                statement.setString(4, mode);
                statement.setLong(5, id);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return instant(rows, 1);
                }
            }
        });
    }

    /** Records that a reserve commit's reservations were released; answers when. */
    public Instant released(long id) {
        return work(connection -> {
            try (var statement = connection.prepareStatement("UPDATE scenarios SET"
                    + " reservation_released_at = now(), updated_at = now() WHERE id = ?"
                    + " RETURNING reservation_released_at")) {
                statement.setLong(1, id);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getTimestamp(1).toInstant();
                }
            }
        });
    }

    /** Reserve commits whose reservations outlived their expiry. */
    public List<Long> expiredReservations() {
        return work(connection -> {
            var ids = new ArrayList<Long>();
            try (var statement = connection.prepareStatement("SELECT id FROM scenarios WHERE commit_mode = 'reserve'"
                    + " AND reservation_released_at IS NULL AND reservation_expires_at < now() ORDER BY id");
                    var rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        });
    }

    private ScenarioView view(ResultSet rows, JsonNode result) throws SQLException {
        var commitMode = rows.getString(17);
        var reserve = "reserve".equals(commitMode);
        var commit = commitMode == null ? null : new ScenarioView.Commit(commitMode, instant(rows, 18),
                rows.getInt(19), reserve ? instant(rows, 20) : null, reserve ? instant(rows, 21) : null);
        return new ScenarioView(String.valueOf(rows.getLong(1)), rows.getString(2), rows.getString(3),
                rows.getBoolean(4) ? ScenarioView.LIVE : ScenarioView.EMBEDDED, rows.getLong(5),
                node(rows.getString(6)), rows.getString(7), nullableLong(rows, 8), rows.getInt(9), rows.getString(10),
                instant(rows, 11), rows.getBoolean(12), rows.getString(13), instant(rows, 14), instant(rows, 15),
                instant(rows, 16), commit, result);
    }

    private JsonNode node(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("A scenario's stored JSON does not parse: " + e.getMessage()
                    + ". Maybe the row was edited by hand.", e);
        }
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        var timestamp = rows.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        var value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rows, int column) throws SQLException {
        var value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }

    private <T> T work(ReturningWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work);
    }
}

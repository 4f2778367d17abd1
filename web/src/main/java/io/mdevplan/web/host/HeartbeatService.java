package io.mdevplan.web.host;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Heartbeats of the hosts' executors: each is one UPDATE of the host's row, answering with the host's pending and
 * failed actions. A heartbeat does not touch the host's books (usage_version): it changes no capacity.
 */
@Singleton
public final class HeartbeatService {

    /** Longer versions are not versions: the dashboard shows this text. */
    static final int MAX_VERSION_LENGTH = 100;

    private static final String BEAT = "UPDATE hosts h SET last_heartbeat = now(), executor_version = ?,"
            + " executor_started_at = ? WHERE name = ? RETURNING last_heartbeat, last_inventory_at,"
            + " (SELECT count(*) FROM host_actions a WHERE a.host_id = h.id AND a.state = 'pending'),"
            + " (SELECT count(*) FROM host_actions a WHERE a.host_id = h.id AND a.state = 'failed')";

    private final EntityManager em;

    HeartbeatService(EntityManager em) {
        this.em = em;
    }

    /**
     * Stores the executor's heartbeat: now, its version and its start. 404 for an unknown host (a fleet import
     * replaced the fleet without it), whose executor should register again by reporting its inventory.
     */
    public HeartbeatView beat(String name, HeartbeatBody body) {
        HostService.checkName(name);
        var startedAt = checked(body);
        return QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class).doReturningWork(connection -> {
            try (var statement = connection.prepareStatement(BEAT)) {
                statement.setString(1, body.executorVersion());
                statement.setObject(2, startedAt.atOffset(ZoneOffset.UTC));
                statement.setString(3, name);
                try (var rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<HeartbeatView>empty();
                    }
                    var lastInventoryAt = Optional.ofNullable(rows.getObject(2, OffsetDateTime.class))
                            .map(OffsetDateTime::toInstant);
                    // no inventory since this executor started (or ever): it should report one
                    var reportInventory = lastInventoryAt.map(at -> at.isBefore(startedAt)).orElse(true);
                    return Optional.of(new HeartbeatView(name, rows.getObject(1, OffsetDateTime.class).toInstant(),
                            body.executorVersion(), startedAt, lastInventoryAt.orElse(null), rows.getLong(3),
                            rows.getLong(4), reportInventory));
                }
            }
        })).orElseThrow(() -> unknownHost(name));
    }

    /** The start, once both fields are checked; every problem comes back at once as a 422. */
    private static Instant checked(HeartbeatBody body) {
        var problems = new ArrayList<ProblemItem>();
        var version = body.executorVersion();
        if (version == null || version.isBlank()) {
            problems.add(new ProblemItem("$.executorVersion", version, "the executor's version is required. Maybe"
                    + " send the version it prints at start, e.g. \"0.1.0\"."));
        } else if (version.length() > MAX_VERSION_LENGTH) {
            problems.add(new ProblemItem("$.executorVersion", version.substring(0, MAX_VERSION_LENGTH) + "...",
                    "the version is longer than " + MAX_VERSION_LENGTH + " characters. Maybe send the release"
                            + " alone, e.g. \"0.1.0\"."));
        }
        Instant startedAt = null;
        if (body.startedAt() == null) {
            problems.add(new ProblemItem("$.startedAt", null, "when the executor started is required. Maybe send"
                    + " it as ISO-8601 in UTC, e.g. \"2026-11-27T03:55:00Z\"."));
        } else {
            try {
                startedAt = Instant.parse(body.startedAt());
            } catch (DateTimeParseException e) {
                problems.add(new ProblemItem("$.startedAt", body.startedAt(), "not an ISO-8601 instant. Maybe send"
                        + " \"2026-11-27T03:55:00Z\" (UTC, seconds or finer)."));
            }
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The heartbeat has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "; nothing was stored. Maybe fix "
                    + (problems.size() == 1 ? "it" : "them") + " as each message says.", problems);
        }
        return startedAt;
    }

    private static ProblemException unknownHost(String name) {
        return new ProblemException(ProblemType.NOT_FOUND, "No host is named " + name + ". Maybe PUT"
                + " /api/v1/hosts/" + name + "/inventory to register it again: a fleet import replaces every host,"
                + " and an executor whose host it left out registers again.",
                List.of(new ProblemItem("{name}", name, "no such host")));
    }
}

package io.mdevplan.web.dispatch;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.mdevplan.web.placement.PlacementState;

/**
 * Writes what hosts must do about placements, in the caller's transaction: a placement's create action when it is
 * made, its cancellation or a remove action when it is released. Rows go in by SQL with nextval(), so a host's
 * actions in id order are in the order they were written (V4). Once the transaction commits, this replica's long
 * polls of those hosts wake ({@link HostActionsWritten}). Also counts each host's pending and failed actions.
 */
@Singleton
public final class HostActions {

    /** The create action of each placement named by the statement's first parameter, an array of ids. */
    private static final String CREATE = "INSERT INTO host_actions (host_id, placement_id, op, device_uuid,"
            + " parent_address, type_id, instances) SELECT pa.host_id, p.id, 'create', p.device_uuid, pa.address,"
            + " p.type_id, p.instances FROM placements p JOIN parents pa ON pa.id = p.parent_id"
            + " WHERE p.id = ANY(?) RETURNING host_id";

    /** A create not handed out yet: the placement was pending under its row lock, so no host has seen it. */
    private static final String CANCEL = "UPDATE host_actions SET state = 'cancelled', updated_at = now()"
            + " WHERE placement_id = ? AND op = 'create' AND state = 'pending'";

    /**
     * The device's host is its parent's, or, when the parent vanished from the inventory, the host its create went
     * to; a placement imported as active without either has nothing to tell a host.
     */
    private static final String REMOVE = "INSERT INTO host_actions (host_id, placement_id, op, device_uuid)"
            + " SELECT coalesce(pa.host_id, c.host_id), p.id, 'remove', p.device_uuid FROM placements p"
            + " LEFT JOIN parents pa ON pa.id = p.parent_id"
            + " LEFT JOIN host_actions c ON c.placement_id = p.id AND c.op = 'create'"
            + " WHERE p.id = ? AND coalesce(pa.host_id, c.host_id) IS NOT NULL RETURNING host_id";

    /** Pending and failed actions per host, by V5's partial index of them alone; the caller appends a host filter. */
    private static final String COUNTS = "SELECT host_id, count(*) FILTER (WHERE state = 'pending'),"
            + " count(*) FILTER (WHERE state = 'failed') FROM host_actions WHERE state IN ('pending', 'failed')";

    /** A host's actions waiting for their result, and those its executor reported failed. */
    public record Counts(long pending, long failed) {

        public static final Counts NONE = new Counts(0, 0);
    }

    private final EntityManager em;
    private final Event<HostActionsWritten> events;

    HostActions(EntityManager em, Event<HostActionsWritten> events) {
        this.em = em;
        this.events = events;
    }

    /** Writes the create actions of placements just flushed, pending with a parent each. */
    public void create(Collection<Long> placementIds) {
        if (placementIds.isEmpty()) {
            return;
        }
        written(session().doReturningWork(connection -> {
            var hosts = new HashSet<Long>();
            try (var statement = connection.prepareStatement(CREATE)) {
                statement.setArray(1, connection.createArrayOf("bigint", placementIds.toArray()));
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        hosts.add(rows.getLong(1));
                    }
                }
            }
            return hosts;
        }));
    }

    /**
     * Tells the host about a placement just released (flushed) that was in state {@code was}: a pending one's create
     * is cancelled, as no host has it; an applying or active one's device is to be removed.
     */
    public void released(long placementId, PlacementState was) {
        if (was == PlacementState.PENDING) {
            session().doWork(connection -> {
                try (var statement = connection.prepareStatement(CANCEL)) {
                    statement.setLong(1, placementId);
                    statement.executeUpdate();
                }
            });
            return;
        }
        written(session().doReturningWork(connection -> {
            var hosts = new HashSet<Long>();
            try (var statement = connection.prepareStatement(REMOVE)) {
                statement.setLong(1, placementId);
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        hosts.add(rows.getLong(1));
                    }
                }
            }
            return hosts;
        }));
    }

    /** Wakes the hosts' long polls once the caller's transaction commits. */
    public void written(Set<Long> hostIds) {
        if (!hostIds.isEmpty()) {
            events.fire(new HostActionsWritten(hostIds));
        }
    }

    /**
     * The pending and failed actions of the given hosts, or (null) of every host, by host id; a host without any is
     * left out. In the caller's transaction.
     */
    public Map<Long, Counts> counts(Collection<Long> hostIds) {
        return session().doReturningWork(connection -> {
            var counts = new HashMap<Long, Counts>();
            try (var statement = connection.prepareStatement(COUNTS
                    + (hostIds == null ? "" : " AND host_id = ANY(?)") + " GROUP BY host_id")) {
                if (hostIds != null) {
                    statement.setArray(1, connection.createArrayOf("bigint", hostIds.toArray()));
                }
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        counts.put(rows.getLong(1), new Counts(rows.getLong(2), rows.getLong(3)));
                    }
                }
            }
            return counts;
        });
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}

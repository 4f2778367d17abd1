package io.mdevplan.web.placement;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.web.dispatch.HostActions;

/**
 * Writes the pending placements of one commit round, with their hosts' create actions, in one statement, skipping
 * each workload that has a live placement already (placed by another replica meanwhile): the round goes on without
 * it instead of failing whole. Runs in the caller's transaction.
 */
@Singleton
public final class PendingInserts {

    /**
     * The placements, and for each one written its host's create action, in one statement: the action commits with
     * its placement or not at all. Answers each written placement with its host.
     */
    private static final String INSERT = "WITH placed AS (INSERT INTO placements (workload, type_id, instances,"
            + " priority, anti_affinity_group, host_selector, policy, parent_id, device_uuid, state, replacement_of,"
            + " replacements) SELECT w, t, i, p, g, s::jsonb, pol, par, u, 'pending', rep, n FROM unnest(?::text[],"
            + " ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::uuid[], ?::bigint[],"
            + " ?::int[]) AS r(w, t, i, p, g, s, pol, par, u, rep, n)"
            // the predicate of V3's placements_workload_live_unique
            + " ON CONFLICT (workload) WHERE state IN ('pending', 'applying', 'active') DO NOTHING"
            + " RETURNING id, workload, type_id, instances, parent_id, device_uuid, created_at, updated_at),"
            + " target AS (SELECT placed.*, pa.host_id, pa.address FROM placed"
            + " JOIN parents pa ON pa.id = placed.parent_id),"
            + " actions AS (INSERT INTO host_actions (host_id, placement_id, op, device_uuid, parent_address, type_id,"
            + " instances) SELECT host_id, id, 'create', device_uuid, address, type_id, instances FROM target)"
            + " SELECT workload, created_at, updated_at, host_id FROM target";

    /**
     * A placement to write: the request, the policy that chose the parent, the parent, the device's UUID, and the
     * failed placement it is made in place of, if any.
     */
    public record Pending(PlacementRequest request, String policy, long parentId, UUID uuid, Replacement replacement) {
    }

    /** When a written placement was created and last updated (the database's clock). */
    public record Written(Instant createdAt, Instant updatedAt) {
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final HostActions actions;

    PendingInserts(EntityManager em, ObjectMapper json, HostActions actions) {
        this.em = em;
        this.json = json;
        this.actions = actions;
    }

    /**
     * Writes the placements and their create actions; answers those written by workload. The others' workloads are
     * live already.
     */
    public Map<String, Written> insert(List<Pending> placements) {
        var size = placements.size();
        var workloads = new String[size];
        var types = new String[size];
        var instances = new Integer[size];
        var priorities = new Integer[size];
        var groups = new String[size];
        var selectors = new String[size];
        var policies = new String[size];
        var parents = new Long[size];
        var uuids = new UUID[size];
        var replaces = new Long[size];
        var replacements = new Integer[size];
        for (var i = 0; i < size; i++) {
            var placement = placements.get(i);
            var request = placement.request();
            workloads[i] = request.workload();
            types[i] = request.type();
            instances[i] = request.instances();
            priorities[i] = request.priority();
            groups[i] = request.antiAffinityGroup();
            selectors[i] = toJson(request.hostSelector());
            policies[i] = placement.policy();
            parents[i] = placement.parentId();
            uuids[i] = placement.uuid();
            replaces[i] = placement.replacement().replaces();
            replacements[i] = placement.replacement().replacements();
        }
        var hosts = new HashSet<Long>();
        var written = em.unwrap(Session.class).doReturningWork(connection -> {
            var byWorkload = new HashMap<String, Written>();
            try (var statement = connection.prepareStatement(INSERT)) {
                statement.setArray(1, connection.createArrayOf("text", workloads));
                statement.setArray(2, connection.createArrayOf("text", types));
                statement.setArray(3, connection.createArrayOf("int4", instances));
                statement.setArray(4, connection.createArrayOf("int4", priorities));
                statement.setArray(5, connection.createArrayOf("text", groups));
                statement.setArray(6, connection.createArrayOf("text", selectors));
                statement.setArray(7, connection.createArrayOf("text", policies));
                statement.setArray(8, connection.createArrayOf("int8", parents));
                statement.setArray(9, connection.createArrayOf("uuid", uuids));
                statement.setArray(10, connection.createArrayOf("int8", replaces));
                statement.setArray(11, connection.createArrayOf("int4", replacements));
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        byWorkload.put(rows.getString(1), new Written(rows.getTimestamp(2).toInstant(),
                                rows.getTimestamp(3).toInstant()));
                        hosts.add(rows.getLong(4));
                    }
                }
            }
            return byWorkload;
        });
        actions.written(hosts);
        return written;
    }

    private String toJson(Map<String, String> selector) {
        try {
            return json.writeValueAsString(new TreeMap<>(selector));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A host selector of strings did not serialize: " + selector, e);
        }
    }
}

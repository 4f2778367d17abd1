package io.mdevplan.web.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.web.inventory.HostEntity;
import io.mdevplan.web.inventory.InventoryReader;
import io.mdevplan.web.inventory.StoredHost;

/**
 * The version of each host's books (hosts.usage_version): bumped under the host row's lock by every change to what
 * holds capacity on the host, so that a replica's in-memory index can tell whether its view of a host is exact. Also
 * loads hosts as the index needs them. Every method runs in the caller's transaction.
 */
@Singleton
public final class HostBooks {

    /** Hosts per query when loading some: each is a bind parameter. */
    private static final int HOSTS_PER_QUERY = 1000;

    private final EntityManager em;
    private final InventoryReader reader;

    HostBooks(EntityManager em, InventoryReader reader) {
        this.em = em;
        this.reader = reader;
    }

    /** A host as the index holds it: its inventory with live placements as devices, their workloads, the version. */
    public record IndexedHost(long id, long version, FleetHost host, List<FleetWorkload> owners,
            Map<String, Long> parentIds) {

        /** The same books under another version: read under the lock after this transaction's own bump. */
        public IndexedHost atVersion(long other) {
            return new IndexedHost(id, other, host, owners, parentIds);
        }
    }

    /**
     * Locks the host's row until the transaction ends and returns the version of its books; empty when the host is
     * gone (the fleet was replaced).
     */
    public OptionalLong lock(long hostId) {
        return version("SELECT usage_version FROM hosts WHERE id = ? FOR UPDATE", hostId);
    }

    /**
     * Marks the host's books changed and takes its row lock until the transaction ends, in one statement; answers the
     * new version, or empty when the host is gone. A transaction that then changes nothing should roll back.
     */
    public OptionalLong lockAndBump(long hostId) {
        return version("UPDATE hosts SET usage_version = usage_version + 1 WHERE id = ? RETURNING usage_version",
                hostId);
    }

    /**
     * As {@link #lockAndBump}, without waiting: empty when another transaction holds the host's row lock, or when the
     * host is gone ({@link #exists} tells which). A transaction holding other hosts' locks takes more this way, so
     * that two such transactions never wait for each other.
     */
    public OptionalLong lockAndBumpUnlessLocked(long hostId) {
        return version("UPDATE hosts SET usage_version = usage_version + 1 WHERE id = (SELECT id FROM hosts"
                + " WHERE id = ? FOR UPDATE SKIP LOCKED) RETURNING usage_version", hostId);
    }

    /** Whether the host exists, locked or not. */
    public boolean exists(long hostId) {
        return version("SELECT usage_version FROM hosts WHERE id = ?", hostId).isPresent();
    }

    /** Marks the host's books changed; call holding its lock. */
    public void bump(long hostId) {
        lockAndBump(hostId);
    }

    /** Every host's books version, by host id. */
    public Map<Long, Long> versions() {
        return versions(null);
    }

    /** The books versions of the given hosts that exist, or (null) of every host, by host id. */
    private Map<Long, Long> versions(List<Long> hostIds) {
        return session().doReturningWork(connection -> {
            var versions = new HashMap<Long, Long>();
            try (var statement = connection.prepareStatement("SELECT id, usage_version FROM hosts"
                    + (hostIds == null ? "" : " WHERE id = ANY(?)"))) {
                if (hostIds != null) {
                    statement.setArray(1, connection.createArrayOf("bigint", hostIds.toArray()));
                }
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        versions.put(rows.getLong(1), rows.getLong(2));
                    }
                }
            }
            return versions;
        });
    }

    /**
     * One host's version by plain JDBC in the transaction's connection: these statements run once or more per
     * placement, and Hibernate's native query plan cache costs more than they do.
     */
    private OptionalLong version(String sql, long hostId) {
        return session().doReturningWork(connection -> {
            try (var statement = connection.prepareStatement(sql)) {
                statement.setLong(1, hostId);
                try (var rows = statement.executeQuery()) {
                    return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    private Session session() {
        return em.unwrap(Session.class);
    }

    /** Every host, in document order. */
    public List<IndexedHost> loadAll() {
        reader.readOnly();
        // versions first: data read after them is at least as new, so a host is never labelled newer than it is
        var versions = versions();
        var hosts = reader.all();
        return indexed(hosts, versions, liveWorkloads(null));
    }

    /** The given hosts (those that still exist). */
    public List<IndexedHost> load(Collection<Long> hostIds) {
        reader.readOnly();
        var loaded = new ArrayList<IndexedHost>(hostIds.size());
        var ids = List.copyOf(hostIds);
        for (var from = 0; from < ids.size(); from += HOSTS_PER_QUERY) {
            var chunk = ids.subList(from, Math.min(from + HOSTS_PER_QUERY, ids.size()));
            var versions = versions(chunk);
            var entities = HostEntity.<HostEntity>list("id in ?1 order by id", chunk);
            loaded.addAll(indexed(reader.load(entities, chunk), versions, liveWorkloads(chunk)));
        }
        return loaded;
    }

    private List<IndexedHost> indexed(List<StoredHost> hosts, Map<Long, Long> versions,
            Map<Long, List<FleetWorkload>> workloadsByParent) {
        var indexed = new ArrayList<IndexedHost>(hosts.size());
        for (var stored : hosts) {
            var owners = new ArrayList<FleetWorkload>();
            var parentIds = new HashMap<String, Long>();
            for (var parent : stored.parents()) {
                owners.addAll(workloadsByParent.getOrDefault(parent.parent().id, List.of()));
                parentIds.put(parent.parent().address, parent.parent().id);
            }
            // a host created after the versions were read is left for the next sync
            var version = versions.get(stored.host().id);
            if (version != null) {
                indexed.add(new IndexedHost(stored.host().id, version, InventoryReader.toFleetHost(stored, true),
                        List.copyOf(owners), Map.copyOf(parentIds)));
            }
        }
        return indexed;
    }

    /** The live placements' workloads by parent id, of the given hosts or (null) all. */
    private Map<Long, List<FleetWorkload>> liveWorkloads(Collection<Long> hostIds) {
        var query = em.createQuery("select p from PlacementEntity p where p.state in :live and p.parent is not null"
                + (hostIds == null ? "" : " and p.parent.host.id in :hosts"), PlacementEntity.class)
                .setParameter("live", PlacementState.LIVE);
        if (hostIds != null) {
            query.setParameter("hosts", hostIds);
        }
        var byParent = new HashMap<Long, List<FleetWorkload>>();
        for (var placement : query.getResultList()) {
            byParent.computeIfAbsent(placement.parent.id, id -> new ArrayList<>()).add(new FleetWorkload(
                    placement.workload, placement.typeId, placement.instances, placement.priority,
                    placement.antiAffinityGroup, placement.hostSelector));
        }
        return byParent;
    }
}

package io.mdevplan.web.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.online.FleetIndex;
import io.mdevplan.planner.online.PlacementDecision;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.web.placement.HostBooks.IndexedHost;

/**
 * This replica's view of the fleet's free capacity: the planner's {@link FleetIndex}, with the books version each
 * host's view reflects. Decisions come from the index alone; a booking is accepted only for a host whose version
 * matches the database's under that host's row lock, so a stale view costs a reload, never an overbooked parent.
 * Every view change and its version change together, under this object's lock.
 */
@Singleton
public final class PlacementIndex {

    /** The version of a host whose view may differ from every version the database has had. */
    private static final long UNKNOWN = -1;

    /** Workload ids of the bookings that fill an avoided parent during one decision; no workload id has a '/'. */
    private static final String FILLER = "/avoided/";

    /**
     * The most fillers one decision books: a type that costs nothing of any pool would fit an avoided parent without
     * end.
     */
    private static final int MAX_FILLERS = 4096;

    /** A parent, by its host's name and its address. */
    public record ParentRef(String host, String address) {

        @Override
        public String toString() {
            return host + "/" + address;
        }
    }

    /** What a rebuild replaces whole: the index, its hosts, and per host the version its view reflects. */
    private record Generation(FleetIndex index, Map<String, Long> idsByName, Map<Long, String> namesById,
            Map<Long, Long> versions, Map<Long, FleetHost> shapes, Map<Long, Map<String, Long>> parentIds) {
    }

    /** The answer to {@link #tryBook}. */
    public sealed interface Booking {

        /** Booked in the view, as part of the version the caller's transaction holds the host at. */
        record Booked(long hostId, long parentId) implements Booking {
        }

        /** The view of the host is not the database's: reload it ({@link #refresh}) and try again. */
        record Stale(long hostId) implements Booking {
        }

        /** The host's exact view refuses it, in the planner's words. */
        record Refused(String reason) implements Booking {
        }

        /** The host is not in this generation of the index (a rebuild replaced the fleet): decide again. */
        record Gone() implements Booking {
        }

        /**
         * The view holds the workload booked already: placed by a request in flight or committed meanwhile, or a
         * stale booking ({@link #dropStale} once the database says it has no live placement).
         */
        record Duplicate() implements Booking {
        }
    }

    private Generation current;

    /** Replaces the whole view with these hosts, in document order. */
    public void install(List<IndexedHost> hosts) {
        var fleetHosts = new ArrayList<FleetHost>(hosts.size());
        var owners = new ArrayList<FleetWorkload>();
        var idsByName = new HashMap<String, Long>();
        var namesById = new HashMap<Long, String>();
        var versions = new HashMap<Long, Long>();
        var shapes = new HashMap<Long, FleetHost>();
        var parentIds = new HashMap<Long, Map<String, Long>>();
        for (var host : hosts) {
            fleetHosts.add(host.host());
            owners.addAll(host.owners());
            idsByName.put(host.host().name(), host.id());
            namesById.put(host.id(), host.host().name());
            versions.put(host.id(), host.version());
            shapes.put(host.id(), shape(host.host()));
            parentIds.put(host.id(), host.parentIds());
        }
        // built outside the lock: at 10,000 hosts this takes a while, and requests go on with the old view
        var index = FleetIndex.of(new FleetDocument(fleetHosts, owners));
        var generation = new Generation(index, idsByName, namesById, versions, shapes, parentIds);
        synchronized (this) {
            current = generation;
        }
    }

    public synchronized boolean isInstalled() {
        return current != null;
    }

    /**
     * The parent the policy prefers, or why nothing fits, by this view, never an avoided parent. Books nothing. The
     * planner's index cannot leave a parent out, so for this decision alone an avoided parent it chooses is filled
     * with bookings of the request's shape until it refuses the shape, and the index decides again; the fillers are
     * released before this object's lock is. Only the committing thread decides, so no other decision sees them.
     */
    public synchronized PlacementDecision decide(PlacementRequest request, Policy policy, Set<ParentRef> avoided) {
        var index = generation().index();
        var decision = index.decide(request, policy);
        if (avoided.isEmpty()) {
            return decision;
        }
        var fillers = new ArrayList<String>();
        try {
            while (decision instanceof PlacementDecision.Placed placed
                    && avoided.contains(new ParentRef(placed.host(), placed.parent()))) {
                if (fillers.size() == MAX_FILLERS) {
                    return new PlacementDecision.Refused("parent " + placed.host() + "/" + placed.parent()
                            + " takes any number of " + request.type() + " x" + request.instances() + ", so it"
                            + " cannot be avoided. Maybe give the type a cost");
                }
                var filler = new PlacementRequest(FILLER + fillers.size(), request.type(), request.instances(), 0,
                        null, Map.of());
                index.book(filler, placed.host(), placed.parent());
                fillers.add(filler.workload());
                decision = index.decide(request, policy);
            }
            return decision;
        } finally {
            fillers.forEach(index::release);
        }
    }

    /** How many parents of this view the hard rules let take the request now, the policy aside. */
    public synchronized int accepting(PlacementRequest request) {
        var generation = generation();
        var count = 0;
        for (var host : generation.parentIds().entrySet()) {
            var name = generation.namesById().get(host.getKey());
            for (var address : host.getValue().keySet()) {
                if (generation.index().whyNot(request, name, address).isEmpty()) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Every type some parent offers, with the largest aggregation offered. */
    public Map<String, Integer> maxAggregationByType() {
        return generation().index().maxAggregationByType();
    }

    /** The host's id in this view, or null when it is not in it. */
    public synchronized Long hostId(String host) {
        return generation().idsByName().get(host);
    }

    /**
     * Claims the host for a transaction that has just locked its row and bumped its books to {@code bumped}: true,
     * and the view reflects {@code bumped} from now on, when it reflected the version before; false (stale) when not.
     * Until the transaction commits, what it books here is what {@code bumped} holds; if it does not commit, the
     * caller must {@link #forget} the host.
     */
    public synchronized boolean claim(long hostId, long bumped) {
        var versions = generation().versions();
        var known = versions.get(hostId);
        if (known == null || known != bumped - 1) {
            return false;
        }
        versions.put(hostId, bumped);
        return true;
    }

    /**
     * Books the request on the parent if this view of the host reflects {@code version}, the version the caller's
     * transaction holds the host at (see {@link #claim}), and the parent takes it. The version does not move: the
     * booking is part of that transaction's version.
     */
    public synchronized Booking tryBook(long hostId, long version, PlacementRequest request, String parent) {
        var generation = generation();
        var host = generation.namesById().get(hostId);
        if (host == null) {
            return new Booking.Gone();
        }
        if (generation.versions().get(hostId) != version) {
            return new Booking.Stale(hostId);
        }
        var parentId = generation.parentIds().get(hostId).get(parent);
        if (parentId == null) {
            return new Booking.Gone();
        }
        var why = generation.index().whyNot(request, host, parent);
        if (why.isPresent()) {
            return new Booking.Refused(why.get());
        }
        if (generation.index().isBooked(request.workload())) {
            return new Booking.Duplicate();
        }
        generation.index().book(request, host, parent);
        return new Booking.Booked(hostId, parentId);
    }

    /**
     * Takes back a booking the caller's transaction did not write (the database has another live placement of the
     * workload): the host's version stays, as the transaction holds it without that booking.
     */
    public synchronized void unbook(long hostId, String workload) {
        var generation = generation();
        var host = generation.namesById().get(hostId);
        if (host != null) {
            generation.index().release(workload, host);
        }
    }

    /** Undoes a booking whose transaction did not commit; the host's view is reloaded before it is trusted again. */
    public synchronized void forget(long hostId, String workload) {
        var generation = generation();
        var host = generation.namesById().get(hostId);
        if (host != null) {
            generation.index().release(workload, host);
            generation.versions().put(hostId, UNKNOWN);
        }
    }

    /** Distrusts the view of a host claimed by a transaction that did not commit, until it is reloaded. */
    public synchronized void forget(long hostId) {
        var versions = generation().versions();
        if (versions.containsKey(hostId)) {
            versions.put(hostId, UNKNOWN);
        }
    }

    /**
     * Drops a booking the database does not have (the workload has no live placement): its host's view is reloaded
     * before it is trusted again.
     */
    public synchronized void dropStale(String workload) {
        var generation = generation();
        generation.index().hostOf(workload).ifPresent(host -> {
            generation.index().release(workload, host);
            generation.versions().put(generation.idsByName().get(host), UNKNOWN);
        });
    }

    /**
     * Frees a released workload's capacity in the view when the view of its host reflects {@code version} (read
     * under the lock); the view then reflects {@code version + 1}. A stale view is left to be reloaded.
     */
    public synchronized void release(long hostId, long version, String workload) {
        var generation = generation();
        var known = generation.versions().get(hostId);
        if (known != null && known == version) {
            generation.index().release(workload, generation.namesById().get(hostId));
            generation.versions().put(hostId, version + 1);
        } else if (known != null) {
            generation.versions().put(hostId, UNKNOWN);
        }
    }

    /**
     * Replaces the view of a host with the database's. False, changing nothing, when the host offers something else
     * now (parents, pools, types, labels): only a rebuild can take that in.
     */
    public synchronized boolean refresh(IndexedHost loaded) {
        var generation = generation();
        var known = generation.shapes().get(loaded.id());
        if (known == null || !known.equals(shape(loaded.host()))
                || !generation.parentIds().get(loaded.id()).equals(loaded.parentIds())) {
            return false;
        }
        // a workload the database has here leaves the host the view held it on: that view is no longer a version's
        for (var other : generation.index().resetHost(loaded.host(), loaded.owners())) {
            generation.versions().put(generation.idsByName().get(other), UNKNOWN);
        }
        generation.versions().put(loaded.id(), loaded.version());
        return true;
    }

    /** The hosts whose view is not the database's, given every host's version; null when the host set differs. */
    public synchronized Set<Long> stale(Map<Long, Long> databaseVersions) {
        var generation = generation();
        if (!databaseVersions.keySet().equals(generation.versions().keySet())) {
            return null;
        }
        var stale = new HashSet<Long>();
        databaseVersions.forEach((id, version) -> {
            if (!version.equals(generation.versions().get(id))) {
                stale.add(id);
            }
        });
        return stale;
    }

    private synchronized Generation generation() {
        if (current == null) {
            throw new IllegalStateException("The placement index is not built yet. Maybe wait for the service to"
                    + " finish starting.");
        }
        return current;
    }

    /** What a host offers, without what is on it: a change here needs a rebuild. */
    private static FleetHost shape(FleetHost host) {
        var parents = host.parents().stream()
                .map(parent -> new FleetParent(parent.address(), parent.driver(), parent.mixedTypes(), parent.pools(),
                        parent.types(), List.of()))
                .toList();
        return new FleetHost(host.name(), host.labels(), host.schedulable(), parents);
    }
}

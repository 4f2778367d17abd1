package io.mdevplan.web.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.hibernate.Session;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.web.placement.PlacementEntity;
import io.mdevplan.web.placement.PlacementState;

/**
 * Loads hosts with everything under them in a fixed number of queries (one per table, whatever the fleet's size),
 * in document order: ids are handed out in insertion order. Call inside a transaction.
 */
@Singleton
public final class InventoryReader {

    private final EntityManager em;

    InventoryReader(EntityManager em) {
        this.em = em;
    }

    /**
     * Loads what follows in this transaction read-only: no snapshots to keep, nothing to dirty-check at commit
     * (a whole fleet is 100,000 entities and more).
     */
    public void readOnly() {
        em.unwrap(Session.class).setDefaultReadOnly(true);
    }

    public List<StoredHost> all() {
        return load(HostEntity.list("order by id"), null);
    }

    public Optional<StoredHost> host(String name) {
        return HostEntity.<HostEntity>find("name", name).firstResultOptional()
                .map(host -> load(List.of(host), List.of(host.id)).get(0));
    }

    /**
     * Loads the hosts' inventory; {@code onlyHosts} narrows every query to those host ids (at most a few thousand:
     * each is a bind parameter), null reads them all.
     */
    public List<StoredHost> load(List<HostEntity> hosts, Collection<Long> onlyHost) {
        var parents = query(ParentEntity.class, "select p from ParentEntity p", null, "p.host.id", onlyHost,
                "p.id").getResultList();
        var pools = query(PoolEntity.class, "select p from PoolEntity p", null, "p.parent.host.id", onlyHost, "p.id")
                .getResultList();
        var types = query(TypeEntity.class, "select t from TypeEntity t", null, "t.parent.host.id", onlyHost, "t.id")
                .getResultList();
        var costs = query(TypeCostEntity.class, "select c from TypeCostEntity c, TypeEntity t", "t.id = c.typeRef",
                "t.parent.host.id", onlyHost, null).getResultList();
        var devices = query(DeviceEntity.class, "select d from DeviceEntity d", null, "d.parent.host.id", onlyHost,
                "d.id").getResultList();
        // live placements whose device no host reports (yet), and scenarios' reservations: they hold capacity on
        // their parent all the same
        var reservations = query(PlacementEntity.class, "select p from PlacementEntity p", "p.state in :holding"
                + " and p.parent is not null and (p.deviceUuid is null"
                + " or not exists (select 1 from DeviceEntity d where d.uuid = p.deviceUuid))",
                "p.parent.host.id", onlyHost, "p.id")
                .setParameter("holding", PlacementState.HOLDING)
                .getResultList();
        // reported devices that are a live placement's: a device whose placement was released (its remove not
        // applied yet) still holds capacity, but its workload's device is the new placement's now
        var placed = query(Object[].class, "select d.parent.id, d.uuid from DeviceEntity d, PlacementEntity p",
                "p.deviceUuid = d.uuid and p.state in :live", "d.parent.host.id", onlyHost, null)
                .setParameter("live", PlacementState.LIVE)
                .getResultList();

        var poolsByParent = group(pools, pool -> pool.parent.id);
        var costsByType = new HashMap<Long, Map<String, Long>>();
        costs.forEach(cost -> costsByType.computeIfAbsent(cost.typeRef, id -> new HashMap<>())
                .put(cost.poolName, cost.cost));
        var typesByParent = group(types, type -> type.parent.id);
        var devicesByParent = group(devices, device -> device.parent.id);
        var reservationsByParent = group(reservations, placement -> placement.parent.id);
        var placedByParent = new HashMap<Long, Set<UUID>>();
        placed.forEach(row -> placedByParent.computeIfAbsent((Long) row[0], id -> new HashSet<>()).add((UUID) row[1]));
        var parentsByHost = new HashMap<Long, List<StoredParent>>();
        for (var parent : parents) {
            var parentPools = poolsByParent.getOrDefault(parent.id, List.of());
            var storedTypes = typesByParent.getOrDefault(parent.id, List.<TypeEntity>of()).stream()
                    .map(type -> new StoredType(type, inPoolOrder(parentPools,
                            costsByType.getOrDefault(type.id, Map.of()))))
                    .toList();
            parentsByHost.computeIfAbsent(parent.host.id, id -> new ArrayList<>()).add(new StoredParent(parent,
                    parentPools, storedTypes, devicesByParent.getOrDefault(parent.id, List.of()),
                    placedByParent.getOrDefault(parent.id, Set.of()),
                    reservationsByParent.getOrDefault(parent.id, List.of())));
        }
        return hosts.stream()
                .map(host -> new StoredHost(host, parentsByHost.getOrDefault(host.id, List.of())))
                .toList();
    }

    /** {@code select} with its condition (may be null), narrowed to one host's rows when asked, ordered. */
    private <T> TypedQuery<T> query(Class<T> type, String select, String condition, String hostPath,
            Collection<Long> onlyHost, String orderBy) {
        var conditions = new ArrayList<String>();
        if (condition != null) {
            conditions.add(condition);
        }
        if (onlyHost != null) {
            conditions.add(hostPath + " in :host");
        }
        var jpql = select + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions))
                + (orderBy == null ? "" : " order by " + orderBy);
        var query = em.createQuery(jpql, type);
        return onlyHost == null ? query : query.setParameter("host", onlyHost);
    }

    private static <T> Map<Long, List<T>> group(List<T> rows, Function<T, Long> key) {
        var groups = new HashMap<Long, List<T>>();
        rows.forEach(row -> groups.computeIfAbsent(key.apply(row), id -> new ArrayList<>()).add(row));
        return groups;
    }

    private static Map<String, Long> inPoolOrder(List<PoolEntity> pools, Map<String, Long> cost) {
        var ordered = new LinkedHashMap<String, Long>();
        pools.stream().filter(pool -> cost.containsKey(pool.name))
                .forEach(pool -> ordered.put(pool.name, cost.get(pool.name)));
        return ordered;
    }

    /**
     * The host in the fleet document's shape. With {@code withReservations}, as the planner is to count capacity:
     * live placements whose device is not reported yet appear as devices too, scenarios' reservations as devices no
     * workload owns (the planner keeps them where they are and never moves them), and a reported device is its
     * workload's only while a live placement has it (a released one's device, until its host removes it, is no
     * workload's: the workload may be placed again elsewhere, and one workload owns one device).
     */
    public static FleetHost toFleetHost(StoredHost stored, boolean withReservations) {
        var parents = stored.parents().stream().map(parent -> {
            var pools = new LinkedHashMap<String, Long>();
            parent.pools().forEach(pool -> pools.put(pool.name, pool.capacity));
            var types = parent.types().stream()
                    .map(type -> new FleetType(type.type().typeId, type.type().name, type.type().deviceApi,
                            type.cost(), type.type().aggregation, type.type().maxAggregation))
                    .toList();
            var devices = new ArrayList<FleetDevice>();
            parent.devices().forEach(device -> devices.add(new FleetDevice(device.uuid.toString(), device.typeId,
                    device.instances, !withReservations || parent.placedDevices().contains(device.uuid)
                            ? device.workload : null)));
            if (withReservations) {
                parent.reservations().forEach(placement -> devices.add(new FleetDevice(
                        placement.deviceUuid == null ? null : placement.deviceUuid.toString(), placement.typeId,
                        placement.instances, placement.state == PlacementState.RESERVED ? null
                                : placement.workload)));
            }
            return new FleetParent(parent.parent().address, parent.parent().driver, parent.parent().mixedTypes, pools,
                    types, devices);
        }).toList();
        return new FleetHost(stored.host().name, stored.host().labels, stored.host().schedulable, parents);
    }
}

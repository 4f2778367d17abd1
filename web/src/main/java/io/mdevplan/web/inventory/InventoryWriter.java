package io.mdevplan.web.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;

/**
 * Writes validated hosts' parents with their pools, types, costs and devices. Table by table over all the hosts
 * given, so Hibernate batches each table's inserts (a fleet import writes hundreds of thousands of rows).
 */
@Singleton
public final class InventoryWriter {

    private final EntityManager em;

    InventoryWriter(EntityManager em) {
        this.em = em;
    }

    /** Decides who owns a reported device and whether it drifts from what the service placed. */
    @FunctionalInterface
    public interface DeviceOwnership {

        Owner owner(FleetDevice device, ParentEntity parent);
    }

    /** The workload stored with a device, and its drift (null while in step). */
    public record Owner(String workload, String drift) {
    }

    /**
     * A persisted host and what it now has; {@code kept} are its stored parents by address, updated in place when
     * the document still lists them (placements point at them), the others are created.
     */
    public record HostWrite(HostEntity host, FleetHost reported, Map<String, ParentEntity> kept) {
    }

    /** Writes every host's parents and what they hold; answers each host's parents by address, in input order. */
    public List<Map<String, ParentEntity>> write(List<HostWrite> hosts, DeviceOwnership ownership) {
        var parentsPerHost = new ArrayList<Map<String, ParentEntity>>(hosts.size());
        for (var write : hosts) {
            var parents = new HashMap<String, ParentEntity>();
            for (var reported : write.reported().parents()) {
                var parent = write.kept().get(reported.address());
                if (parent == null) {
                    parent = new ParentEntity();
                    parent.host = write.host();
                    parent.address = reported.address();
                }
                parent.driver = reported.driver();
                parent.mixedTypes = reported.isMixedTypes();
                if (parent.id == null) {
                    em.persist(parent);
                }
                parents.put(reported.address(), parent);
            }
            parentsPerHost.add(parents);
        }
        forEachParent(hosts, parentsPerHost, (reported, parent) -> reported.pools().forEach((name, capacity) -> {
            var pool = new PoolEntity();
            pool.parent = parent;
            pool.name = name;
            pool.capacity = capacity;
            em.persist(pool);
        }));
        var costs = new ArrayList<TypeCostEntity>();
        forEachParent(hosts, parentsPerHost, (reported, parent) -> reported.types().forEach(fleetType -> {
            var type = new TypeEntity();
            type.parent = parent;
            type.typeId = fleetType.id();
            type.name = fleetType.name();
            type.deviceApi = fleetType.deviceApi();
            type.aggregation = fleetType.aggregationOrNone();
            type.maxAggregation = fleetType.maxAggregation();
            em.persist(type);
            fleetType.cost().forEach((pool, amount) -> {
                var cost = new TypeCostEntity();
                cost.typeRef = type.id;
                cost.poolName = pool;
                cost.cost = amount;
                costs.add(cost);
            });
        }));
        costs.forEach(em::persist);
        forEachParent(hosts, parentsPerHost, (reported, parent) -> reported.devices().forEach(fleetDevice -> {
            var owner = ownership.owner(fleetDevice, parent);
            var device = new DeviceEntity();
            device.uuid = UUID.fromString(fleetDevice.uuid());
            device.parent = parent;
            device.typeId = fleetDevice.type();
            device.instances = fleetDevice.instancesOrOne();
            device.workload = owner.workload();
            device.drift = owner.drift();
            em.persist(device);
        }));
        return parentsPerHost;
    }

    private static void forEachParent(List<HostWrite> hosts, List<Map<String, ParentEntity>> parentsPerHost,
            BiConsumer<FleetParent, ParentEntity> action) {
        for (var i = 0; i < hosts.size(); i++) {
            var parents = parentsPerHost.get(i);
            hosts.get(i).reported().parents()
                    .forEach(reported -> action.accept(reported, parents.get(reported.address())));
        }
    }
}

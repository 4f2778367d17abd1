package io.mdevplan.planner.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;

/**
 * How full a fleet is, counted as {@link FleetGenerator} counts capacity: each parent is as full as its fullest pool,
 * and the fleet's fill is the mean over its parents. Starts from the devices the document holds and follows the
 * devices added with {@link #add}; it checks nothing (the planner's rules do), it only counts.
 */
final class FleetFill {

    /** A parent of the fleet with its host. */
    record Slot(FleetHost host, FleetParent parent) {
    }

    private final Map<String, Slot> slots = new HashMap<>();
    private final Map<String, List<Slot>> slotsByType = new HashMap<>();
    private final Map<String, long[]> used = new HashMap<>();
    private final int parents;
    private double shareSum;

    FleetFill(FleetDocument fleet) {
        var count = 0;
        for (var host : fleet.hosts()) {
            for (var parent : host.parents()) {
                count++;
                var slot = new Slot(host, parent);
                var key = key(host.name(), parent.address());
                slots.put(key, slot);
                for (var type : parent.types()) {
                    slotsByType.computeIfAbsent(type.id(), id -> new ArrayList<>()).add(slot);
                }
                for (var device : parent.devices()) {
                    add(key, device.type(), device.instancesOrOne());
                }
            }
        }
        this.parents = count;
    }

    /** The parents offering the type, in fleet order; empty for a type nobody offers. */
    List<Slot> offering(String typeId) {
        return slotsByType.getOrDefault(typeId, List.of());
    }

    /** Counts a new device on the parent. */
    void add(String host, String address, String typeId, int instances) {
        add(key(host, address), typeId, instances);
    }

    /** The mean over the parents of the fullest pool's share, 0 to 1. */
    double fill() {
        return parents == 0 ? 0 : shareSum / parents;
    }

    private void add(String key, String typeId, int instances) {
        var slot = slots.get(key);
        if (slot == null) {
            throw new IllegalArgumentException("No parent " + key + " in the fleet. Maybe the placement names a parent "
                    + "of another fleet.");
        }
        var parent = slot.parent();
        var type = type(parent, typeId);
        var pools = used.computeIfAbsent(key, unused -> new long[parent.pools().size()]);
        var before = share(parent, pools);
        var p = 0;
        for (var pool : parent.pools().keySet()) {
            pools[p++] += type.cost().getOrDefault(pool, 0L) * instances;
        }
        shareSum += share(parent, pools) - before;
    }

    private static FleetType type(FleetParent parent, String typeId) {
        for (var type : parent.types()) {
            if (type.id().equals(typeId)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Parent " + parent.address() + " does not offer " + typeId
                + ". Maybe the placement names the wrong parent.");
    }

    private static double share(FleetParent parent, long[] pools) {
        var share = 0.0;
        var p = 0;
        for (var capacity : parent.pools().values()) {
            share = Math.max(share, (double) pools[p++] / capacity);
        }
        return share;
    }

    private static String key(String host, String address) {
        return host + "/" + address;
    }
}

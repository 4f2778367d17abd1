package io.mdevplan.planner.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parent device on a host: its pools and the types it offers. */
public final class Parent {

    private final int index;
    private final Host host;
    private final String address;
    private final String driver;
    private final boolean mixedTypes;
    private final List<Pool> pools = new ArrayList<>();
    private final Map<String, MdevType> types = new LinkedHashMap<>();

    public Parent(int index, Host host, String address, String driver, boolean mixedTypes) {
        this.index = index;
        this.host = host;
        this.address = address;
        this.driver = driver;
        this.mixedTypes = mixedTypes;
    }

    /** Adds the pools once, in a fixed order that type cost vectors are indexed by. */
    public void addPool(String name, long capacity) {
        pools.add(new Pool(this, pools.size(), name, capacity));
    }

    public void addType(MdevType type) {
        types.put(type.getId(), type);
    }

    /** Position in the plan's parent list: a dense key for usage books. */
    public int getIndex() {
        return index;
    }

    public Host getHost() {
        return host;
    }

    public String getAddress() {
        return address;
    }

    public String getDriver() {
        return driver;
    }

    public boolean isMixedTypes() {
        return mixedTypes;
    }

    public List<Pool> getPools() {
        return Collections.unmodifiableList(pools);
    }

    public Map<String, MdevType> getTypes() {
        return Collections.unmodifiableMap(types);
    }

    /** The type as this parent offers it, or null. */
    public MdevType type(String typeId) {
        return types.get(typeId);
    }

    public boolean offers(String typeId) {
        return types.containsKey(typeId);
    }

    /**
     * Whether the parent may take a new device of the type holding that many instances for a workload with that host
     * selector, as far as the fleet's facts go (type offered, aggregation, schedulable host, selector); capacity,
     * mixing and anti-affinity depend on the devices and are the ledger's to answer.
     */
    public boolean admits(String typeId, int instances, Map<String, String> hostSelector) {
        var type = types.get(typeId);
        return type != null && instances <= type.getMaxAggregation() && host.isSchedulable() && host.matches(hostSelector);
    }

    /** host/address, the way people name a parent. */
    public String label() {
        return host.getName() + "/" + address;
    }

    @Override
    public String toString() {
        return label();
    }
}

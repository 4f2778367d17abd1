package io.mdevplan.planner.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.MdevType;
import io.mdevplan.planner.domain.Parent;

/**
 * The books of a fleet: what every pool has in use, how many devices each parent and host holds, which types sit on
 * each parent and where each anti-affinity group runs. Kept in step with placements by {@link #add} and
 * {@link #remove}; arrays indexed by parent and host position keep it cheap at 100,000 parents.
 */
public final class UsageLedger {

    private final List<Parent> parents;
    private final long[][] used;
    private final int[] devicesPerParent;
    private final int[] devicesPerHost;
    /** Per parent index: type id to device count, created on first use. */
    private final Map<Integer, Map<String, Integer>> typesPerParent = new HashMap<>();
    /** Anti-affinity group to host index to device count. */
    private final Map<String, Map<Integer, Integer>> groupHosts = new HashMap<>();

    public UsageLedger(List<Parent> parents, int hostCount) {
        this.parents = parents;
        this.used = new long[parents.size()][];
        for (var parent : parents) {
            used[parent.getIndex()] = new long[parent.getPools().size()];
        }
        this.devicesPerParent = new int[parents.size()];
        this.devicesPerHost = new int[hostCount];
    }

    /** The books of a plan as it stands: every placed allocation counted. */
    public static UsageLedger of(List<Parent> parents, int hostCount, List<DeviceAllocation> allocations) {
        var ledger = new UsageLedger(parents, hostCount);
        for (var allocation : allocations) {
            if (allocation.getParent() != null) {
                ledger.add(allocation, allocation.getParent());
            }
        }
        return ledger;
    }

    public void add(DeviceAllocation allocation, Parent parent) {
        book(allocation, parent, 1);
    }

    public void remove(DeviceAllocation allocation, Parent parent) {
        book(allocation, parent, -1);
    }

    private void book(DeviceAllocation allocation, Parent parent, int sign) {
        var type = parent.type(allocation.getTypeId());
        var pools = used[parent.getIndex()];
        if (type != null) {
            for (var pool = 0; pool < pools.length; pool++) {
                pools[pool] += sign * type.cost(pool) * allocation.getInstances();
            }
        }
        devicesPerParent[parent.getIndex()] += sign;
        devicesPerHost[parent.getHost().getIndex()] += sign;
        var types = typesPerParent.computeIfAbsent(parent.getIndex(), index -> new HashMap<>(4));
        types.merge(allocation.getTypeId(), sign, (count, delta) -> count + delta == 0 ? null : count + delta);
        var group = allocation.getAntiAffinityGroup();
        if (group != null) {
            groupHosts.computeIfAbsent(group, key -> new HashMap<>())
                    .merge(parent.getHost().getIndex(), sign, (count, delta) -> count + delta == 0 ? null : count + delta);
        }
    }

    public long used(Parent parent, int pool) {
        return used[parent.getIndex()][pool];
    }

    public long free(Parent parent, int pool) {
        return parent.getPools().get(pool).getCapacity() - used[parent.getIndex()][pool];
    }

    public int devices(Parent parent) {
        return devicesPerParent[parent.getIndex()];
    }

    public int devices(Host host) {
        return devicesPerHost[host.getIndex()];
    }

    /** The number of distinct types on the parent. */
    public int distinctTypes(Parent parent) {
        var types = typesPerParent.get(parent.getIndex());
        return types == null ? 0 : types.size();
    }

    public boolean holdsType(Parent parent, String typeId) {
        var types = typesPerParent.get(parent.getIndex());
        return types != null && types.containsKey(typeId);
    }

    /** Whether the parent holds a device of any type other than {@code typeId}. */
    public boolean holdsOtherType(Parent parent, String typeId) {
        var count = distinctTypes(parent);
        return count > 1 || (count == 1 && !holdsType(parent, typeId));
    }

    /** How many devices of the anti-affinity group run on the host. */
    public int groupDevices(String group, Host host) {
        var hosts = groupHosts.get(group);
        return hosts == null ? 0 : hosts.getOrDefault(host.getIndex(), 0);
    }

    /**
     * How many more devices of {@code type} holding {@code instances} each the parent's pools can take now: the
     * smallest over the pools the type draws on of free / (cost x instances). Exact, because devices of one shape on
     * one parent only meet in the pools.
     */
    public long devicesThatFit(Parent parent, MdevType type, int instances) {
        var fit = Long.MAX_VALUE;
        var pools = used[parent.getIndex()];
        for (var pool = 0; pool < pools.length; pool++) {
            var need = type.cost(pool) * instances;
            if (need > 0) {
                fit = Math.min(fit, Math.max(0, free(parent, pool)) / need);
            }
        }
        return fit;
    }

    /**
     * What the kernel's {@code available_instances} would read for the type: only what the driver enforces counts (the
     * pools, and a parent that does not mix types), not the planner's own rules such as cordons or selectors.
     */
    public long availableInstances(Parent parent, String typeId) {
        var type = parent.type(typeId);
        if (type == null || (!parent.isMixedTypes() && holdsOtherType(parent, typeId))) {
            return 0;
        }
        return devicesThatFit(parent, type, 1);
    }

    /** Whether one more device of the type with that many instances fits into every pool. */
    public boolean poolsFit(Parent parent, MdevType type, int instances) {
        return devicesThatFit(parent, type, instances) >= 1;
    }

    /** The most instances one new device of the type could hold on the parent now, ignoring the aggregation limit. */
    public long instancesThatFit(Parent parent, MdevType type) {
        return devicesThatFit(parent, type, 1);
    }

    public List<Parent> parents() {
        return parents;
    }
}

package io.mdevplan.planner.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.MdevType;
import io.mdevplan.planner.domain.Parent;

/**
 * The books of a fleet: what every pool has in use, how many devices each parent and host holds, which types sit on
 * each parent and where each anti-affinity group runs. Kept in step with placements by {@link #add} and
 * {@link #remove}; flat arrays indexed by parent, pool slot and host position keep it cheap at 100,000 parents, and
 * bitsets over parent indexes, updated in the same two methods, let {@link ScanPlacer} settle rules 64 parents at a
 * time on these same books, so that no copy can fall out of step.
 */
public final class UsageLedger {

    /** {@link #heldType} of a parent without devices. */
    static final int NO_TYPE = -1;
    /** {@link #heldType} of a parent holding devices of more than one type. */
    static final int SEVERAL_TYPES = -2;
    /** {@link #typeCode} of a type id no device held yet. */
    static final int UNKNOWN_TYPE = -3;

    private final List<Parent> parents;
    /** Parent p's pools are the slots poolStart[p] to poolStart[p + 1] - 1 of {@link #used}. */
    private final int[] poolStart;
    private final long[] used;
    private final int[] devicesPerParent;
    private final int[] devicesPerHost;
    /** Per host index, the indexes of its parents. */
    private final int[][] parentsOfHost;
    /** Bit p: parent p holds a device. Lets a scan skip the empty parents a word at a time. */
    private final long[] busyParents;
    /** Bit p: parent p's host holds no device. */
    private final long[] parentsOnEmptyHosts;
    /** Dense codes for type ids held or asked for, so that a per-parent type check compares ints. */
    private final Map<String, Integer> typeCodes = new HashMap<>();
    /** Per parent: the code of the one type its devices have, {@link #NO_TYPE} or {@link #SEVERAL_TYPES}. */
    private final int[] heldType;
    /** Bit p: parent p holds a device of some type ({@link #heldType} is not {@link #NO_TYPE}). */
    private final long[] typedParents;
    /** Per type code, bit p: parent p holds devices of that type only; created on first use. */
    private final List<long[]> parentsHoldingOnly = new ArrayList<>();
    /** Per type id a scan asked about, bit p: one instance of the type fits parent p's pools now. */
    private final Map<String, long[]> parentsWithRoom = new HashMap<>();
    /** Per parent index: type id to device count, created on first use. */
    private final List<Map<String, Integer>> typesPerParent;
    /** Anti-affinity group to host index to device count. */
    private final Map<String, Map<Integer, Integer>> groupHosts = new HashMap<>();

    public UsageLedger(List<Parent> parents, int hostCount) {
        this.parents = parents;
        this.poolStart = new int[parents.size() + 1];
        for (var parent : parents) {
            if (parent.getIndex() >= parents.size() || parents.get(parent.getIndex()) != parent) {
                throw new IllegalArgumentException("Parent " + parent.label() + " has index " + parent.getIndex()
                        + " but is not at that position of the " + parents.size() + " parents. Maybe build the "
                        + "parents with PlacementPlans.fromFleet.");
            }
            poolStart[parent.getIndex() + 1] = poolStart[parent.getIndex()] + parent.getPools().size();
        }
        this.used = new long[poolStart[parents.size()]];
        this.devicesPerParent = new int[parents.size()];
        this.devicesPerHost = new int[hostCount];
        var perHost = new int[hostCount];
        parents.forEach(parent -> perHost[parent.getHost().getIndex()]++);
        this.parentsOfHost = new int[hostCount][];
        for (var host = 0; host < hostCount; host++) {
            parentsOfHost[host] = new int[perHost[host]];
            perHost[host] = 0;
        }
        parents.forEach(parent -> parentsOfHost[parent.getHost().getIndex()][perHost[parent.getHost().getIndex()]++] =
                parent.getIndex());
        this.busyParents = new long[words(parents.size())];
        this.parentsOnEmptyHosts = new long[words(parents.size())];
        this.typedParents = new long[words(parents.size())];
        for (var index = 0; index < parents.size(); index++) {
            parentsOnEmptyHosts[index >>> 6] |= 1L << index;
        }
        this.heldType = new int[parents.size()];
        Arrays.fill(heldType, NO_TYPE);
        this.typesPerParent = new ArrayList<>(Collections.nCopies(parents.size(), null));
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
        var index = parent.getIndex();
        var type = parent.type(allocation.getTypeId());
        if (type != null) {
            var start = poolStart[index];
            for (var pool = 0; pool < poolStart[index + 1] - start; pool++) {
                used[start + pool] += sign * type.cost(pool) * allocation.getInstances();
            }
        }
        if (!parentsWithRoom.isEmpty()) {
            for (var offered : parent.getTypes().values()) {
                var withRoom = parentsWithRoom.get(offered.getId());
                if (withRoom != null) {
                    setBit(withRoom, index, devicesThatFit(parent, offered, 1) >= 1);
                }
            }
        }
        devicesPerParent[index] += sign;
        setBit(busyParents, index, devicesPerParent[index] != 0);
        var host = parent.getHost().getIndex();
        devicesPerHost[host] += sign;
        if (devicesPerHost[host] == 0 || devicesPerHost[host] == sign) {
            // The host turned empty or stopped being empty: so did it for each of its parents.
            for (var onHost : parentsOfHost[host]) {
                setBit(parentsOnEmptyHosts, onHost, devicesPerHost[host] == 0);
            }
        }
        var types = typesPerParent.get(index);
        if (types == null) {
            types = new HashMap<>(4);
            typesPerParent.set(index, types);
        }
        types.merge(allocation.getTypeId(), sign, (count, delta) -> count + delta == 0 ? null : count + delta);
        var held = switch (types.size()) {
            case 0 -> NO_TYPE;
            case 1 -> registerType(types.keySet().iterator().next());
            default -> SEVERAL_TYPES;
        };
        if (held != heldType[index]) {
            if (heldType[index] >= 0) {
                setBit(parentsHoldingOnly.get(heldType[index]), index, false);
            }
            if (held >= 0) {
                while (parentsHoldingOnly.size() <= held) {
                    parentsHoldingOnly.add(null);
                }
                if (parentsHoldingOnly.get(held) == null) {
                    parentsHoldingOnly.set(held, new long[typedParents.length]);
                }
                setBit(parentsHoldingOnly.get(held), index, true);
            }
            setBit(typedParents, index, held != NO_TYPE);
            heldType[index] = held;
        }
        var group = allocation.getAntiAffinityGroup();
        if (group != null) {
            var hosts = groupHosts.computeIfAbsent(group, key -> new HashMap<>());
            hosts.merge(parent.getHost().getIndex(), sign, (count, delta) -> count + delta == 0 ? null : count + delta);
            if (hosts.isEmpty()) {
                groupHosts.remove(group);
            }
        }
    }

    /** The number of longs a bitset over {@code size} indexes takes. */
    static int words(int size) {
        return (size + 63) >>> 6;
    }

    private static void setBit(long[] bits, int index, boolean on) {
        if (on) {
            bits[index >>> 6] |= 1L << index;
        } else {
            bits[index >>> 6] &= ~(1L << index);
        }
    }

    public long used(Parent parent, int pool) {
        return used[poolStart[parent.getIndex()] + pool];
    }

    public long free(Parent parent, int pool) {
        return parent.getPools().get(pool).getCapacity() - used(parent, pool);
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
        return holdsType(parent.getIndex(), typeId);
    }

    /** Whether the parent holds a device of any type other than {@code typeId}. */
    public boolean holdsOtherType(Parent parent, String typeId) {
        return holdsOtherType(parent.getIndex(), typeCode(typeId));
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
        var start = poolStart[parent.getIndex()];
        for (var pool : parent.getPools()) {
            fit = Math.min(fit, devicesThatFit(used[start + pool.getIndex()], pool.getCapacity(),
                    type.cost(pool.getIndex()) * instances));
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
        var start = poolStart[parent.getIndex()];
        for (var pool : parent.getPools()) {
            if (!poolTakes(used[start + pool.getIndex()], pool.getCapacity(), type.cost(pool.getIndex()) * instances)) {
                return false;
            }
        }
        return true;
    }

    /** The most instances one new device of the type could hold on the parent now, ignoring the aggregation limit. */
    public long instancesThatFit(Parent parent, MdevType type) {
        return devicesThatFit(parent, type, 1);
    }

    public List<Parent> parents() {
        return parents;
    }

    // The pool rule, once: a device needing need of a pool fits when the free capacity covers it; pools it does not
    // draw on do not count, even when overbooked. poolTakes(...) is devicesThatFit(...) >= 1, without the division.

    /** How many devices each needing {@code need} of the pool fit into it; unbounded for a pool they do not draw on. */
    static long devicesThatFit(long used, long capacity, long need) {
        return need > 0 ? Math.max(0, capacity - used) / need : Long.MAX_VALUE;
    }

    /** Whether one device needing {@code need} of the pool fits into it. */
    static boolean poolTakes(long used, long capacity, long need) {
        return need <= 0 || capacity - used >= need;
    }

    // Views for ScanPlacer, which reads the books by index; nobody may write through them.

    /** The type's code, or {@link #UNKNOWN_TYPE} for a type no device held yet: no parent holds it. */
    int typeCode(String typeId) {
        return typeCodes.getOrDefault(typeId, UNKNOWN_TYPE);
    }

    /** The type's code, given one if it has none yet; for callers that keep the code while the books change. */
    int registerType(String typeId) {
        return typeCodes.computeIfAbsent(typeId, unused -> typeCodes.size());
    }

    boolean holdsOtherType(int parent, int typeCode) {
        var held = heldType[parent];
        return held == SEVERAL_TYPES || (held != NO_TYPE && held != typeCode);
    }

    boolean holdsType(int parent, String typeId) {
        var held = heldType[parent];
        if (held == NO_TYPE) {
            return false;
        }
        if (held != SEVERAL_TYPES) {
            return held == typeCode(typeId);
        }
        return typesPerParent.get(parent).containsKey(typeId);
    }

    int[] poolStartView() {
        return poolStart;
    }

    long[] usedView() {
        return used;
    }

    int[] devicesPerParentView() {
        return devicesPerParent;
    }

    int[] devicesPerHostView() {
        return devicesPerHost;
    }

    int[] heldTypeView() {
        return heldType;
    }

    int[][] parentsOfHostView() {
        return parentsOfHost;
    }

    long[] busyParentsView() {
        return busyParents;
    }

    long[] parentsOnEmptyHostsView() {
        return parentsOnEmptyHosts;
    }

    long[] typedParentsView() {
        return typedParents;
    }

    /**
     * The parents offering the type that have room for one instance of it now, given the indexes of those offering it;
     * kept in step from the first call on, so that only types someone places online cost upkeep.
     */
    long[] parentsWithRoomView(String typeId, int[] offering) {
        return parentsWithRoom.computeIfAbsent(typeId, unused -> {
            var withRoom = new long[busyParents.length];
            for (var index : offering) {
                var parent = parents.get(index);
                var type = parent.type(typeId);
                if (type != null && devicesThatFit(parent, type, 1) >= 1) {
                    setBit(withRoom, index, true);
                }
            }
            return withRoom;
        });
    }

    /** The parents holding devices of the type only, or null when none ever did. */
    long[] parentsHoldingOnlyView(int typeCode) {
        return typeCode >= 0 && typeCode < parentsHoldingOnly.size() ? parentsHoldingOnly.get(typeCode) : null;
    }

    /** The indexes of the hosts the group runs on. */
    Set<Integer> groupHosts(String group) {
        var hosts = groupHosts.get(group);
        return hosts == null ? Set.of() : Collections.unmodifiableSet(hosts.keySet());
    }
}

package io.mdevplan.planner.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Host;
import io.mdevplan.planner.domain.MdevType;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.Pool;
import io.mdevplan.planner.policy.Policy;

/**
 * {@link GreedyPlacer#choose} for one new device, as online placement asks it of books that grow and shrink, without
 * visiting every candidate. It makes the same choice:
 * <ul>
 * <li>The same candidates: the parents offering the type that pass the rules the fleet's facts settle (aggregation,
 * schedulable host, host selector), as {@link CandidateIndex} keeps them, here as a bitset over parent indexes.</li>
 * <li>The rules left, in {@link PlacementRules}' order: type mixing, anti-affinity, capacity. The ledger keeps bitsets
 * in step with its books (parents holding devices, holding one type only, with room for one instance of a type); with
 * them a word of 64 candidates at a time is split into those refused by each rule and those worth judging, which
 * {@link UsageLedger#poolTakes} and the scores then settle one by one.</li>
 * <li>The same scores ({@link PolicyScorer}'s pieces) and the same pick: the lowest penalty, then the lowest tie-break,
 * then the lowest index, which is {@link BestCandidate}'s first of equals in list order.</li>
 * <li>Empty parents of one kind (same mixing, pools, types and costs) on alike hosts (both empty, or both busy and not
 * running the request's anti-affinity group) pass the same rules with the same score: only the first can win, so
 * only the first is judged (what {@link ConstructionChooser} does per call, without its pruning across calls, which
 * releases would break).</li>
 * </ul>
 * So a decision costs a few bit operations per 64 parents plus a visit to each busy candidate that has room, read from
 * arrays indexed by parent (no host labels, no hash maps); what a parent of a kind needs is worked out once per request
 * shape. When nothing accepts, the same pass has counted the refusals that
 * {@link io.mdevplan.planner.explain.UnplacedExplainer} would count (a refused class of twins once per member) and
 * found the parent with the most room, so the explanation needs no second scan. {@code OnlineScanEquivalenceTest}
 * checks decisions and refusal texts against {@link GreedyPlacer} and the explainer.
 *
 * <p>Not thread-safe (scratch space, caches): the caller serialises calls, as {@code FleetIndex} does.
 */
public final class ScanPlacer {

    /** The chosen parent, or null with the refusals counted over every parent offering the type. */
    public record Choice(Parent parent, RefusalTally refusals) {
    }

    /** Parents alike for placement: same mixing, pool capacities, and types with the same costs and aggregation. */
    private record Kind(boolean mixedTypes, long[] capacity, Map<String, MdevType> types) {
    }

    /** A sparse bitset over parent indexes: the words that have a bit set, and their bits. */
    private record SparseBits(int[] words, long[] bits) {
    }

    private record ShapeKey(String typeId, int instances, Map<String, String> hostSelector) {
    }

    /**
     * A request shape's candidates (bitset over parent indexes), the kinds among them, and what a device of it needs
     * and costs per kind (null for kinds not offering the type); the parents offering the type that the fleet's facts
     * refuse are counted per rule for explanations.
     */
    private record Shape(int typeCode, long[] candidates, int[] kinds, long[][] needByKind, long[][] costByKind,
            int[] maxAggregationByKind, int offering, Map<Refusal, Integer> fixedRefusals) {
    }

    private static final int[] NONE = new int[0];
    private static final Refusal[] REFUSALS = Refusal.values();

    private final UsageLedger ledger;
    private final List<Parent> parents;
    private final Host[] hosts;
    private final int[] hostOf;
    private final int[] kindOf;
    private final List<Kind> kinds = new ArrayList<>();
    /** Bit p: parent p mixes types. */
    private final long[] mixesTypes;
    /** Per kind: its pool capacities, and its parents. */
    private final long[][] capacityByKind;
    private final SparseBits[] parentsOfKind;
    /** Per type id, the parents offering it, in fleet order. */
    private final Map<String, int[]> offeringByType = new HashMap<>();
    /** Per host selector, per host: the rule the host breaks for it (unschedulable, selector) or null. */
    private final Map<Map<String, String>, Refusal[]> hostRefusals = new HashMap<>();
    private final Map<ShapeKey, Shape> shapes = new HashMap<>();
    /** Scratch, bit p: parent p is on a host the request's anti-affinity group runs on; set for one call. */
    private final long[] grouped;

    public ScanPlacer(UsageLedger ledger) {
        this.ledger = ledger;
        this.parents = ledger.parents();
        var hostCount = ledger.devicesPerHostView().length;
        this.hosts = new Host[hostCount];
        this.grouped = new long[UsageLedger.words(parents.size())];
        this.hostOf = new int[parents.size()];
        this.kindOf = new int[parents.size()];
        var kindsByHash = new HashMap<Long, List<Integer>>();
        var offering = new HashMap<String, int[]>();
        for (var parent : parents) {
            var index = parent.getIndex();
            var host = parent.getHost();
            if (host.getIndex() >= hostCount) {
                throw new IllegalArgumentException("Parent " + parent.label() + " is on host index " + host.getIndex()
                        + " but the ledger counts " + hostCount + " hosts. Maybe build the ledger with every host.");
            }
            hosts[host.getIndex()] = host;
            hostOf[index] = host.getIndex();
            kindOf[index] = kindOf(parent, kindsByHash);
            for (var typeId : parent.getTypes().keySet()) {
                // Element 0 counts the parents that follow it.
                var list = offering.computeIfAbsent(typeId, unused -> new int[16]);
                if (list[0] + 1 == list.length) {
                    list = Arrays.copyOf(list, list.length * 2);
                    offering.put(typeId, list);
                }
                list[++list[0]] = index;
            }
        }
        offering.forEach((typeId, list) -> offeringByType.put(typeId, Arrays.copyOfRange(list, 1, list[0] + 1)));
        this.mixesTypes = new long[UsageLedger.words(parents.size())];
        for (var parent : parents) {
            if (parent.isMixedTypes()) {
                mixesTypes[parent.getIndex() >>> 6] |= 1L << parent.getIndex();
            }
        }
        this.capacityByKind = kinds.stream().map(Kind::capacity).toArray(long[][]::new);
        this.parentsOfKind = sparseBitsByKind();
    }

    /** The parent {@link GreedyPlacer} would choose for the new device under the policy, or the refusals. */
    public Choice choose(DeviceAllocation allocation, Policy policy) {
        var workload = allocation.getWorkload();
        if (workload == null || allocation.getOriginalParent() != null) {
            throw new IllegalArgumentException("Allocation " + allocation.getId() + " is an existing or unowned device; "
                    + "the scan only places new devices of a workload. Maybe use GreedyPlacer for it.");
        }
        var shape = shapes.computeIfAbsent(new ShapeKey(allocation.getTypeId(), allocation.getInstances(),
                workload.hostSelector()), this::newShape);
        var group = allocation.getAntiAffinityGroup();
        var groupHosts = group == null ? Set.<Integer>of() : ledger.groupHosts(group);
        markGroup(groupHosts, true);
        try {
            return new Pass(shape, allocation, new PolicyScorer(policy), groupHosts).run();
        } finally {
            markGroup(groupHosts, false);
        }
    }

    private void markGroup(Set<Integer> groupHosts, boolean on) {
        var parentsOfHost = ledger.parentsOfHostView();
        for (var host : groupHosts) {
            for (var parent : parentsOfHost[host]) {
                if (on) {
                    grouped[parent >>> 6] |= 1L << parent;
                } else {
                    grouped[parent >>> 6] &= ~(1L << parent);
                }
            }
        }
    }

    /**
     * One decision. The candidates that hold devices are taken a 64-bit word at a time, and the hard rules left are
     * settled in {@link PlacementRules}' order with bitsets: a parent that does not mix types and holds another type
     * (mixed types), one on a host running the group (anti-affinity), one without room for a single instance
     * (capacity) are refused and counted without a visit; the others are judged one by one. Empty candidates are judged
     * one per class of twins. The visiting order is not the list's, so the best is the lowest penalty, then tie-break,
     * then parent index, which is the list's first of equals.
     */
    private final class Pass {

        private final Shape shape;
        private final PolicyScorer scorer;
        private final String typeId;
        private final Set<Integer> groupHosts;
        private final boolean checkGroup;
        private final int[] poolStart = ledger.poolStartView();
        private final long[] used = ledger.usedView();
        private final int[] parentDevices = ledger.devicesPerParentView();
        private final int[] hostDevices = ledger.devicesPerHostView();
        private final long[] busy = ledger.busyParentsView();
        private final long[] onEmptyHost = ledger.parentsOnEmptyHostsView();
        private final boolean weighsPools;
        private final boolean weighsTypes;
        private final long[][] needByKind;
        /** Per rule ordinal: the candidates it refused, for an explanation. */
        private final int[] refusedBy = new int[REFUSALS.length];
        private int best = -1;
        private long bestPenalty = Long.MAX_VALUE;
        private long bestTie = Long.MAX_VALUE;
        private int roomiest = -1;
        private long roomiestInstances = -1;
        /** The first candidate refused for capacity without a visit: it has room for no instance. */
        private int firstWithoutRoom = -1;

        Pass(Shape shape, DeviceAllocation allocation, PolicyScorer scorer, Set<Integer> groupHosts) {
            this.shape = shape;
            this.scorer = scorer;
            this.typeId = allocation.getTypeId();
            this.groupHosts = groupHosts;
            this.checkGroup = !groupHosts.isEmpty();
            this.weighsPools = scorer.weighsPools();
            this.weighsTypes = scorer.weighsTypes();
            this.needByKind = shape.needByKind();
        }

        Choice run() {
            var candidates = shape.candidates();
            var typed = ledger.typedParentsView();
            var holdingOnly = ledger.parentsHoldingOnlyView(shape.typeCode());
            var withRoom = ledger.parentsWithRoomView(typeId, offeringByType.getOrDefault(typeId, NONE));
            for (var word = 0; word < candidates.length; word++) {
                var left = candidates[word] & busy[word];
                if (left == 0) {
                    continue;
                }
                var mixing = left & typed[word] & ~mixesTypes[word] & ~(holdingOnly == null ? 0 : holdingOnly[word]);
                refusedBy[Refusal.MIXED_TYPES.ordinal()] += Long.bitCount(mixing);
                left &= ~mixing;
                if (checkGroup) {
                    refusedBy[Refusal.ANTI_AFFINITY.ordinal()] += Long.bitCount(left & grouped[word]);
                    left &= ~grouped[word];
                }
                var full = left & ~withRoom[word];
                if (full != 0) {
                    refusedBy[Refusal.CAPACITY.ordinal()] += Long.bitCount(full);
                    if (firstWithoutRoom < 0) {
                        firstWithoutRoom = word << 6 | Long.numberOfTrailingZeros(full);
                    }
                }
                for (var bits = left & withRoom[word]; bits != 0; bits &= bits - 1) {
                    var candidate = word << 6 | Long.numberOfTrailingZeros(bits);
                    if (!judge(candidate)) {
                        refusedBy[Refusal.CAPACITY.ordinal()]++;
                    }
                }
            }
            // Empty parents of one kind on alike hosts (empty, or running devices but not the group) answer and
            // score alike: the first stands for its class. Those on hosts running the group are refused for it.
            var twins = shape.kinds().length * 2;
            var refused = new boolean[twins];
            for (var twin = 0; twin < twins; twin++) {
                var representative = firstEmpty(shape.kinds()[twin >> 1], (twin & 1) == 1);
                refused[twin] = representative >= 0 && !judge(representative);
            }
            if (best >= 0) {
                return new Choice(parents.get(best), null);
            }
            for (var twin = 0; twin < twins; twin++) {
                if (refused[twin]) {
                    refusedBy[Refusal.CAPACITY.ordinal()] += emptyCount(shape.kinds()[twin >> 1], (twin & 1) == 1);
                }
            }
            refusedBy[Refusal.ANTI_AFFINITY.ordinal()] += emptyOnGroupHosts();
            // Room for no instance is room 0: only the first such parent can be the roomiest, and only at 0.
            if (firstWithoutRoom >= 0 && (roomiestInstances < 0
                    || (roomiestInstances == 0 && firstWithoutRoom < roomiest))) {
                roomiest = firstWithoutRoom;
                roomiestInstances = 0;
            }
            var tally = new EnumMap<Refusal, Integer>(shape.fixedRefusals());
            for (var refusal : REFUSALS) {
                if (refusedBy[refusal.ordinal()] > 0) {
                    tally.merge(refusal, refusedBy[refusal.ordinal()], Integer::sum);
                }
            }
            return new Choice(null, new RefusalTally(shape.offering(), tally, null,
                    roomiest < 0 ? null : parents.get(roomiest), roomiestInstances));
        }

        /**
         * Judges a candidate whose type mixing and anti-affinity are settled (it passes both) as {@link GreedyPlacer}
         * would: false if its pools refuse the device, else true, having offered it to the best.
         */
        private boolean judge(int candidate) {
            var kind = kindOf[candidate];
            var need = needByKind[kind];
            var capacity = capacityByKind[kind];
            var start = poolStart[candidate];
            for (var pool = 0; pool < need.length; pool++) {
                if (!UsageLedger.poolTakes(used[start + pool], capacity[pool], need[pool])) {
                    if (best < 0) {
                        noteRoom(candidate);
                    }
                    return false;
                }
            }
            offer(candidate);
            return true;
        }

        /** Scores a candidate the rules accept and keeps it if it is the best so far, as {@link BestCandidate}. */
        private void offer(int candidate) {
            var kind = kindOf[candidate];
            var need = needByKind[kind];
            var capacity = capacityByKind[kind];
            var start = poolStart[candidate];
            var devices = parentDevices[candidate];
            var penalty = scorer.countPenalty(devices, hostDevices[hostOf[candidate]],
                    weighsTypes && devices > 0 && !ledger.holdsType(candidate, typeId));
            if (weighsPools) {
                for (var pool = 0; pool < need.length; pool++) {
                    var before = used[start + pool];
                    penalty += scorer.poolPenalty(before, before + need[pool], capacity[pool]);
                }
            }
            if (penalty > bestPenalty) {
                return;
            }
            var tightest = Long.MAX_VALUE;
            for (var pool = 0; pool < need.length; pool++) {
                tightest = Math.min(tightest, PolicyScorer.room(used[start + pool] + need[pool], capacity[pool]));
            }
            var tie = scorer.tieBreak(tightest);
            if (penalty < bestPenalty || tie < bestTie || (tie == bestTie && candidate < best)) {
                best = candidate;
                bestPenalty = penalty;
                bestTie = tie;
            }
        }

        /**
         * Keeps the full candidate with the most room for one device of the type, the first of equals, as the
         * explainer weighs them: {@code min(maxAggregation, ledger.instancesThatFit(parent, type))}.
         */
        private void noteRoom(int candidate) {
            var kind = kindOf[candidate];
            var start = poolStart[candidate];
            var cost = shape.costByKind()[kind];
            var capacity = capacityByKind[kind];
            // The least room that would replace the roomiest; free / cost >= least is free >= least x cost, no division.
            var least = roomiestInstances + (candidate < roomiest ? 0 : 1);
            if (shape.maxAggregationByKind()[kind] < least) {
                return;
            }
            for (var pool = 0; pool < cost.length; pool++) {
                if (cost[pool] > 0 && Math.max(0, capacity[pool] - used[start + pool]) < least * cost[pool]) {
                    return;
                }
            }
            var fit = Long.MAX_VALUE;
            for (var pool = 0; pool < cost.length; pool++) {
                fit = Math.min(fit, UsageLedger.devicesThatFit(used[start + pool], capacity[pool], cost[pool]));
            }
            var room = Math.min(shape.maxAggregationByKind()[kind], fit);
            if (room > roomiestInstances || (room == roomiestInstances && candidate < roomiest)) {
                roomiestInstances = room;
                roomiest = candidate;
            }
        }

        /** The first empty candidate of the kind on an empty host, or on a busy one not running the group; or -1. */
        private int firstEmpty(int kind, boolean emptyHost) {
            var candidates = shape.candidates();
            var ofKind = parentsOfKind[kind];
            for (var i = 0; i < ofKind.words().length; i++) {
                var word = ofKind.words()[i];
                var hosts = emptyHost ? onEmptyHost[word] : ~onEmptyHost[word] & ~grouped[word];
                var bits = candidates[word] & ofKind.bits()[i] & ~busy[word] & hosts;
                if (bits != 0) {
                    return word << 6 | Long.numberOfTrailingZeros(bits);
                }
            }
            return -1;
        }

        /** How many empty candidates of the kind are on empty hosts, or on busy ones not running the group. */
        private int emptyCount(int kind, boolean emptyHost) {
            var candidates = shape.candidates();
            var ofKind = parentsOfKind[kind];
            var count = 0;
            for (var i = 0; i < ofKind.words().length; i++) {
                var word = ofKind.words()[i];
                var hosts = emptyHost ? onEmptyHost[word] : ~onEmptyHost[word] & ~grouped[word];
                count += Long.bitCount(candidates[word] & ofKind.bits()[i] & ~busy[word] & hosts);
            }
            return count;
        }

        /** How many empty candidates are on hosts running the group. */
        private int emptyOnGroupHosts() {
            var count = 0;
            for (var host : groupHosts) {
                for (var parent : ledger.parentsOfHostView()[host]) {
                    if (parentDevices[parent] == 0 && (shape.candidates()[parent >>> 6] & 1L << parent) != 0) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    private Shape newShape(ShapeKey key) {
        var typeId = key.typeId();
        var instances = key.instances();
        var needByKind = new long[kinds.size()][];
        var costByKind = new long[kinds.size()][];
        var maxAggregationByKind = new int[kinds.size()];
        for (var k = 0; k < kinds.size(); k++) {
            var type = kinds.get(k).types().get(typeId);
            if (type != null) {
                var cost = new long[capacityByKind[k].length];
                Arrays.setAll(cost, type::cost);
                costByKind[k] = cost;
                needByKind[k] = Arrays.stream(cost).map(perInstance -> perInstance * instances).toArray();
                maxAggregationByKind[k] = type.getMaxAggregation();
            }
        }
        var refusedByHost = hostRefusals.computeIfAbsent(key.hostSelector(), this::hostRefusals);
        var offering = offeringByType.getOrDefault(typeId, NONE);
        var candidates = new long[UsageLedger.words(parents.size())];
        var candidateKinds = new boolean[kinds.size()];
        var fixedRefusals = new EnumMap<Refusal, Integer>(Refusal.class);
        for (var parent : offering) {
            // PlacementRules' order for a new device of a workload, up to the rules the fleet's facts settle.
            var refusal = instances > maxAggregationByKind[kindOf[parent]] ? Refusal.AGGREGATION_LIMIT
                    : refusedByHost[hostOf[parent]];
            if (refusal == null) {
                candidates[parent >>> 6] |= 1L << parent;
                candidateKinds[kindOf[parent]] = true;
            } else {
                fixedRefusals.merge(refusal, 1, Integer::sum);
            }
        }
        var shapeKinds = IntStream.range(0, kinds.size()).filter(k -> candidateKinds[k]).toArray();
        return new Shape(ledger.registerType(typeId), candidates, shapeKinds, needByKind, costByKind, maxAggregationByKind,
                offering.length, fixedRefusals);
    }

    /** Per host, what {@link PlacementRules} says of its host for a new device with the selector, or null. */
    private Refusal[] hostRefusals(Map<String, String> selector) {
        var refusals = new Refusal[hosts.length];
        for (var i = 0; i < hosts.length; i++) {
            var host = hosts[i];
            if (host != null && !host.isSchedulable()) {
                refusals[i] = Refusal.UNSCHEDULABLE;
            } else if (host != null && !host.matches(selector)) {
                refusals[i] = Refusal.HOST_SELECTOR;
            }
        }
        return refusals;
    }

    /** Per kind, its parents as a sparse bitset: memory grows with the parents, not kinds x parents. */
    private SparseBits[] sparseBitsByKind() {
        var counts = new int[kinds.size()];
        var lastWord = new int[kinds.size()];
        Arrays.fill(lastWord, -1);
        for (var index = 0; index < parents.size(); index++) {
            var kind = kindOf[index];
            if (lastWord[kind] != index >>> 6) {
                lastWord[kind] = index >>> 6;
                counts[kind]++;
            }
        }
        var byKind = new SparseBits[kinds.size()];
        for (var k = 0; k < kinds.size(); k++) {
            byKind[k] = new SparseBits(new int[counts[k]], new long[counts[k]]);
            counts[k] = 0;
        }
        Arrays.fill(lastWord, -1);
        for (var index = 0; index < parents.size(); index++) {
            var bits = byKind[kindOf[index]];
            var kind = kindOf[index];
            if (lastWord[kind] != index >>> 6) {
                lastWord[kind] = index >>> 6;
                bits.words()[counts[kind]++] = index >>> 6;
            }
            bits.bits()[counts[kind] - 1] |= 1L << index;
        }
        return byKind;
    }

    /** The parent's kind, a new one if no kind is alike; a hash picks the kinds worth comparing. */
    private int kindOf(Parent parent, Map<Long, List<Integer>> kindsByHash) {
        var hash = (long) Boolean.hashCode(parent.isMixedTypes());
        for (var pool : parent.getPools()) {
            hash = 31 * hash + pool.getCapacity();
        }
        for (var type : parent.getTypes().values()) {
            hash = 31 * hash + type.getId().hashCode();
            hash = 31 * hash + type.getMaxAggregation();
            for (var pool = 0; pool < type.poolCount(); pool++) {
                hash = 31 * hash + type.cost(pool);
            }
        }
        var sameHash = kindsByHash.computeIfAbsent(hash, unused -> new ArrayList<>(1));
        for (var kind : sameHash) {
            if (alike(kinds.get(kind), parent)) {
                return kind;
            }
        }
        var capacity = parent.getPools().stream().mapToLong(Pool::getCapacity).toArray();
        kinds.add(new Kind(parent.isMixedTypes(), capacity, parent.getTypes()));
        sameHash.add(kinds.size() - 1);
        return kinds.size() - 1;
    }

    private static boolean alike(Kind kind, Parent parent) {
        if (kind.mixedTypes() != parent.isMixedTypes() || kind.capacity().length != parent.getPools().size()
                || kind.types().size() != parent.getTypes().size()) {
            return false;
        }
        for (var pool : parent.getPools()) {
            if (kind.capacity()[pool.getIndex()] != pool.getCapacity()) {
                return false;
            }
        }
        for (var type : parent.getTypes().values()) {
            var other = kind.types().get(type.getId());
            if (other == null || other.getMaxAggregation() != type.getMaxAggregation()
                    || other.poolCount() != type.poolCount()) {
                return false;
            }
            for (var pool = 0; pool < type.poolCount(); pool++) {
                if (other.cost(pool) != type.cost(pool)) {
                    return false;
                }
            }
        }
        return true;
    }
}

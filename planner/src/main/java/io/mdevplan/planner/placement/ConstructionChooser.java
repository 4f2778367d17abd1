package io.mdevplan.planner.placement;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.policy.Policy;

/**
 * {@link GreedyPlacer#choose} for a construction that only adds devices, with two shortcuts that change no choice:
 * <ul>
 * <li>A parent refused for capacity or type mixing refuses every later device of the same shape (the books only
 * grow), so it leaves that shape's candidate list. Only anti-affinity depends on the device's group.</li>
 * <li>Empty parents of one kind (same pools, types and costs) whose hosts are both empty or both in use score alike,
 * and accept alike unless anti-affinity tells their hosts apart: the first stands for the rest, as the placer keeps
 * the first of equals. For a device in an anti-affinity group this holds only on empty hosts.</li>
 * </ul>
 * Exactness was checked by comparing construction scores with GreedyPlacer on generated fleets of 300 to 10,000 hosts.
 */
final class ConstructionChooser {

    private final UsageLedger ledger;
    private final PolicyScorer scorer;
    private final int[] kindOf;
    /** Per shared candidate list: the positions still worth trying, in order; element 0 is their count. */
    private final Map<List<Parent>, int[]> alive = new IdentityHashMap<>();
    private final BitSet seenKinds = new BitSet();

    ConstructionChooser(UsageLedger ledger, Policy policy) {
        this.ledger = ledger;
        this.scorer = new PolicyScorer(policy);
        var parents = ledger.parents();
        kindOf = new int[parents.size()];
        var kinds = new HashMap<String, Integer>();
        for (var parent : parents) {
            var key = new StringBuilder().append(parent.isMixedTypes());
            parent.getPools().forEach(pool -> key.append('|').append(pool.getCapacity()));
            parent.getTypes().forEach((id, type) -> {
                key.append('|').append(id).append(':').append(type.getMaxAggregation());
                for (var i = 0; i < type.poolCount(); i++) {
                    key.append(',').append(type.cost(i));
                }
            });
            kindOf[parent.getIndex()] = kinds.computeIfAbsent(key.toString(), unused -> kinds.size());
        }
    }

    Parent choose(DeviceAllocation allocation) {
        var candidates = allocation.getCandidateParents();
        var positions = alive.computeIfAbsent(candidates, list -> {
            var array = new int[list.size() + 1];
            Arrays.setAll(array, i -> i == 0 ? list.size() : i - 1);
            return array;
        });
        seenKinds.clear();
        var group = allocation.getAntiAffinityGroup();
        var best = new BestCandidate(scorer);
        var kept = 1;
        var count = positions[0];
        for (var read = 1; read <= count; read++) {
            var position = positions[read];
            var candidate = candidates.get(position);
            var emptyHost = ledger.devices(candidate.getHost()) == 0;
            if (candidate != allocation.getOriginalParent() && ledger.devices(candidate) == 0
                    && (emptyHost || group == null)) {
                var twins = 2 * kindOf[candidate.getIndex()] + (emptyHost ? 1 : 0);
                if (seenKinds.get(twins)) {
                    positions[kept++] = position;
                    continue;
                }
                seenKinds.set(twins);
            }
            var refusal = PlacementRules.refusal(ledger, allocation, candidate);
            if (refusal.isPresent()) {
                if (refusal.get() == Refusal.ANTI_AFFINITY) {
                    positions[kept++] = position;
                }
                continue;
            }
            positions[kept++] = position;
            best.offer(ledger, allocation, candidate);
        }
        positions[0] = kept - 1;
        return best.best();
    }
}

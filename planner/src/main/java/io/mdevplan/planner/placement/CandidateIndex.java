package io.mdevplan.planner.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mdevplan.planner.domain.Parent;
import io.mdevplan.planner.domain.Workload;

/**
 * Candidate parents per request shape (type, instances, selector), shared by every device of that shape: a fleet of
 * 100,000 parents and 200,000 devices holds a few dozen lists, not 200,000. The construction phase, the local search
 * moves and online placement all draw from them.
 */
public final class CandidateIndex {

    private final List<Parent> parents;
    private final Map<String, List<Parent>> byShape = new HashMap<>();

    public CandidateIndex(List<Parent> parents) {
        this.parents = parents;
    }

    public List<Parent> forWorkload(Workload workload) {
        return byShape.computeIfAbsent(key(workload), unused -> parents.stream()
                .filter(parent -> parent.admits(workload.typeId(), workload.instances(), workload.hostSelector()))
                .toList());
    }

    /**
     * The candidates of an existing device that may move: the shape's list, plus where it is now when that parent would
     * not admit it anew (a cordoned host, say), so that staying put remains a choice.
     */
    public List<Parent> forExisting(Workload workload, Parent current) {
        var shared = forWorkload(workload);
        if (current.admits(workload.typeId(), workload.instances(), workload.hostSelector())) {
            return shared;
        }
        return byShape.computeIfAbsent(key(workload) + '\u0000' + current.getIndex(), unused -> {
            var withCurrent = new ArrayList<>(shared);
            withCurrent.add(current);
            return List.copyOf(withCurrent);
        });
    }

    private static String key(Workload workload) {
        return workload.typeId() + '\u0000' + workload.instances() + '\u0000' + new TreeMap<>(workload.hostSelector());
    }
}

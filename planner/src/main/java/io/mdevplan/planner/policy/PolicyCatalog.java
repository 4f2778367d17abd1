package io.mdevplan.planner.policy;

import static io.mdevplan.planner.solver.PlacementConstraints.HEADROOM;
import static io.mdevplan.planner.solver.PlacementConstraints.HOSTS_IN_USE;
import static io.mdevplan.planner.solver.PlacementConstraints.MOVES;
import static io.mdevplan.planner.solver.PlacementConstraints.PARENTS_IN_USE;
import static io.mdevplan.planner.solver.PlacementConstraints.POOL_BALANCE;
import static io.mdevplan.planner.solver.PlacementConstraints.TYPE_MIXING;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The built-in named policies; see docs/policies.md for what each rule does and why these weights. */
public final class PolicyCatalog {

    public static final String DEFAULT = "pack";

    private static final long MOVE = 10_000;
    private static final Map<String, Policy> BUILT_IN = builtIn();

    private PolicyCatalog() {
    }

    public static Collection<Policy> all() {
        return BUILT_IN.values();
    }

    public static Policy defaultPolicy() {
        return BUILT_IN.get(DEFAULT);
    }

    public static Policy byName(String name) {
        var policy = BUILT_IN.get(name);
        if (policy == null) {
            throw new IllegalArgumentException("Unknown policy \"" + name + "\". Maybe use one of: "
                    + String.join(", ", BUILT_IN.keySet()) + ".");
        }
        return policy;
    }

    private static Map<String, Policy> builtIn() {
        var policies = new LinkedHashMap<String, Policy>();
        add(policies, new Policy("pack", "Fill the fullest parents first: as few parents and hosts in use as possible, "
                + "leaving whole parents and hosts free for large requests and maintenance.",
                Map.of(HOSTS_IN_USE, 1_000L, PARENTS_IN_USE, 100L, MOVES, MOVE)));
        add(policies, new Policy("spread", "Balance pool use across parents: the least loaded parent first, "
                + "for performance isolation and a smaller blast radius.",
                Map.of(POOL_BALANCE, 1L, MOVES, MOVE)));
        add(policies, new Policy("headroom", "Pack, but keep " + PolicyRules.HEADROOM_RESERVE_PERMILLE / 10
                + "% of every pool free wherever the workloads still fit, so a failed host's load has somewhere to go.",
                Map.of(HOSTS_IN_USE, 1_000L, PARENTS_IN_USE, 100L, HEADROOM, 1_000L, MOVES, MOVE)));
        add(policies, new Policy("one-type-per-parent", "Pack, and avoid putting two types on one parent even where the "
                + "driver allows mixing, as Nova and KubeVirt do; it costs capacity but keeps parents uniform.",
                Map.of(HOSTS_IN_USE, 1_000L, PARENTS_IN_USE, 100L, TYPE_MIXING, 100_000L, MOVES, MOVE)));
        add(policies, new Policy("minimal-moves", "For re-plans: pack, but move an existing device only when that "
                + "places more workloads; a move costs far more than any packing gain.",
                Map.of(HOSTS_IN_USE, 1_000L, PARENTS_IN_USE, 100L, MOVES, 100_000_000L)));
        return Collections.unmodifiableMap(policies);
    }

    private static void add(Map<String, Policy> policies, Policy policy) {
        policies.put(policy.name(), policy);
    }
}

package io.mdevplan.planner.capacity;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The capacity model of one parent: shared pools and what one instance of each type takes from them.
 *
 * <p>A device of type t holding N instances uses N x cost(t, p) of every pool p; the number of further
 * instances of t that fit is the minimum over the pools t draws from of floor(free / cost). Types missing
 * from {@code costs} cannot be created on this parent.
 *
 * @param pools      pool name -> capacity, sorted by name
 * @param costs      type id -> (pool name -> cost of one instance), sorted by type id and pool name
 * @param mixedTypes false when the parent holds devices of one type at a time (NVIDIA equal-size mode)
 * @param method     how the model was derived, for humans: "description:i915-gvtg", "maxima", ...
 */
public record InferredCapacity(Map<String, Long> pools, Map<String, Map<String, Long>> costs, boolean mixedTypes,
                               String method) {

    public InferredCapacity {
        Objects.requireNonNull(method, "method");
        pools = sortedCopy(Objects.requireNonNull(pools, "pools"));
        var sortedCosts = new TreeMap<String, Map<String, Long>>();
        Objects.requireNonNull(costs, "costs").forEach((type, cost) -> sortedCosts.put(type, sortedCopy(cost)));
        costs = Collections.unmodifiableSortedMap(sortedCosts);
        pools.forEach((pool, capacity) -> {
            if (capacity < 0) {
                throw new IllegalArgumentException("pool " + pool + " has capacity " + capacity
                        + "; capacities are never negative. Maybe used and free amounts were swapped");
            }
        });
        for (var entry : costs.entrySet()) {
            checkCost(entry.getKey(), entry.getValue(), pools);
        }
    }

    private static void checkCost(String type, Map<String, Long> cost, Map<String, Long> pools) {
        // An empty or zero cost would make the type unlimited; leave such a type out of costs instead.
        if (cost.isEmpty()) {
            throw new IllegalArgumentException("type " + type + " has an empty cost vector. Maybe leave the type"
                    + " out of costs if it cannot be created");
        }
        cost.forEach((pool, amount) -> {
            if (amount <= 0) {
                throw new IllegalArgumentException("type " + type + " costs " + amount + " of pool " + pool
                        + "; costs are positive. Maybe drop the pool from the type's cost vector");
            }
            if (!pools.containsKey(pool)) {
                throw new IllegalArgumentException("type " + type + " draws from pool " + pool
                        + ", which is not among the pools " + pools.keySet() + ". Maybe the pool name is misspelt");
            }
        });
    }

    private static SortedMap<String, Long> sortedCopy(Map<String, Long> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}

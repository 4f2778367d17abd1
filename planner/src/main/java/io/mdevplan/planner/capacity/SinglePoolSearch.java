package io.mdevplan.planner.capacity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The maxima method: one shared pool of abstract units and an integer cost per type that reproduce the
 * availabilities a parent shows, i.e. available(t) == floor((pool - used) / cost(t)) for every type.
 */
final class SinglePoolSearch {

    /**
     * How much larger than the smallest consistent pool a regular one may be and still be preferred; a model
     * many times larger than needed is a worse explanation than the smallest one, and the search stays cheap.
     */
    private static final long REGULAR_SEARCH_FACTOR = 64;

    /** Cost choices the regular search may try before settling for the smallest consistent pool (tens of ms). */
    private static final long REGULAR_SEARCH_STEPS = 2_000_000;

    /** A pool of {@code capacity} units and the cost of one instance of each type in units. */
    record SinglePool(long capacity, Map<String, Long> costs) {
    }

    /** What the parent shows for one type: its availability and the instances its devices hold. */
    private record Shown(String type, long available, long instancesInUse) {

        /** Smallest cost that gives {@code available} with {@code free} units left: floor(free / cost) == available. */
        long lowestCost(long free) {
            return free / (available + 1) + 1;
        }

        /** Largest such cost; none (Long.MAX_VALUE) for a type showing 0, which any cost above {@code free} explains. */
        long highestCost(long free) {
            return available == 0 ? Long.MAX_VALUE : free / available;
        }
    }

    private SinglePoolSearch() {
    }

    /**
     * Empty parent: pool = lcm of the nonzero availabilities, cost = pool / availability. A type showing 0 on an
     * empty parent can never be created there and is left out of the costs.
     */
    static SinglePool emptyParent(Map<String, Long> available, long maxPool) {
        var creatable = new TreeMap<String, Long>();
        available.forEach((type, count) -> {
            if (count > 0) {
                creatable.put(type, count);
            }
        });
        if (creatable.isEmpty()) {
            return new SinglePool(0, Map.of());
        }
        long pool = 1;
        for (var count : creatable.values()) {
            pool = pool / gcd(pool, count) * count; // pool <= maxPool and count < 2^31: no overflow
            if (pool > maxPool) {
                throw new IllegalArgumentException("the least common multiple of the availabilities " + creatable
                        + " exceeds " + maxPool + " pool units. Maybe a type reports a bogus available_instances,"
                        + " or the driver needs a description parser (see docs/capacity-inference.md)");
            }
        }
        var costs = new TreeMap<String, Long>();
        for (var entry : creatable.entrySet()) {
            costs.put(entry.getKey(), pool / entry.getValue());
        }
        return new SinglePool(pool, costs);
    }

    /**
     * Parent with devices: the smallest pool whose costs all divide it (a "regular" model, which is what the
     * empty-parent method would infer once the devices are gone), searched up to {@link #REGULAR_SEARCH_FACTOR}
     * times the smallest consistent pool; failing that, the smallest consistent pool.
     *
     * @param available      type -> available instances, for every type in the model
     * @param instancesInUse type -> instances held by its devices, for the types with devices (all in the model)
     */
    static SinglePool withDevices(Map<String, Long> available, Map<String, Long> instancesInUse, long maxPool) {
        var shown = available.entrySet().stream()
                .map(entry -> new Shown(entry.getKey(), entry.getValue(),
                        instancesInUse.getOrDefault(entry.getKey(), 0L)))
                .toList();
        var smallest = smallest(shown, maxPool).orElseThrow(() -> new IllegalArgumentException(
                "no single pool of at most " + maxPool + " units reproduces what the parent shows ("
                        + describe(shown) + "). Maybe the snapshot raced with a create or remove (read types and"
                        + " devices again), or the driver's types draw from several pools and need a description"
                        + " parser"));
        var regularLimit = Math.min(maxPool, Math.multiplyExact(smallest.capacity(), REGULAR_SEARCH_FACTOR));
        return new RegularSearch(shown).smallest(smallest.capacity(), regularLimit).orElse(smallest);
    }

    /**
     * The smallest consistent pool. With f free units, each type's cost lies in [lowestCost(f), highestCost(f)];
     * the pool is f + sum(instances x cost) over the types with devices, smallest with their lowest costs. Since
     * lowestCost never decreases as f grows, the first feasible f gives the smallest pool.
     */
    private static Optional<SinglePool> smallest(List<Shown> shown, long maxPool) {
        var free = shown.stream().mapToLong(Shown::available).max().orElse(0);
        for (; ; free++) {
            var feasible = true;
            long used = 0;
            for (var type : shown) {
                feasible &= type.lowestCost(free) <= type.highestCost(free);
                used = Math.addExact(used, Math.multiplyExact(type.instancesInUse(), type.lowestCost(free)));
            }
            var pool = free + used;
            if (pool > maxPool) {
                return Optional.empty();
            }
            if (feasible) {
                return Optional.of(new SinglePool(pool, lowestCosts(shown, pool, free)));
            }
        }
    }

    /**
     * Depth-first search, pool by pool from the smallest, for costs of the types with devices among the pool's
     * divisors that reproduce what the parent shows. (The first regular model found has costs with gcd 1:
     * dividing them and the pool by a common factor would give a consistent regular model with a smaller pool,
     * which the search would have met first.)
     */
    private static final class RegularSearch {
        private final List<Shown> shown;
        private final List<Shown> inUse;
        private final long[] costs;
        private long stepsLeft = REGULAR_SEARCH_STEPS; // bounds the time spent on pathological observations

        RegularSearch(List<Shown> shown) {
            this.shown = shown;
            this.inUse = shown.stream().filter(type -> type.instancesInUse() > 0).toList();
            this.costs = new long[inUse.size()];
        }

        /** The smallest pool in [from, to] that every cost divides. */
        Optional<SinglePool> smallest(long from, long to) {
            var smallestPrimeFactors = smallestPrimeFactors(Math.toIntExact(to));
            for (var pool = from; pool <= to && stepsLeft > 0; pool++) {
                var divisors = divisors((int) pool, smallestPrimeFactors);
                stepsLeft -= divisors.length;
                var found = assign(pool, divisors, 0, 0);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }

        private Optional<SinglePool> assign(long pool, long[] divisors, int index, long used) {
            if (index == inUse.size()) {
                return complete(pool, divisors, pool - used);
            }
            var type = inUse.get(index);
            var stillNeeded = inUse.subList(index + 1, inUse.size()).stream()
                    .mapToLong(Shown::instancesInUse).sum(); // each later type costs at least 1 per instance
            for (var cost : divisors) {
                var usedNow = used + type.instancesInUse() * cost;
                if (--stepsLeft < 0 || usedNow + stillNeeded > pool
                        || type.available() * cost > pool - usedNow - stillNeeded) {
                    break; // out of steps, or both sides only grow with the cost
                }
                costs[index] = cost;
                var found = assign(pool, divisors, index + 1, usedNow);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }

        private Optional<SinglePool> complete(long pool, long[] divisors, long free) {
            for (var i = 0; i < inUse.size(); i++) {
                if (free / costs[i] != inUse.get(i).available()) {
                    return Optional.empty();
                }
            }
            var chosen = new TreeMap<String, Long>();
            for (var i = 0; i < inUse.size(); i++) {
                chosen.put(inUse.get(i).type(), costs[i]);
            }
            for (var type : shown) {
                if (type.instancesInUse() == 0) {
                    var cost = smallestIn(divisors, type.lowestCost(free), type.highestCost(free));
                    if (cost.isEmpty()) {
                        return Optional.empty();
                    }
                    chosen.put(type.type(), cost.get());
                }
            }
            return Optional.of(new SinglePool(pool, chosen));
        }
    }

    /**
     * Costs of the smallest consistent model: the lowest cost for types with devices (they set the pool size);
     * for the others the smallest divisor of the pool within their range, else the lowest cost of the range.
     */
    private static Map<String, Long> lowestCosts(List<Shown> shown, long pool, long free) {
        var divisors = divisors(pool);
        var costs = new TreeMap<String, Long>();
        for (var type : shown) {
            var lowest = type.lowestCost(free);
            var cost = type.instancesInUse() > 0
                    ? lowest
                    : smallestIn(divisors, lowest, type.highestCost(free)).orElse(lowest);
            costs.put(type.type(), cost);
        }
        return costs;
    }

    private static Optional<Long> smallestIn(long[] sortedDivisors, long lowest, long highest) {
        return Arrays.stream(sortedDivisors).filter(d -> d >= lowest && d <= highest).boxed().findFirst();
    }

    private static long[] divisors(long n) {
        var divisors = new ArrayList<Long>();
        for (long d = 1; d * d <= n; d++) {
            if (n % d == 0) {
                divisors.add(d);
                divisors.add(n / d);
            }
        }
        return divisors.stream().mapToLong(Long::longValue).distinct().sorted().toArray();
    }

    /** Divisors of n in ascending order, from its factorisation. */
    private static long[] divisors(int n, int[] smallestPrimeFactors) {
        var count = 1;
        for (var rest = n; rest > 1; ) {
            var prime = smallestPrimeFactors[rest];
            var exponent = 0;
            for (; rest % prime == 0; rest /= prime) {
                exponent++;
            }
            count *= exponent + 1;
        }
        var divisors = new long[count];
        divisors[0] = 1;
        var known = 1;
        for (var rest = n; rest > 1; ) {
            var prime = smallestPrimeFactors[rest];
            var withLowerPowers = known;
            for (long power = prime; rest % prime == 0; rest /= prime, power *= prime) {
                for (var i = 0; i < withLowerPowers; i++) {
                    divisors[known++] = divisors[i] * power;
                }
            }
        }
        Arrays.sort(divisors);
        return divisors;
    }

    private static int[] smallestPrimeFactors(int limit) {
        var factors = new int[limit + 1];
        for (var i = 2; i <= limit; i++) {
            if (factors[i] == 0) {
                for (var multiple = i; multiple <= limit; multiple += i) {
                    if (factors[multiple] == 0) {
                        factors[multiple] = i;
                    }
                }
            }
        }
        return factors;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static String describe(List<Shown> shown) {
        return shown.stream()
                .map(type -> type.type() + ": " + type.available() + " available"
                        + (type.instancesInUse() > 0 ? ", " + type.instancesInUse() + " instances in use" : ""))
                .collect(Collectors.joining("; "));
    }
}

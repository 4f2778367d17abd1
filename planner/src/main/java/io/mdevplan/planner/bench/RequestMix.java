package io.mdevplan.planner.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.online.PlacementRequest;

/**
 * An endless stream of realistic placement requests for a fleet, the same for the same fleet and seed: as if each
 * request came for a random parent of a schedulable host and one of the types it offers (so common hardware is asked
 * for often), with 1 to the largest aggregation any parent offers for the type, priorities 1 to 10, a {@code zone}
 * selector on about a fifth (when hosts carry a zone label) and about a tenth in anti-affinity groups of 3 to 10
 * requests of one shape, as {@link FleetGenerator}'s workloads are.
 */
public final class RequestMix {

    /** The label selectors ask for, when the fleet's hosts carry it. */
    public static final String SELECTOR_LABEL = "zone";
    private static final double SELECTOR_SHARE = 0.2;
    /** The chance that a request starts an anti-affinity group: with groups of 3 to 10, about a tenth of requests. */
    private static final double GROUP_START = 0.017;
    private static final int MIN_GROUP = 3;
    private static final int MAX_GROUP = 10;
    private static final int MAX_PRIORITY = 10;

    private final Random random;
    private final String idPrefix;
    /** The type lists of the parents requests are drawn for, one entry per parent. */
    private final List<List<FleetType>> parentTypes;
    private final Map<String, Integer> maxAggregationByType;
    private final List<String> zones;
    private final ArrayDeque<PlacementRequest> pendingGroup = new ArrayDeque<>();
    private int requestCount;
    private int groupCount;

    private RequestMix(FleetDocument fleet, long seed, String idPrefix) {
        this.random = new Random(seed);
        this.idPrefix = idPrefix;
        var schedulable = new ArrayList<List<FleetType>>();
        var all = new ArrayList<List<FleetType>>();
        var maxAggregation = new HashMap<String, Integer>();
        var zoneValues = new TreeSet<String>();
        for (var host : fleet.hosts()) {
            var zone = host.labels().get(SELECTOR_LABEL);
            if (zone != null) {
                zoneValues.add(zone);
            }
            for (var parent : host.parents()) {
                if (parent.types().isEmpty()) {
                    continue;
                }
                all.add(parent.types());
                if (host.isSchedulable()) {
                    schedulable.add(parent.types());
                }
                for (var type : parent.types()) {
                    maxAggregation.merge(type.id(), type.effectiveMaxAggregation(), Math::max);
                }
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("The fleet of " + fleet.hosts().size() + " hosts offers no mdev type, so "
                    + "there is nothing to request. Maybe import a fleet with parents first.");
        }
        this.parentTypes = schedulable.isEmpty() ? all : schedulable;
        this.maxAggregationByType = Map.copyOf(maxAggregation);
        this.zones = List.copyOf(zoneValues);
    }

    /**
     * Requests for the fleet's types; workload ids are {@code idPrefix} and a 6-digit sequence number from 1
     * ({@code lg-000001}), anti-affinity groups {@code idPrefix + "aa-"} and a 5-digit number.
     */
    public static RequestMix of(FleetDocument fleet, long seed, String idPrefix) {
        return new RequestMix(fleet, seed, idPrefix);
    }

    /** Every type the fleet offers with the largest aggregation offered, the most instances a request asks for. */
    public Map<String, Integer> maxAggregationByType() {
        return maxAggregationByType;
    }

    public PlacementRequest next() {
        if (!pendingGroup.isEmpty()) {
            return pendingGroup.removeFirst();
        }
        var types = parentTypes.get(random.nextInt(parentTypes.size()));
        var type = types.get(random.nextInt(types.size())).id();
        var instances = 1 + random.nextInt(maxAggregationByType.get(type));
        var priority = 1 + random.nextInt(MAX_PRIORITY);
        var selector = !zones.isEmpty() && random.nextDouble() < SELECTOR_SHARE
                ? Map.of(SELECTOR_LABEL, zones.get(random.nextInt(zones.size())))
                : Map.<String, String>of();
        if (random.nextDouble() >= GROUP_START) {
            return new PlacementRequest(nextId(), type, instances, priority, null, selector);
        }
        var members = MIN_GROUP + random.nextInt(MAX_GROUP - MIN_GROUP + 1);
        var group = String.format("%saa-%05d", idPrefix, ++groupCount);
        var first = new PlacementRequest(nextId(), type, instances, priority, group, selector);
        for (var m = 1; m < members; m++) {
            pendingGroup.addLast(new PlacementRequest(nextId(), type, instances, priority, group, selector));
        }
        return first;
    }

    /** The next {@code count} requests. */
    public List<PlacementRequest> next(int count) {
        var requests = new ArrayList<PlacementRequest>(count);
        for (var i = 0; i < count; i++) {
            requests.add(next());
        }
        return requests;
    }

    private String nextId() {
        return String.format("%s%06d", idPrefix, ++requestCount);
    }
}

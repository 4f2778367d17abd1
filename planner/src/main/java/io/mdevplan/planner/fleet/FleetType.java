package io.mdevplan.planner.fleet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An mdev type offered by a parent: what one instance costs of each of the parent's pools and
 * how many instances one device may aggregate. {@code description} and {@code availableInstances} are what the
 * host's sysfs showed when a host executor read it (absent otherwise): observations, which the planner never uses
 * in place of its own prediction from pools and costs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetType(String id, String name, String deviceApi, Map<String, Long> cost, Aggregation aggregation,
        Integer maxAggregation, String description, Long availableInstances) {

    public FleetType {
        cost = cost == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(cost));
    }

    /** A type as a fleet document describes it, without observations. */
    public FleetType(String id, String name, String deviceApi, Map<String, Long> cost, Aggregation aggregation,
            Integer maxAggregation) {
        this(id, name, deviceApi, cost, aggregation, maxAggregation, null, null);
    }

    public Aggregation aggregationOrNone() {
        return aggregation == null ? Aggregation.NONE : aggregation;
    }

    /** The most instances one device of this type may hold: 1 without aggregation support. */
    public int effectiveMaxAggregation() {
        if (aggregationOrNone() == Aggregation.NONE) {
            return 1;
        }
        return maxAggregation == null ? 1 : maxAggregation;
    }
}

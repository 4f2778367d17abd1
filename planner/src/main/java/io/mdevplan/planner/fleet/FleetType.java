package io.mdevplan.planner.fleet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An mdev type offered by a parent: what one instance costs of each of the parent's pools and
 * how many instances one device may aggregate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetType(String id, String name, String deviceApi, Map<String, Long> cost, Aggregation aggregation,
        Integer maxAggregation) {

    public FleetType {
        cost = cost == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(cost));
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

package io.mdevplan.web.host;

import java.util.Map;

/**
 * A type the parent offers; {@code available} is how many more single-instance devices of it the model says fit now
 * (the kernel's available_instances): min over pools of floor(free / cost), and 0 on a parent that does not mix types
 * while it holds a device of another type.
 */
public record TypeView(String id, String name, String deviceApi, Map<String, Long> cost, String aggregation,
        Integer maxAggregation, long available) {
}

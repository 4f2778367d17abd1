package io.mdevplan.planner.whatif;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.mdevplan.planner.fleet.FleetWorkload;

/**
 * The shape of workloads a scenario adds, grows or asks headroom for: one device of {@code type} holding
 * {@code instances}, on hosts the selector accepts. Priority and anti-affinity group are what added workloads carry;
 * they mean nothing to a headroom count, where they are refused.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadProfile(String type, Integer instances, Integer priority, Map<String, String> hostSelector,
        String antiAffinityGroup) {

    public WorkloadProfile {
        hostSelector = hostSelector == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hostSelector));
    }

    /** A profile of the type and instances alone, on any host. */
    public static WorkloadProfile of(String type, int instances) {
        return new WorkloadProfile(type, instances, null, null, null);
    }

    public int instancesOrOne() {
        return instances == null ? 1 : instances;
    }

    public int priorityOrDefault() {
        return priority == null ? FleetWorkload.DEFAULT_PRIORITY : priority;
    }

    /** A workload of this profile under the given id. */
    FleetWorkload toWorkload(String id) {
        return new FleetWorkload(id, type, instances, priority, antiAffinityGroup, hostSelector);
    }

    /** type xN, with the selector and group when there are any: how reports name a profile. */
    public String label() {
        // a profile without a type is refused, but its change is described before the profiles are checked
        var label = new StringBuilder(String.valueOf(type)).append(" x").append(instancesOrOne());
        hostSelector.forEach((key, value) -> label.append(' ').append(key).append('=').append(value));
        if (antiAffinityGroup != null) {
            label.append(" group ").append(antiAffinityGroup);
        }
        return label.toString();
    }
}

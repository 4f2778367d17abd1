package io.mdevplan.planner.whatif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One change a scenario makes to its base fleet, named in JSON by {@code op}. Changes apply in order: a change sees
 * what the ones before it did (hosts they added or removed, workloads they added).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "op")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ScenarioChange.AddWorkloads.class, name = "addWorkloads"),
        @JsonSubTypes.Type(value = ScenarioChange.RemoveWorkloads.class, name = "removeWorkloads"),
        @JsonSubTypes.Type(value = ScenarioChange.AddHosts.class, name = "addHosts"),
        @JsonSubTypes.Type(value = ScenarioChange.RemoveHosts.class, name = "removeHosts"),
        @JsonSubTypes.Type(value = ScenarioChange.DrainHosts.class, name = "drainHosts"),
        @JsonSubTypes.Type(value = ScenarioChange.SetPolicy.class, name = "setPolicy") })
public sealed interface ScenarioChange {

    /** Every op, in the order the annotations above list them. */
    static List<String> ops() {
        return Arrays.stream(ScenarioChange.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::name).toList();
    }

    /** The op that names this change in JSON. */
    static String op(ScenarioChange change) {
        for (var type : ScenarioChange.class.getAnnotation(JsonSubTypes.class).value()) {
            if (type.value() == change.getClass()) {
                return type.name();
            }
        }
        throw new IllegalArgumentException("Change " + change + " has no op. Maybe list its class in @JsonSubTypes.");
    }

    /** {@code count} new workloads of the profile, named {@code new-<change>-<n>}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AddWorkloads(Integer count, WorkloadProfile profile) implements ScenarioChange {
    }

    /** Removes the workloads the selector matches, with their devices. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RemoveWorkloads(WorkloadSelector selector) implements ScenarioChange {
    }

    /**
     * {@code count} copies of the host {@code model}: its parents, pools and types, no devices, schedulable, named
     * {@code <model>-new-<n>}; {@code labels} replace or add to the model's labels.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record AddHosts(Integer count, String model, Map<String, String> labels) implements ScenarioChange {

        public AddHosts {
            labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /** Takes the hosts out of the fleet: their devices go, and the workloads that owned them need a new home. */
    record RemoveHosts(List<String> hosts) implements ScenarioChange {

        public RemoveHosts {
            hosts = copy(hosts);
        }
    }

    /**
     * Keeps the hosts but makes them unschedulable and moves their workloads away; devices no listed workload owns are
     * facts and stay.
     */
    record DrainHosts(List<String> hosts) implements ScenarioChange {

        public DrainHosts {
            hosts = copy(hosts);
        }
    }

    /** Plans the scenario under another policy. */
    record SetPolicy(String policy) implements ScenarioChange {
    }

    /** A copy that keeps null entries, so that the validator can point at them. */
    private static List<String> copy(List<String> values) {
        return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }
}

package io.mdevplan.planner.whatif;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetWorkload;

/**
 * Which workloads a {@code removeWorkloads} change removes: those that match every criterion given. A workload is one
 * the fleet lists or an earlier change added; devices no listed workload owns are facts and never match.
 * <ul>
 * <li>{@code type}: the workload's type;</li>
 * <li>{@code idPrefix}: its id starts with this;</li>
 * <li>{@code antiAffinityGroup}: its group;</li>
 * <li>{@code hostSelector}: its own host selector holds every entry given;</li>
 * <li>{@code hostLabels}: its device sits, at that point of the changes, on a host carrying every label given
 * (workloads without a device do not match).</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WorkloadSelector(String type, String idPrefix, String antiAffinityGroup, Map<String, String> hostSelector,
        Map<String, String> hostLabels) {

    public WorkloadSelector {
        hostSelector = hostSelector == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hostSelector));
        hostLabels = hostLabels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hostLabels));
    }

    /** No criterion at all: it would match every workload. */
    @JsonIgnore
    public boolean isEmpty() {
        return type == null && idPrefix == null && antiAffinityGroup == null && hostSelector.isEmpty()
                && hostLabels.isEmpty();
    }

    /** Whether the workload matches; {@code host} is where its device sits now, or null. */
    boolean matches(FleetWorkload workload, FleetHost host) {
        return (type == null || type.equals(workload.type()))
                && (idPrefix == null || workload.id().startsWith(idPrefix))
                && (antiAffinityGroup == null || antiAffinityGroup.equals(workload.antiAffinityGroup()))
                && contains(workload.hostSelector(), hostSelector)
                && (hostLabels.isEmpty() || host != null && contains(host.labels(), hostLabels));
    }

    private static boolean contains(Map<String, String> map, Map<String, String> entries) {
        for (var entry : entries.entrySet()) {
            if (!entry.getValue().equals(map.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }
}

package io.mdevplan.planner.fleet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A host: its labels (matched by workload host selectors) and the parent devices it carries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetHost(String name, Map<String, String> labels, Boolean schedulable, List<FleetParent> parents) {

    public FleetHost {
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        parents = parents == null ? List.of() : List.copyOf(parents);
    }

    /** Hosts are schedulable unless the document says otherwise. */
    @JsonIgnore
    public boolean isSchedulable() {
        return schedulable == null || schedulable;
    }
}

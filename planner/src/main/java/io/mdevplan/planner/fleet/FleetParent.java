package io.mdevplan.planner.fleet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A parent device (a GPU, an accelerator, a sample driver instance): the pools its types share,
 * the types it offers and the devices that exist on it now.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetParent(String address, String driver, Boolean mixedTypes, Map<String, Long> pools,
        List<FleetType> types, List<FleetDevice> devices) {

    public FleetParent {
        pools = pools == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        types = types == null ? List.of() : List.copyOf(types);
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    /** Parents mix types unless the document says otherwise (NVIDIA's equal-size mode does not). */
    @JsonIgnore
    public boolean isMixedTypes() {
        return mixedTypes == null || mixedTypes;
    }
}

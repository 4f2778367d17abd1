package io.mdevplan.web.placement;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A placement as the API shows it: where the workload's device goes (host, parent, the device's UUID) and where it
 * stands. {@code drift} says why the host's inventory disagrees; {@code reason} why it failed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlacementView(String workload, String host, String parent, String type, int instances, String uuid,
        String state, int priority, String antiAffinityGroup, Map<String, String> hostSelector, String policy,
        String drift, String reason, Instant createdAt, Instant updatedAt) {

    /** The placement with its parent and host loaded. */
    static PlacementView of(PlacementEntity placement) {
        var parent = placement.parent;
        return of(placement, parent == null ? null : parent.host.name, parent == null ? null : parent.address);
    }

    /** A placement just written, its parent known by host name and address (no need to load it). */
    public static PlacementView of(PlacementEntity placement, String host, String parent) {
        return new PlacementView(placement.workload, host, parent, placement.typeId, placement.instances,
                placement.deviceUuid == null ? null : placement.deviceUuid.toString(), placement.state.column(),
                placement.priority, placement.antiAffinityGroup, new TreeMap<>(placement.hostSelector),
                placement.policy, placement.drift, placement.reason, placement.createdAt, placement.updatedAt);
    }
}

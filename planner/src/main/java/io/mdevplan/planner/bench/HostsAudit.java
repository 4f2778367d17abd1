package io.mdevplan.planner.bench;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.mdevplan.planner.fleet.FleetJson;

/**
 * Checks the service's own capacity view ({@code GET /api/v1/hosts}: every host, its parents and their pools with
 * {@code capacity} and {@code used}, where used counts every device and live placement) for overbooking: a pool whose
 * use exceeds its capacity. The load generator's verdict on the service's books, independent of what it was told
 * while placing.
 */
public final class HostsAudit {

    private static final int SAMPLES = 10;

    /** What was checked, how many pools are overbooked, and the first few of them as host/parent pool used/capacity. */
    public record Result(int hosts, int parents, int pools, int overbookedPools, List<String> overbooked) {
    }

    private HostsAudit() {
    }

    /** Audits the hosts view as JSON; {@code source} names it in errors. */
    public static Result audit(String json, String source) {
        JsonNode hosts;
        try {
            hosts = FleetJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The hosts view from " + source + " is not JSON (" + e.getOriginalMessage()
                    + "). Maybe the URL points at something else than GET /api/v1/hosts.", e);
        }
        return audit(hosts, source);
    }

    public static Result audit(JsonNode hosts, String source) {
        if (hosts == null || !hosts.isArray()) {
            throw shape(source, "$", "is not an array of hosts");
        }
        var parents = 0;
        var pools = 0;
        var overbooked = new ArrayList<String>();
        var overbookedPools = 0;
        for (var h = 0; h < hosts.size(); h++) {
            var host = hosts.get(h);
            var hostPath = "$[" + h + "]";
            var name = text(host, "name", source, hostPath);
            var hostParents = array(host, "parents", source, hostPath);
            for (var p = 0; p < hostParents.size(); p++) {
                var parent = hostParents.get(p);
                var parentPath = hostPath + ".parents[" + p + "]";
                var address = text(parent, "address", source, parentPath);
                parents++;
                var parentPools = array(parent, "pools", source, parentPath);
                for (var q = 0; q < parentPools.size(); q++) {
                    var pool = parentPools.get(q);
                    var poolPath = parentPath + ".pools[" + q + "]";
                    var poolName = text(pool, "name", source, poolPath);
                    var capacity = integer(pool, "capacity", source, poolPath);
                    var used = integer(pool, "used", source, poolPath);
                    pools++;
                    if (used > capacity) {
                        overbookedPools++;
                        if (overbooked.size() < SAMPLES) {
                            overbooked.add(name + "/" + address + " " + poolName + ": used " + used + " of " + capacity);
                        }
                    }
                }
            }
        }
        return new Result(hosts.size(), parents, pools, overbookedPools, List.copyOf(overbooked));
    }

    private static String text(JsonNode node, String field, String source, String path) {
        var value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw shape(source, path, "has no text field \"" + field + "\"");
        }
        return value.asText();
    }

    private static JsonNode array(JsonNode node, String field, String source, String path) {
        var value = node.get(field);
        if (value == null || !value.isArray()) {
            throw shape(source, path, "has no array \"" + field + "\"");
        }
        return value;
    }

    private static long integer(JsonNode node, String field, String source, String path) {
        var value = node.get(field);
        if (value == null || !value.isIntegralNumber()) {
            throw shape(source, path, "has no integer \"" + field + "\" (it is " + value + ")");
        }
        return value.asLong();
    }

    private static IllegalArgumentException shape(String source, String path, String what) {
        return new IllegalArgumentException("The hosts view from " + source + " at " + path + " " + what
                + ". Maybe the service's hosts view changed: see docs/api.md, GET /api/v1/hosts.");
    }
}

package io.mdevplan.web.scenario;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenarios' key figures side by side (GET /api/v1/scenarios/compare): per scenario, in the order asked, and per
 * headroom profile any of them counted, each scenario's count.
 */
public record Comparison(List<Compared> scenarios, List<HeadroomRow> headroom) {

    /**
     * One scenario's figures, null until it is done: its workloads, how many are placed and unplaced, its plan's
     * counts against today (creates, moves, removes, keeps, unmovable), when growth runs out of room, and its
     * headroom per profile, as its result has them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Compared(String id, String name, String state, String policy, Integer workloads, Integer placed,
            Integer unplaced, JsonNode plan, JsonNode exhaustion, JsonNode headroom) {
    }

    /**
     * One headroom profile: how many more fit ({@code total}) and on how many hosts at least one does ({@code hosts}),
     * by scenario id; a scenario that did not count the profile is left out.
     */
    public record HeadroomRow(String type, int instances, Map<String, String> hostSelector, Map<String, Long> total,
            Map<String, Integer> hosts) {
    }
}

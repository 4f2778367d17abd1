package io.mdevplan.planner.whatif;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A what-if scenario: a base fleet, changes applied in order, the policy and mode to plan under, growth rates for the
 * time to exhaustion, and the profiles to count headroom for. See docs/whatif.md for every field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScenarioDocument(String name, ScenarioBase base, String policy, String mode, List<ScenarioChange> changes,
        List<Growth> growth, List<WorkloadProfile> headroomProfiles) {

    public static final String PLACE = "place";
    public static final String REPLAN = "replan";

    public ScenarioDocument {
        base = base == null ? ScenarioBase.live() : base;
        changes = copy(changes);
        growth = copy(growth);
        headroomProfiles = copy(headroomProfiles);
    }

    /** A copy that keeps null entries, so that the validator can point at them. */
    private static <T> List<T> copy(List<T> values) {
        return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }
}

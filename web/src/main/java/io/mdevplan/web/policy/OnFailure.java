package io.mdevplan.web.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * What follows a failed create of a placement made under a policy (policies.on_failure): the service's own setting,
 * kept beside the planner's weights.
 */
public enum OnFailure {
    /** The placement stays failed, its capacity free; the scheduler decides what next. */
    RELEASE("release"),
    /** The workload is placed again, away from the parents its creates failed on (a bounded number of times). */
    REPLACE("replace");

    private final String json;

    OnFailure(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static Optional<OnFailure> of(String json) {
        return Arrays.stream(values()).filter(value -> value.json.equals(json)).findFirst();
    }
}

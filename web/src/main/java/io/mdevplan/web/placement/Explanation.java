package io.mdevplan.web.placement;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A dry run of one placement request: {@code outcome} {@code fits} with the parent the policy chooses now
 * ({@code host}, {@code parent}), or {@code refused} with the planner's {@code reason}; {@code acceptingParents} is
 * how many parents the hard rules let take it now, among which the policy chose.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(String workload, String type, int instances, String policy, String outcome, String host,
        String parent, String reason, int acceptingParents) {
}

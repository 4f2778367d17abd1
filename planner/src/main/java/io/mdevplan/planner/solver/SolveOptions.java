package io.mdevplan.planner.solver;

import java.time.Duration;

import ai.timefold.solver.core.config.solver.EnvironmentMode;

import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.policy.PolicyCatalog;

/**
 * How to solve: under which policy, whether existing devices may move, and how long local search may improve the
 * greedy plan. Local search also stops once it has found nothing better for a fifth of the limit (1 to 10 s), so small
 * fleets return at once.
 */
public record SolveOptions(Policy policy, PlanningMode mode, Duration timeLimit, EnvironmentMode environmentMode) {

    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

    public static SolveOptions defaults() {
        return new SolveOptions(PolicyCatalog.defaultPolicy(), PlanningMode.PLACE, DEFAULT_TIME_LIMIT,
                EnvironmentMode.NO_ASSERT);
    }

    public SolveOptions withPolicy(Policy policy) {
        return new SolveOptions(policy, mode, timeLimit, environmentMode);
    }

    public SolveOptions withMode(PlanningMode mode) {
        return new SolveOptions(policy, mode, timeLimit, environmentMode);
    }

    public SolveOptions withTimeLimit(Duration timeLimit) {
        return new SolveOptions(policy, mode, timeLimit, environmentMode);
    }

    public SolveOptions withEnvironmentMode(EnvironmentMode environmentMode) {
        return new SolveOptions(policy, mode, timeLimit, environmentMode);
    }

    public Duration unimprovedLimit() {
        var fifth = timeLimit.dividedBy(5);
        return fifth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : fifth.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : fifth;
    }
}

package io.mdevplan.planner.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

import io.mdevplan.planner.solver.PlacementConstraints;

/**
 * A named set of weights for the soft rules. Hard rules and the unplaced penalty are not weighable: a policy only
 * chooses among placements that break no hard rule and leave no more unplaced.
 */
public record Policy(String name, String description, Map<String, Long> softWeights) {

    public Policy {
        var weights = new LinkedHashMap<String, Long>();
        for (var rule : PlacementConstraints.SOFT_RULES) {
            var weight = softWeights.getOrDefault(rule, 0L);
            if (weight < 0) {
                throw new IllegalArgumentException("Policy " + name + " gives rule " + rule + " the negative weight "
                        + weight + ". Maybe use 0 to switch the rule off.");
            }
            weights.put(rule, weight);
        }
        for (var rule : softWeights.keySet()) {
            if (!weights.containsKey(rule)) {
                throw new IllegalArgumentException("Policy " + name + " weighs the unknown rule " + rule
                        + ". Maybe use one of: " + String.join(", ", PlacementConstraints.SOFT_RULES) + ".");
            }
        }
        softWeights = Collections.unmodifiableMap(weights);
    }

    public long weight(String rule) {
        return softWeights.get(rule);
    }

    public ConstraintWeightOverrides<HardMediumSoftLongScore> constraintWeightOverrides() {
        var overrides = new LinkedHashMap<String, HardMediumSoftLongScore>();
        softWeights.forEach((rule, weight) -> overrides.put(rule, HardMediumSoftLongScore.ofSoft(weight)));
        return ConstraintWeightOverrides.of(overrides);
    }
}

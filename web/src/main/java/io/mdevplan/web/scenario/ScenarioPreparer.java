package io.mdevplan.web.scenario;

import jakarta.inject.Singleton;

import io.mdevplan.planner.whatif.PreparedScenario;
import io.mdevplan.planner.whatif.ScenarioDocument;
import io.mdevplan.planner.whatif.WhatIfEngine;
import io.mdevplan.web.fleet.FleetStore;
import io.mdevplan.web.policy.PolicyService;

/**
 * Checks a scenario against its base with the planner's own rules, as a POST does before queueing and a worker does
 * again before solving (the live fleet may have changed in between): a "live" base is the fleet in the database as
 * capacity stands, and the scenario may name any stored policy, the default one when it names none.
 */
@Singleton
public final class ScenarioPreparer {

    private final FleetStore fleets;
    private final PolicyService policies;

    ScenarioPreparer(FleetStore fleets, PolicyService policies) {
        this.fleets = fleets;
        this.policies = policies;
    }

    /** The scenario applied to its base; the planner's InvalidScenarioException names every problem by JSON path. */
    public PreparedScenario prepare(ScenarioDocument document, String source) {
        var live = document.base().isLive() ? fleets.planningFleet() : null;
        return WhatIfEngine.prepare(withDefaultPolicy(document), source, live, policies.all());
    }

    /** The planner's default is its built-in one; the service's is the stored default. */
    private ScenarioDocument withDefaultPolicy(ScenarioDocument document) {
        if (document.policy() != null) {
            return document;
        }
        return policies.defaultName()
                .map(name -> new ScenarioDocument(document.name(), document.base(), name, document.mode(),
                        document.changes(), document.growth(), document.headroomProfiles()))
                .orElse(document);
    }
}

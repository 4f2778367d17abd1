package io.mdevplan.web.health;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.mdevplan.web.policy.PolicyService;

/** Ready only with a default policy: placements that name none need it (the start-up seeds one). */
@Readiness
@Singleton
public final class DefaultPolicyCheck implements HealthCheck {

    static final String NAME = "mdevplan default policy";

    private final PolicyService policies;

    DefaultPolicyCheck(PolicyService policies) {
        this.policies = policies;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named(NAME);
        return policies.defaultName()
                .map(name -> builder.up().withData("policy", name))
                .orElseGet(() -> builder.down().withData("fix", "PUT /api/v1/policies/{name} with \"default\": true"))
                .build();
    }
}

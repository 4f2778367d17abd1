package io.mdevplan.web.demo;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.mdevplan.web.auth.TokenService;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.placement.PlacementIndexSync;
import io.mdevplan.web.policy.PolicyService;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;

/**
 * What a start does once the schema is migrated: built-in policies, an admin token when none lives, the demo fleet,
 * the placement index, and where to look.
 */
@Singleton
public final class StartupTasks {

    private static final Logger LOG = Logger.getLogger(StartupTasks.class);

    private final PolicyService policies;
    private final TokenService tokens;
    private final DemoFleetSeeder demoFleet;
    private final PlacementIndexSync placementIndex;
    private final boolean demoEnabled;

    StartupTasks(PolicyService policies, TokenService tokens, DemoFleetSeeder demoFleet,
            PlacementIndexSync placementIndex, MdevplanConfig config) {
        this.policies = policies;
        this.tokens = tokens;
        this.demoFleet = demoFleet;
        this.placementIndex = placementIndex;
        this.demoEnabled = config.demoFleet().enabled();
    }

    void onStart(@Observes StartupEvent event) {
        var seeded = policies.seedBuiltIns();
        if (seeded > 0) {
            LOG.infof("Seeded %d built-in placement policies", seeded);
        }
        tokens.ensureAdminToken();
        demoFleet.seedOnFirstStart(demoEnabled);
        // the first placement request should not wait for a whole fleet to load
        placementIndex.ensureBuilt();
    }

    /** Fired asynchronously once the HTTP server listens, with the port it got. */
    void onListening(@ObservesAsync HttpServerStart start) {
        var base = "http://localhost:" + start.options().getPort();
        LOG.infof("mdevplan API: %s/api/v1 (OpenAPI %s/q/openapi, Swagger UI %s/q/swagger-ui, health %s/q/health,"
                + " metrics %s/q/metrics)", base, base, base, base, base);
    }
}

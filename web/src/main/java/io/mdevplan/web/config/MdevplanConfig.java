package io.mdevplan.web.config;

import java.nio.file.Path;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own settings (mdevplan.*); the datasource keeps Quarkus' quarkus.datasource.* keys. */
@ConfigMapping(prefix = "mdevplan")
public interface MdevplanConfig {

    /**
     * Where the embedded PostgreSQL keeps its data when no quarkus.datasource.jdbc.url is set (env MDEVPLAN_DATA_DIR).
     * The server itself starts from config (EmbeddedDatabaseConfigSourceFactory reads the same key, before beans).
     */
    Path dataDir();

    DemoFleet demoFleet();

    Limits limits();

    /** The fleet seeded on the first start over an empty database, so a fresh service has something to show. */
    interface DemoFleet {

        /** Seed it at all (true in production, false in tests). */
        @WithDefault("true")
        boolean enabled();

        /** How many hosts the planner's fleet generator makes. */
        @WithDefault("36")
        int hosts();

        /** The generator's seed: the same seed gives the same fleet. */
        @WithDefault("20240601")
        long seed();
    }

    /** Request body caps; quarkus.http.limits.max-body-size must be at least the largest of them. */
    interface Limits {

        /** POST /api/v1/fleet: a whole fleet document. */
        @WithDefault("16M")
        MemorySize fleetBody();

        /** Every other request body (one host's inventory, a policy). */
        @WithDefault("1M")
        MemorySize body();
    }
}

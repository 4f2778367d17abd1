package io.mdevplan.web.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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

    Placement placement();

    Dispatch dispatch();

    Scenarios scenarios();

    Auth auth();

    /** Bearer tokens (docs/security.md). */
    interface Auth {

        /**
         * Whether a request needs a token. false makes every caller an admin: for a local demo only (the start
         * warns).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The secret of the admin token a start makes when no admin token lives (automation, tests); unset, the
         * start makes a random one and logs it once. "mdp_" and 43 base64url characters.
         */
        Optional<String> bootstrapAdminToken();

        /** How long a verified token is remembered: a revocation reaches the other replicas within it. */
        @WithDefault("10s")
        Duration cacheTtl();
    }

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

        /** POST /api/v1/fleet: a whole fleet document; also POST /api/v1/scenarios, which may embed one. */
        @WithDefault("16M")
        MemorySize fleetBody();

        /** Every other request body (one host's inventory, a policy). */
        @WithDefault("1M")
        MemorySize body();
    }

    /** Online placement: the in-memory index of free capacity and the commit that checks it. */
    interface Placement {

        /**
         * How often the index reads every host's books version and reloads the hosts other replicas changed. A stale
         * index never overbooks (every commit re-checks its host under the host's row lock); it only chooses less
         * well and may refuse for capacity freed since. At least 1s: Quarkus' scheduler runs a shorter interval only
         * once a second (and warns at start).
         */
        @WithDefault("1s")
        Duration syncInterval();

        /** A refusal is confirmed against the database when the index's last sync is older than this. */
        @WithDefault("200ms")
        Duration refusalMaxAge();

        /**
         * Commit rounds a request may be carried through before it gives up with 503: its host was locked by another
         * writer, its view stale, or its round's transaction failed.
         */
        @WithDefault("8")
        int attempts();

        /** The most requests one commit round decides and writes in one transaction. */
        @WithDefault("256")
        int roundMaxRequests();

        /** How long a request waits for its commit round before it gives up with 503. */
        @WithDefault("30s")
        Duration commitWait();

        /** The solver's time limit for POST /api/v1/placements:batch when the request sets none. */
        @WithDefault("2s")
        Duration batchTimeLimit();

        /** The largest time limit a batch may ask for. */
        @WithDefault("60s")
        Duration batchMaxTimeLimit();

        /** The most requests one batch may carry. */
        @WithDefault("10000")
        int batchMaxRequests();
    }

    /** Dispatch: the actions hosts fetch by long poll (GET /api/v1/hosts/{name}/actions) and their results. */
    interface Dispatch {

        /**
         * How often waiting long polls look in the database for actions other replicas wrote; this replica's own
         * wake its long polls at once.
         */
        @WithDefault("500ms")
        Duration pollInterval();

        /** The longest ?wait= a long poll may ask for. */
        @WithDefault("60s")
        Duration maxWait();

        /** The most actions one answer hands out; the rest come with the next poll. */
        @WithDefault("1000")
        int maxActions();

        /** Threads that hand out actions to waiting long polls (a waiting poll holds none). */
        @WithDefault("4")
        int threads();

        /**
         * How many times in a row a workload is placed again after its create failed, under a policy whose
         * onFailure is replace; then it stays failed. Bounds the creates a driver failing on every host costs.
         */
        @WithDefault("3")
        int maxReplacements();
    }

    /** What-if scenarios: the queue in the database, the workers on each replica that solve them, their commits. */
    interface Scenarios {

        /** Workers on this replica, each solving one scenario at a time (0: this replica solves none). */
        @WithDefault("1")
        int workers();

        /**
         * This replica's name in the queue: a restarted replica queues again (or fails) the scenarios it held under
         * this name before, at once rather than when their leases run out. Default: the host name and HTTP port.
         */
        Optional<String> replicaId();

        /**
         * How long a worker holds a scenario without renewing; a replica that dies loses its scenarios to others
         * this long after its last renewal.
         */
        @WithDefault("30s")
        Duration lease();

        /**
         * How often a worker renews its lease, stores its progress and looks whether its scenario was cancelled
         * (through another replica); well below the lease.
         */
        @WithDefault("1s")
        Duration heartbeat();

        /** How often an idle worker looks for a queued scenario, and expired leases and reservations are looked for. */
        @WithDefault("1s")
        Duration pollInterval();

        /** How often GET /api/v1/scenarios/{id}/events reads the scenario for new progress. */
        @WithDefault("500ms")
        Duration eventsInterval();

        /** The solve's time limit of a scenario posted without ?timeLimit=. */
        @WithDefault("10s")
        Duration timeLimit();

        /** The longest ?timeLimit= a scenario may ask for. */
        @WithDefault("10m")
        Duration maxTimeLimit();

        /**
         * How many times workers may take a scenario: one whose lease expired (or whose replica restarted while
         * running it) that many times fails instead of being queued again.
         */
        @WithDefault("3")
        int maxAttempts();

        /** How long reservations of a commit in mode reserve hold when the commit sets no ttlSeconds. */
        @WithDefault("1h")
        Duration reservationTtl();

        /** The longest a commit in mode reserve may ask its reservations to hold. */
        @WithDefault("7d")
        Duration reservationMaxTtl();

        /** The most scenarios GET /api/v1/scenarios/compare sets side by side. */
        @WithDefault("20")
        int compareMax();
    }
}

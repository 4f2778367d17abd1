package io.mdevplan.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Runs the migrations on a real PostgreSQL and checks that the schema keeps bad rows out. */
class MigrationsTest {

    private static final String CHECK_VIOLATION = "23514";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void migrate() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        assertThat(result.success).isTrue();
        assertThat(result.targetSchemaVersion).isEqualTo("7");
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        execute("TRUNCATE hosts, policies, placements, service_markers, scenarios, api_tokens CASCADE");
    }

    @Test
    void createsTheInventoryTables() throws SQLException {
        var tables = query("SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");

        assertThat(tables).contains("hosts", "parents", "pools", "types", "type_costs", "devices", "placements",
                "policies", "service_markers", "host_actions", "scenarios", "flyway_schema_history");
    }

    @Test
    void everyForeignKeyHasAnIndexLeadingWithItsColumns() throws SQLException {
        // A foreign key without such an index makes every delete of the referenced row scan the child table.
        var unindexed = query("""
                SELECT c.conrelid::regclass || '.' || c.conname FROM pg_constraint c
                WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_index i
                    WHERE i.indrelid = c.conrelid
                      AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                      AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
                """);

        assertThat(unindexed).isEmpty();
    }

    @Test
    void keepsAWholeFleetEntry() throws SQLException {
        var parent = insertMttyParent();
        execute("INSERT INTO devices (uuid, parent_id, type_id, instances, workload)"
                + " VALUES ('8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b', " + parent + ", 'mtty-2', 1, 'vm-1')");
        execute("INSERT INTO policies (name, weights, is_default) VALUES ('pack', '{\"fragmentation\": 3}', true)");
        execute("INSERT INTO placements (workload, type_id, policy, parent_id, device_uuid, state) VALUES"
                + " ('vm-1', 'mtty-2', 'pack', " + parent + ", '8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b', 'active')");

        assertThat(query("SELECT p.state || ' on ' || h.name || '/' || pa.address FROM placements p"
                + " JOIN parents pa ON pa.id = p.parent_id JOIN hosts h ON h.id = pa.host_id"))
                .containsExactly("active on host-a/mtty");
        assertThat(query("SELECT tc.pool_name || '=' || tc.cost FROM type_costs tc JOIN types t ON t.id = tc.type_ref"
                + " WHERE t.type_id = 'mtty-2'")).containsExactly("ports=2");
    }

    @Test
    void refusesZeroInstances() throws SQLException {
        var parent = insertMttyParent();

        assertRefused("INSERT INTO devices (uuid, parent_id, type_id, instances)"
                + " VALUES ('8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b', " + parent + ", 'mtty-1', 0)", CHECK_VIOLATION);
        assertRefused("INSERT INTO placements (workload, type_id, instances) VALUES ('vm-1', 'mtty-1', 0)",
                CHECK_VIOLATION);
    }

    @Test
    void refusesAnUnknownPlacementState() {
        assertRefused("INSERT INTO placements (workload, type_id, state) VALUES ('vm-1', 'mtty-1', 'running')",
                CHECK_VIOLATION);
    }

    @Test
    void refusesAnActivePlacementWithoutTarget() {
        assertRefused("INSERT INTO placements (workload, type_id, state) VALUES ('vm-1', 'mtty-1', 'active')",
                CHECK_VIOLATION);
    }

    @Test
    void aVanishedParentLeavesItsMarkedPlacementsWithoutParent() throws SQLException {
        var parent = insertMttyParent();
        execute("INSERT INTO placements (workload, type_id, parent_id, device_uuid, state) VALUES"
                + " ('vm-1', 'mtty-2', " + parent + ", '8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b', 'active')");
        execute("UPDATE placements SET drift = 'parent mtty is no longer reported' WHERE workload = 'vm-1'");

        execute("DELETE FROM parents WHERE id = " + parent);

        assertThat(query("SELECT state || ' ' || coalesce(parent_id::text, 'none') || ' ' || drift FROM placements"))
                .containsExactly("active none parent mtty is no longer reported");
    }

    @Test
    void anActivePlacementKeepsItsParentUnlessItCarriesDrift() throws SQLException {
        var parent = insertMttyParent();
        execute("INSERT INTO placements (workload, type_id, parent_id, device_uuid, state) VALUES"
                + " ('vm-1', 'mtty-2', " + parent + ", '8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b', 'active')");

        assertRefused("DELETE FROM parents WHERE id = " + parent, CHECK_VIOLATION);
    }

    @Test
    void aWorkloadHasOneLivePlacementButMayBePlacedAgainOnceReleased() throws SQLException {
        execute("INSERT INTO placements (workload, type_id, state) VALUES ('vm-1', 'mtty-1', 'pending')");

        assertRefused("INSERT INTO placements (workload, type_id, state) VALUES ('vm-1', 'mtty-2', 'pending')",
                UNIQUE_VIOLATION);
        execute("UPDATE placements SET state = 'released' WHERE workload = 'vm-1'");
        execute("INSERT INTO placements (workload, type_id, state) VALUES ('vm-1', 'mtty-2', 'pending')");
        assertThat(query("SELECT type_id || ' ' || state FROM placements WHERE workload = 'vm-1' ORDER BY id"))
                .containsExactly("mtty-1 released", "mtty-2 pending");
    }

    @Test
    void hostsStartAtUsageVersionZero() throws SQLException {
        execute("INSERT INTO hosts (name) VALUES ('host-x')");

        assertThat(query("SELECT usage_version FROM hosts")).containsExactly("0");
    }

    @Test
    void plainInsertsStillWorkBesideIdBlocks() throws SQLException {
        execute("INSERT INTO hosts (name) VALUES ('host-x'), ('host-y')");

        var ids = query("SELECT id FROM hosts ORDER BY id");
        assertThat(Long.parseLong(ids.get(1)) - Long.parseLong(ids.get(0))).isEqualTo(50);
    }

    @Test
    void upgradingFromV1KeepsExistingIdsOutOfTheBlocksHibernateAllocates() throws SQLException {
        execute("DROP DATABASE IF EXISTS upgrade");
        execute("CREATE DATABASE upgrade");
        var upgrade = postgres.getDatabase("postgres", "upgrade");
        Flyway.configure().dataSource(upgrade).locations("classpath:db/migration").target("1").load().migrate();
        try (var connection = upgrade.getConnection(); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO hosts (name) SELECT 'host-' || n FROM generate_series(1, 70) AS n");

            Flyway.configure().dataSource(upgrade).locations("classpath:db/migration").load().migrate();

            // Hibernate's pooled ids: each nextval() value v hands out v - 49 .. v
            try (var rows = statement.executeQuery("SELECT nextval('hosts_id_seq') - 49 > max(id) FROM hosts")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getBoolean(1)).isTrue();
            }
            statement.execute("INSERT INTO hosts (name) VALUES ('after-upgrade')");
        }
    }

    @Test
    void aMarkerIsSetOnce() throws SQLException {
        execute("INSERT INTO service_markers (name) VALUES ('demo-fleet')");

        assertRefused("INSERT INTO service_markers (name) VALUES ('demo-fleet')", UNIQUE_VIOLATION);
    }

    @Test
    void refusesAFailedPlacementWithoutReason() {
        assertRefused("INSERT INTO placements (workload, type_id, state) VALUES ('vm-1', 'mtty-1', 'failed')",
                CHECK_VIOLATION);
    }

    @Test
    void refusesAnUnknownAggregationAndAggregationWithoutSupport() throws SQLException {
        var parent = insertMttyParent();

        assertRefused("INSERT INTO types (parent_id, type_id, aggregation) VALUES (" + parent + ", 'x', 'magic')",
                CHECK_VIOLATION);
        assertRefused("INSERT INTO types (parent_id, type_id, aggregation, max_aggregation)"
                + " VALUES (" + parent + ", 'x', 'none', 4)", CHECK_VIOLATION);
    }

    @Test
    void refusesEmptyPoolsAndNegativeCosts() throws SQLException {
        var parent = insertMttyParent();

        assertRefused("INSERT INTO pools (parent_id, name, capacity) VALUES (" + parent + ", 'memory', 0)",
                CHECK_VIOLATION);
        assertRefused("INSERT INTO type_costs (type_ref, pool_name, cost)"
                + " SELECT id, 'memory', -1 FROM types WHERE type_id = 'mtty-1'", CHECK_VIOLATION);
    }

    @Test
    void refusesADeviceOfATypeItsParentDoesNotOffer() throws SQLException {
        var parent = insertMttyParent();

        assertRefused("INSERT INTO devices (uuid, parent_id, type_id)"
                + " VALUES ('8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b', " + parent + ", 'nvidia-46')",
                FOREIGN_KEY_VIOLATION);
    }

    @Test
    void refusesDuplicateHostsAndASecondDefaultPolicy() throws SQLException {
        insertMttyParent();
        execute("INSERT INTO policies (name, is_default) VALUES ('pack', true)");

        assertRefused("INSERT INTO hosts (name) VALUES ('host-a')", UNIQUE_VIOLATION);
        assertRefused("INSERT INTO policies (name, is_default) VALUES ('spread', true)", UNIQUE_VIOLATION);
    }

    @Test
    void refusesLabelsThatAreNotAnObject() {
        assertRefused("INSERT INTO hosts (name, labels) VALUES ('host-b', '[\"gpu\"]')", CHECK_VIOLATION);
    }

    @Test
    void keepsAHostsActionsInTheOrderTheyWereWritten() throws SQLException {
        var placement = insertActivePlacement();
        execute("INSERT INTO host_actions (host_id, placement_id, op, device_uuid, parent_address, type_id, instances,"
                + " attrs) SELECT h.id, " + placement + ", 'create', '8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b', 'mtty',"
                + " 'mtty-2', 1, '[{\"mdev/weight\": \"2\"}]' FROM hosts h");
        execute("INSERT INTO host_actions (host_id, placement_id, op, device_uuid)"
                + " SELECT h.id, " + placement + ", 'remove', '8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b' FROM hosts h");

        assertThat(query("SELECT op || ' ' || state || ' ' || attrs::text FROM host_actions ORDER BY id"))
                .containsExactly("create pending [{\"mdev/weight\": \"2\"}]", "remove pending []");
        var ids = query("SELECT id FROM host_actions ORDER BY id");
        assertThat(Long.parseLong(ids.get(1)) - Long.parseLong(ids.get(0))).isEqualTo(50);
    }

    @Test
    void refusesActionsThatCannotBeApplied() throws SQLException {
        var placement = insertActivePlacement();
        var columns = "INSERT INTO host_actions (host_id, placement_id, op, device_uuid, parent_address, type_id,"
                + " instances, attrs, state, result_errno, result_message) SELECT h.id, " + placement + ", ";
        var uuid = "'8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b'";

        assertRefused(columns + "'rename', " + uuid + ", 'mtty', 'mtty-2', 1, '[]', 'pending', null, null"
                + " FROM hosts h", CHECK_VIOLATION);
        assertRefused(columns + "'create', " + uuid + ", null, 'mtty-2', 1, '[]', 'pending', null, null"
                + " FROM hosts h", CHECK_VIOLATION);
        assertRefused(columns + "'create', " + uuid + ", 'mtty', 'mtty-2', 0, '[]', 'pending', null, null"
                + " FROM hosts h", CHECK_VIOLATION);
        assertRefused(columns + "'create', " + uuid + ", 'mtty', 'mtty-2', 1, '{}', 'pending', null, null"
                + " FROM hosts h", CHECK_VIOLATION);
        assertRefused(columns + "'create', " + uuid + ", 'mtty', 'mtty-2', 1, '[]', 'applied', null, null"
                + " FROM hosts h", CHECK_VIOLATION);
        assertRefused(columns + "'create', " + uuid + ", 'mtty', 'mtty-2', 1, '[]', 'failed', 'ENOSPC', null"
                + " FROM hosts h", CHECK_VIOLATION);
        assertRefused(columns + "'remove', " + uuid + ", null, null, null, '[]', 'pending', 'EBUSY', 'busy'"
                + " FROM hosts h", CHECK_VIOLATION);
        assertRefused("INSERT INTO host_actions (host_id, placement_id, op, device_uuid) VALUES (999999, "
                + placement + ", 'remove', " + uuid + ")", FOREIGN_KEY_VIOLATION);
        execute(columns + "'create', " + uuid + ", 'mtty', 'mtty-2', 1, '[]', 'failed', null, 'refused'"
                + " FROM hosts h");
        assertRefused(columns + "'create', " + uuid + ", 'mtty', 'mtty-2', 1, '[]', 'pending', null, null"
                + " FROM hosts h", UNIQUE_VIOLATION);
    }

    @Test
    void anActionGoesWithItsPlacement() throws SQLException {
        var placement = insertActivePlacement();
        execute("INSERT INTO host_actions (host_id, placement_id, op, device_uuid)"
                + " SELECT h.id, " + placement + ", 'remove', '8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b' FROM hosts h");

        execute("DELETE FROM placements");

        assertThat(query("SELECT count(*) FROM host_actions")).containsExactly("0");
    }

    @Test
    void hostsKeepTheirExecutorsLastHeartbeat() throws SQLException {
        execute("INSERT INTO hosts (name) VALUES ('host-x')");
        assertThat(query("SELECT concat_ws(',', executor_version, executor_started_at, last_heartbeat,"
                + " last_inventory_at) FROM hosts")).containsExactly("");

        execute("UPDATE hosts SET executor_version = '0.1.0', executor_started_at = '2026-11-27T03:55:00Z',"
                + " last_heartbeat = '2026-11-27T04:00:00Z'");

        assertThat(query("SELECT executor_version || ' ' || (last_heartbeat - executor_started_at) FROM hosts"))
                .containsExactly("0.1.0 00:05:00");
    }

    @Test
    void upgradingFromV4TakesTheLastInventoryReportFromTheLastHeartbeat() throws SQLException {
        execute("DROP DATABASE IF EXISTS upgrade_v4");
        execute("CREATE DATABASE upgrade_v4");
        var upgrade = postgres.getDatabase("postgres", "upgrade_v4");
        Flyway.configure().dataSource(upgrade).locations("classpath:db/migration").target("4").load().migrate();
        try (var connection = upgrade.getConnection(); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO hosts (name, last_heartbeat) VALUES ('reported', now()),"
                    + " ('imported', null)");

            Flyway.configure().dataSource(upgrade).locations("classpath:db/migration").load().migrate();

            try (var rows = statement.executeQuery("SELECT name, last_inventory_at IS NOT DISTINCT FROM last_heartbeat,"
                    + " last_inventory_at IS NULL FROM hosts ORDER BY name")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1) + " " + rows.getBoolean(2) + " " + rows.getBoolean(3))
                        .isEqualTo("imported true true");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1) + " " + rows.getBoolean(2) + " " + rows.getBoolean(3))
                        .isEqualTo("reported true false");
            }
        }
    }

    @Test
    void pendingAndFailedActionsAreCountedByAnIndexOfThemAlone() throws SQLException {
        assertThat(query("SELECT indexdef FROM pg_indexes WHERE indexname = 'host_actions_pending_failed_idx'"))
                .singleElement().asString().contains("(host_id, state)", "WHERE", "pending", "failed");
    }

    @Test
    void aPolicyReleasesAFailedCreateUnlessItSaysReplace() throws SQLException {
        execute("INSERT INTO policies (name) VALUES ('pack')");
        execute("INSERT INTO policies (name, on_failure) VALUES ('retry', 'replace')");

        assertThat(query("SELECT name || ' ' || on_failure FROM policies ORDER BY name"))
                .containsExactly("pack release", "retry replace");
        assertRefused("INSERT INTO policies (name, on_failure) VALUES ('odd', 'retry')", CHECK_VIOLATION);
    }

    @Test
    void aFailedPlacementIsReplacedAtMostOnceAndOutlivesNothing() throws SQLException {
        var failed = query("INSERT INTO placements (workload, type_id, state, reason)"
                + " VALUES ('vm-1', 'mtty-1', 'failed', 'ENOSPC: no room') RETURNING id").get(0);
        execute("INSERT INTO placements (workload, type_id, state, replacement_of, replacements)"
                + " VALUES ('vm-1', 'mtty-1', 'pending', " + failed + ", 1)");

        assertThat(query("SELECT state || ' ' || replacements FROM placements ORDER BY id"))
                .containsExactly("failed 0", "pending 1");
        assertRefused("INSERT INTO placements (workload, type_id, state, reason, replacement_of, replacements)"
                + " VALUES ('vm-1', 'mtty-1', 'failed', 'EINVAL: bad', " + failed + ", 1)", UNIQUE_VIOLATION);
        assertRefused("INSERT INTO placements (workload, type_id, replacements) VALUES ('vm-2', 'mtty-1', -1)",
                CHECK_VIOLATION);

        execute("DELETE FROM placements WHERE id = " + failed);

        assertThat(query("SELECT state || ' ' || coalesce(replacement_of::text, 'none') FROM placements"))
                .containsExactly("pending none");
    }

    @Test
    void aScenarioGoesFromQueuedToRunningUnderALeaseToDoneWithItsResult() throws SQLException {
        var id = insertScenario();
        assertThat(query("SELECT state || ' ' || attempts || ' ' || cancel_requested FROM scenarios"))
                .containsExactly("queued 0 false");

        execute("UPDATE scenarios SET state = 'running', worker = 'replica-a', attempts = 1,"
                + " lease_until = now() + interval '30 seconds', started_at = now() WHERE id = " + id);
        execute("UPDATE scenarios SET state = 'done', result = '{\"placed\": 3}', finished_at = now(),"
                + " lease_until = NULL WHERE id = " + id);

        assertThat(query("SELECT state || ' ' || worker || ' ' || (result ->> 'placed') FROM scenarios"))
                .containsExactly("done replica-a 3");
    }

    @Test
    void refusesScenariosInAStateTheirColumnsContradict() throws SQLException {
        var id = insertScenario();

        assertRefused("UPDATE scenarios SET state = 'paused' WHERE id = " + id, CHECK_VIOLATION);
        // running needs a worker and a lease
        assertRefused("UPDATE scenarios SET state = 'running', worker = 'replica-a' WHERE id = " + id,
                CHECK_VIOLATION);
        assertRefused("UPDATE scenarios SET state = 'done', finished_at = now() WHERE id = " + id, CHECK_VIOLATION);
        assertRefused("UPDATE scenarios SET state = 'failed', finished_at = now() WHERE id = " + id, CHECK_VIOLATION);
        assertRefused("UPDATE scenarios SET state = 'cancelled' WHERE id = " + id, CHECK_VIOLATION);
        assertRefused("UPDATE scenarios SET commit_mode = 'reserve', committed_at = now(),"
                + " reservation_expires_at = now() WHERE id = " + id, CHECK_VIOLATION);
        assertRefused("INSERT INTO scenarios (document, live_base, time_limit_ms) VALUES ('[]', true, 1000)",
                CHECK_VIOLATION);
        assertRefused("INSERT INTO scenarios (document, live_base, time_limit_ms) VALUES ('{}', true, 0)",
                CHECK_VIOLATION);
    }

    @Test
    void aReservedPlacementHasADeviceNameAndIsNotTheWorkloadsLivePlacement() throws SQLException {
        var placement = insertActivePlacement();
        var parent = query("SELECT parent_id FROM placements WHERE id = " + placement).get(0);
        var scenario = insertScenario();

        execute("INSERT INTO placements (workload, type_id, parent_id, device_uuid, state, scenario_id) VALUES"
                + " ('vm-1', 'mtty-2', " + parent + ", '0b7c0e52-57a1-4f51-9b43-8c8a2f0f3d11', 'reserved', "
                + scenario + ")");

        assertThat(query("SELECT state FROM placements WHERE workload = 'vm-1' ORDER BY id"))
                .containsExactly("active", "reserved");
        assertRefused("INSERT INTO placements (workload, type_id, parent_id, state, scenario_id) VALUES"
                + " ('vm-2', 'mtty-2', " + parent + ", 'reserved', " + scenario + ")", CHECK_VIOLATION);
        assertRefused("INSERT INTO placements (workload, type_id, state) VALUES ('vm-3', 'mtty-2', 'held')",
                CHECK_VIOLATION);
    }

    @Test
    void upgradingFromV5KeepsPlacementsAndAddsTheQueue() throws SQLException {
        execute("DROP DATABASE IF EXISTS upgrade_v5");
        execute("CREATE DATABASE upgrade_v5");
        var upgrade = postgres.getDatabase("postgres", "upgrade_v5");
        Flyway.configure().dataSource(upgrade).locations("classpath:db/migration").target("5").load().migrate();
        try (var connection = upgrade.getConnection(); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO placements (workload, type_id, state, reason)"
                    + " VALUES ('vm-1', 'mtty-1', 'failed', 'ENOSPC: no room')");

            Flyway.configure().dataSource(upgrade).locations("classpath:db/migration").load().migrate();

            try (var rows = statement.executeQuery("SELECT workload || ' ' || state || ' '"
                    + " || coalesce(scenario_id::text, 'none') || ' ' || (SELECT count(*) FROM scenarios)"
                    + " FROM placements")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("vm-1 failed none 0");
            }
        }
    }

    @Test
    void aTokenKeepsOnlyItsHashAndAnExecutorsIsBoundToAHost() throws SQLException {
        var hash = "'" + "ab".repeat(32) + "'";
        execute("INSERT INTO api_tokens (name, role, host, secret_hash, created_by) VALUES ('agent-a', 'executor',"
                + " 'host-a', " + hash + ", 'test')");
        assertRefused("INSERT INTO api_tokens (name, role, secret_hash, created_by) VALUES ('agent-b', 'executor', '"
                + "cd".repeat(32) + "', 'test')", CHECK_VIOLATION);
        assertRefused("INSERT INTO api_tokens (name, role, host, secret_hash, created_by) VALUES ('ops', 'admin',"
                + " 'host-a', '" + "cd".repeat(32) + "', 'test')", CHECK_VIOLATION);
        assertRefused("INSERT INTO api_tokens (name, role, secret_hash, created_by) VALUES ('ops', 'root', '"
                + "cd".repeat(32) + "', 'test')", CHECK_VIOLATION);
        assertRefused("INSERT INTO api_tokens (name, role, secret_hash, created_by) VALUES ('ops', 'admin',"
                + " 'plain-secret', 'test')", CHECK_VIOLATION);
        assertRefused("INSERT INTO api_tokens (name, role, secret_hash, created_by) VALUES ('ops', 'admin', " + hash
                + ", 'test')", UNIQUE_VIOLATION);
    }

    @Test
    void aRevokedTokensNameMayBeUsedAgainALiveOnesMayNot() throws SQLException {
        execute("INSERT INTO api_tokens (name, role, secret_hash, created_by) VALUES ('ops', 'admin', '"
                + "ab".repeat(32) + "', 'test')");
        assertRefused("INSERT INTO api_tokens (name, role, secret_hash, created_by) VALUES ('ops', 'planner', '"
                + "cd".repeat(32) + "', 'test')", UNIQUE_VIOLATION);
        execute("UPDATE api_tokens SET revoked_at = now() WHERE name = 'ops'");
        execute("INSERT INTO api_tokens (name, role, secret_hash, created_by) VALUES ('ops', 'planner', '"
                + "cd".repeat(32) + "', 'test')");
        assertThat(query("SELECT count(*) FROM api_tokens WHERE name = 'ops'")).containsExactly("2");
    }

    /** A queued scenario on the live fleet; answers its id. */
    private static long insertScenario() throws SQLException {
        return Long.parseLong(query("INSERT INTO scenarios (name, document, live_base, time_limit_ms)"
                + " VALUES ('grow', '{\"base\": \"live\"}', true, 10000) RETURNING id").get(0));
    }

    /** An active vm-1 placement of mtty-2 on host-a's mtty parent; answers its id. */
    private static long insertActivePlacement() throws SQLException {
        var parent = insertMttyParent();
        return Long.parseLong(query("INSERT INTO placements (workload, type_id, parent_id, device_uuid, state)"
                + " VALUES ('vm-1', 'mtty-2', " + parent + ", '8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b', 'active')"
                + " RETURNING id").get(0));
    }

    /** Inserts host-a with an mtty parent offering mtty-1 (1 port) and mtty-2 (2 ports) of a 24-port pool. */
    private static long insertMttyParent() throws SQLException {
        execute("INSERT INTO hosts (name, labels) VALUES ('host-a', '{\"zone\": \"a\"}')");
        var parent = Long.parseLong(query("INSERT INTO parents (host_id, address, driver)"
                + " SELECT id, 'mtty', 'mtty' FROM hosts WHERE name = 'host-a' RETURNING id").get(0));
        execute("INSERT INTO pools (parent_id, name, capacity) VALUES (" + parent + ", 'ports', 24)");
        execute("INSERT INTO types (parent_id, type_id, name, device_api) VALUES"
                + " (" + parent + ", 'mtty-1', 'Single port serial', 'vfio-pci'),"
                + " (" + parent + ", 'mtty-2', 'Dual port serial', 'vfio-pci')");
        execute("INSERT INTO type_costs (type_ref, pool_name, cost)"
                + " SELECT id, 'ports', CASE type_id WHEN 'mtty-1' THEN 1 ELSE 2 END FROM types"
                + " WHERE parent_id = " + parent);
        return parent;
    }

    private static void assertRefused(String sql, String sqlState) {
        assertThatThrownBy(() -> execute(sql))
                .isInstanceOf(PSQLException.class)
                .extracting(e -> ((PSQLException) e).getSQLState())
                .isEqualTo(sqlState);
    }

    private static void execute(String sql) throws SQLException {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> query(String sql) throws SQLException {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            var values = new ArrayList<String>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}

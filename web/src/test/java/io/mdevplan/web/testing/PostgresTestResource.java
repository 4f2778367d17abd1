package io.mdevplan.web.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL the tests run against: the server named by MDEVPLAN_TEST_JDBC_URL (with MDEVPLAN_TEST_JDBC_USER
 * and MDEVPLAN_TEST_JDBC_PASSWORD) when set, otherwise a throw-away embedded one in a temporary directory.
 */
public final class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        var url = System.getenv("MDEVPLAN_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return Map.of(
                    "quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", System.getenv().getOrDefault("MDEVPLAN_TEST_JDBC_USER", "postgres"),
                    "quarkus.datasource.password", System.getenv().getOrDefault("MDEVPLAN_TEST_JDBC_PASSWORD", ""));
        }
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL for the tests. Maybe set"
                    + " MDEVPLAN_TEST_JDBC_URL to a running server instead.", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", "postgres");
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot stop the tests' embedded PostgreSQL.", e);
            }
        }
    }
}

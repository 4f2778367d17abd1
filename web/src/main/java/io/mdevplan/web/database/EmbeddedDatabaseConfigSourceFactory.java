package io.mdevplan.web.database;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Points the default datasource at the embedded PostgreSQL when no quarkus.datasource.jdbc.url is configured.
 * Config comes before beans and the datasource reads its URL while Quarkus builds its runtime config, so the server
 * starts from here. Registered in META-INF/services, which Quarkus honours in the runnable jar, in dev mode and in
 * tests (where the test resource's URL turns this off).
 */
public final class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String DATA_DIR = "mdevplan.data-dir";

    /** Above application.properties (250), so a stray username there cannot break the embedded login. */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // The build reads every property too (ExecutionMode UNSET), and so does static init: start nothing there.
        var mode = ExecutionMode.current();
        if (mode != ExecutionMode.RUNTIME_INIT && mode != ExecutionMode.RUNNING) {
            return List.of();
        }
        if (context.getValue(JDBC_URL).getValue() != null) {
            return List.of();
        }
        var dataDir = context.getValue(DATA_DIR).getValue();
        if (dataDir == null || dataDir.isBlank()) {
            throw new IllegalStateException("Neither " + JDBC_URL + " nor " + DATA_DIR + " is set. Maybe set"
                    + " MDEVPLAN_DATA_DIR to a directory for the embedded PostgreSQL, or QUARKUS_DATASOURCE_JDBC_URL.");
        }
        var server = EmbeddedPostgresServer.start(Path.of(dataDir));
        return List.of(new PropertiesConfigSource(Map.of(JDBC_URL, server.jdbcUrl(), USERNAME, server.user()),
                "mdevplan embedded PostgreSQL in " + server.dataDirectory(), ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(100);
    }
}

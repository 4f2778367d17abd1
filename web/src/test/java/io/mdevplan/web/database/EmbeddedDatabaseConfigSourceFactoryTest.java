package io.mdevplan.web.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.runtime.ExecutionModeManager;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class EmbeddedDatabaseConfigSourceFactoryTest {

    private static final String URL = EmbeddedDatabaseConfigSourceFactory.JDBC_URL;

    @TempDir
    Path dataDir;

    @AfterEach
    void reset() {
        EmbeddedPostgresServer.stop();
        ExecutionModeManager.unset();
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new EmbeddedDatabaseConfigSourceFactory())
                .build();
    }

    @Test
    void atRuntimeWithoutAUrlItStartsTheEmbeddedServer() throws SQLException {
        ExecutionModeManager.runtimeInit();

        var config = config(Map.of("mdevplan.data-dir", dataDir.toString(), "quarkus.datasource.username", "app"));

        var url = config.getValue(URL, String.class);
        assertThat(url).startsWith("jdbc:postgresql://localhost:").endsWith("/mdevplan");
        assertThat(config.getValue("quarkus.datasource.username", String.class)).isEqualTo("postgres");
        assertThat(EmbeddedPostgresServer.current().dataDirectory()).isEqualTo(dataDir);
        assertThat(EmbeddedPostgresServerTest.queryOne(url, "SELECT current_database()")).isEqualTo("mdevplan");
    }

    @Test
    void aConfiguredUrlWins() {
        ExecutionModeManager.runtimeInit();

        var config = config(Map.of("mdevplan.data-dir", dataDir.toString(),
                URL, "jdbc:postgresql://db.example:5432/mdevplan"));

        assertThat(config.getValue(URL, String.class)).isEqualTo("jdbc:postgresql://db.example:5432/mdevplan");
        assertThat(EmbeddedPostgresServer.current()).isNull();
    }

    @Test
    void theBuildStartsNothing() {
        var config = config(Map.of("mdevplan.data-dir", dataDir.toString()));

        assertThat(config.getOptionalValue(URL, String.class)).isEmpty();
        assertThat(EmbeddedPostgresServer.current()).isNull();
    }

    @Test
    void staticInitStartsNothing() {
        ExecutionModeManager.staticInit();

        var config = config(Map.of("mdevplan.data-dir", dataDir.toString()));

        assertThat(config.getOptionalValue(URL, String.class)).isEmpty();
        assertThat(EmbeddedPostgresServer.current()).isNull();
    }

    @Test
    void refusesToGuessWithoutDataDirectory() {
        ExecutionModeManager.runtimeInit();

        assertThatThrownBy(() -> config(Map.of()))
                .hasMessageContaining("Neither quarkus.datasource.jdbc.url nor mdevplan.data-dir is set. Maybe");
    }
}

package io.mdevplan.web.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @Test
    void keepsItsDataAcrossRestarts(@TempDir Path dataDir) throws SQLException {
        try {
            var first = EmbeddedPostgresServer.start(dataDir);
            execute(first.jdbcUrl(), "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
            EmbeddedPostgresServer.stop();
            assertThat(EmbeddedPostgresServer.current()).isNull();
            assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();

            var second = EmbeddedPostgresServer.start(dataDir);

            assertThat(queryOne(second.jdbcUrl(), "SELECT value FROM kept")).isEqualTo("still here");
            assertThat(queryOne(second.jdbcUrl(), "SELECT current_database()")).isEqualTo("mdevplan");
        } finally {
            EmbeddedPostgresServer.stop();
        }
    }

    @Test
    void stoppingWhenNothingRunsDoesNothing() {
        EmbeddedPostgresServer.stop();

        assertThat(EmbeddedPostgresServer.current()).isNull();
    }

    /** One server for these tests: each initdb costs seconds on this machine. */
    @Nested
    class WhileRunning {

        @TempDir
        static Path dataDir;
        private static EmbeddedPostgresServer server;

        @BeforeAll
        static void start() {
            server = EmbeddedPostgresServer.start(dataDir);
        }

        @AfterAll
        static void stop() {
            EmbeddedPostgresServer.stop();
        }

        @Test
        void listensOnLoopbackOnlyAndCommitsSynchronously() throws SQLException {
            assertThat(queryOne(server.jdbcUrl(), "SHOW listen_addresses")).isEqualTo("localhost");
            assertThat(queryOne(server.jdbcUrl(), "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(queryOne(server.jdbcUrl(), "SHOW fsync")).isEqualTo("on");
        }

        @Test
        void startingAgainOverTheSameDirectoryReturnsTheRunningServer() {
            var sameDirectory = dataDir.resolve("../" + dataDir.getFileName());

            assertThat(EmbeddedPostgresServer.start(sameDirectory)).isSameAs(server);
            assertThat(EmbeddedPostgresServer.current()).isSameAs(server);
        }

        @Test
        void refusesASecondDataDirectory(@TempDir Path other) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(other))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already runs over " + dataDir)
                    .hasMessageContaining("Maybe");
        }
    }

    static void execute(String url, String sql) throws SQLException {
        try (var connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
                var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String queryOne(String url, String sql) throws SQLException {
        try (var connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
                var statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}

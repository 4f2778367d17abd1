package io.mdevplan.web.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL that a test can stop and start again, as a database restarts under the service: the same
 * port and data directory each time, so the service's JDBC URL stays valid and what was committed is still there.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Starts a fresh server over the (empty) directory on a free loopback port. */
    public static RestartablePostgres start(Path dataDirectory) throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var postgres = new RestartablePostgres(dataDirectory, port);
        postgres.startAgain();
        return postgres;
    }

    /** quarkus.datasource.* for a service on this server. */
    public Map<String, String> datasource() {
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.username", "postgres");
    }

    /** Stops the server (a fast shutdown: open sessions are ended, as by an operator's restart). */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again over the data it had. */
    public synchronized void startAgain() throws IOException {
        if (server != null) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is running already. Maybe stop() it"
                    + " first.");
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot start PostgreSQL on port " + port + " over " + dataDirectory + ": "
                    + e.getMessage() + ". Maybe the port was taken while it was stopped.", e);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop the tests' PostgreSQL on port " + port + ".", e);
        }
    }
}

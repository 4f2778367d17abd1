package io.mdevplan.web.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server the service runs itself when no database is configured: zonky's packaged binaries over a
 * data directory that outlives the process, so the inventory survives restarts. One per JVM; {@link #stop()} ends it.
 */
public final class EmbeddedPostgresServer {

    static final String DATABASE = "mdevplan";
    static final String USER = "postgres";

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration APPLICATION_STOP_WAIT = Duration.ofSeconds(30);

    private static EmbeddedPostgresServer running;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Thread shutdownHook;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.shutdownHook = new Thread(this::stopAfterApplication, "mdevplan-embedded-postgres-stop");
    }

    /** Starts the server over {@code dataDirectory} (creating it on first use), or returns the running one. */
    public static synchronized EmbeddedPostgresServer start(Path dataDirectory) {
        var directory = dataDirectory.toAbsolutePath().normalize();
        if (running != null) {
            if (!running.dataDirectory.equals(directory)) {
                throw new IllegalStateException("The embedded PostgreSQL already runs over " + running.dataDirectory
                        + ", not " + directory + ". Maybe mdevplan.data-dir changed while the service was running;"
                        + " restart it.");
            }
            return running;
        }
        var server = new EmbeddedPostgresServer(startPostgres(directory), directory);
        server.createDatabaseIfMissing();
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        LOG.infof("Embedded PostgreSQL serves %s from %s", server.jdbcUrl(), directory);
        running = server;
        return server;
    }

    /** The running server, if this JVM started one. */
    public static synchronized EmbeddedPostgresServer current() {
        return running;
    }

    private static EmbeddedPostgres startPostgres(Path directory) {
        try {
            Files.createDirectories(directory);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // our own hook stops the server after Quarkus, zonky's would race it
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "localhost")
                    // zonky turns synchronous commits and fsync (-F) off for tests; this database must keep what it
                    // acknowledged, through a crash of the machine too
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL over " + directory + ": "
                    + e.getMessage() + ". Maybe another mdevplan still uses that directory (see its postmaster.pid),"
                    + " or set quarkus.datasource.jdbc.url to use an external PostgreSQL.", e);
        }
    }

    private void createDatabaseIfMissing() {
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (var rows = exists.executeQuery()) {
                if (!rows.next()) {
                    try (var create = connection.createStatement()) {
                        create.execute("CREATE DATABASE " + DATABASE);
                    }
                }
            }
        } catch (SQLException e) {
            shutDown();
            throw new IllegalStateException("Cannot create the database " + DATABASE + " in the embedded PostgreSQL"
                    + " over " + dataDirectory + ". Maybe the data directory is damaged; move it away to start anew.",
                    e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (a fast shutdown: clients are disconnected, nothing acknowledged is lost). */
    public static synchronized void stop() {
        if (running == null) {
            return;
        }
        var server = running;
        running = null;
        try {
            Runtime.getRuntime().removeShutdownHook(server.shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is exiting; the hook runs anyway and finds nothing left to stop
        }
        server.shutDown();
    }

    private void shutDown() {
        try {
            postgres.close();
            LOG.infof("Embedded PostgreSQL over %s stopped", dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop the embedded PostgreSQL over " + dataDirectory
                    + ". Maybe its postgres process still runs: see the PID in "
                    + dataDirectory.resolve("postmaster.pid") + ".", e);
        }
    }

    /**
     * The JVM is exiting. A normal Quarkus shutdown stops the server itself (EmbeddedDatabaseLifecycle), after
     * closing the connection pool; JVM hooks run all at once, so this one first waits for that, and stops the server
     * itself only where no such shutdown comes (a failed start, a System.exit before Quarkus ran).
     */
    private void stopAfterApplication() {
        var deadline = System.nanoTime() + APPLICATION_STOP_WAIT.toNanos();
        while (current() == this && applicationRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stop();
    }

    private static boolean applicationRunning() {
        var container = Arc.container();
        return container != null && container.isRunning();
    }
}

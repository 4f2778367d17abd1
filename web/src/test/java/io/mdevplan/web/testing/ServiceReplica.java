package io.mdevplan.web.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A replica of the service: the runnable jar started in its own JVM on a shared PostgreSQL, on its own loopback port,
 * its output in a log file, with the tests' admin token. For the tests that need several replicas or must kill one.
 */
public record ServiceReplica(String name, Process process, int port, Path log) {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Starts a replica of the jar on the datasource (quarkus.datasource.* as the PostgreSQL test resource gives them)
     * with these system properties; does not wait for it.
     */
    public static ServiceReplica launch(String name, Path logs, Map<String, String> datasource,
            Map<String, String> properties) throws IOException {
        var port = freePort();
        var log = logs.resolve("replica-" + name + ".log");
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a short-lived JVM on a busy machine: C1 alone and one GC thread start it in half the time
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dmdevplan.demo-fleet.enabled=false");
        command.add("-Dmdevplan.auth.bootstrap-admin-token=" + AdminTokenByDefault.ADMIN_TOKEN);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add(System.getProperty("quarkus.run.jar", "target/quarkus-app/quarkus-run.jar"));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", datasource.get("quarkus.datasource.jdbc.url"));
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", datasource.get("quarkus.datasource.username"));
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD",
                datasource.getOrDefault("quarkus.datasource.password", ""));
        // never used with a datasource configured; set so that no run can touch ~/.mdevplan
        builder.environment().put("MDEVPLAN_DATA_DIR", logs.resolve("unused-data-" + name).toString());
        return new ServiceReplica(name, builder.start(), port, log);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A request to the path on this replica, as the admin (the token the replicas are started with). */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + AdminTokenByDefault.ADMIN_TOKEN);
    }

    /** Waits until the replica answers ready, or fails with its log. */
    public void awaitReady() throws IOException, InterruptedException {
        var deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Replica " + name + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                var ready = HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(30)).build();
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Replica " + name + " was not ready within " + STARTUP + ":\n"
                + Files.readString(log));
    }

    /** SIGTERM, then SIGKILL if it does not stop; never throws, so it cannot hide the test's own failure. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of each replica's log, for a failure's message. */
    public static String logsOf(List<ServiceReplica> replicas, int lastLines) {
        var text = new StringBuilder();
        for (var replica : replicas) {
            text.append("\n--- replica ").append(replica.name()).append(" (").append(replica.log()).append(") ---\n");
            try {
                var lines = Files.readAllLines(replica.log());
                lines.subList(Math.max(0, lines.size() - lastLines), lines.size())
                        .forEach(line -> text.append(line).append('\n'));
            } catch (IOException e) {
                text.append("(unreadable: ").append(e).append(")\n");
            }
        }
        return text.toString();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

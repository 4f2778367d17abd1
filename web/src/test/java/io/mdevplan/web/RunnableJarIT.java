package io.mdevplan.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs web/target/quarkus-app/quarkus-run.jar as an operator would, with no database configured: it must start
 * its embedded PostgreSQL in MDEVPLAN_DATA_DIR, seed the demo fleet and make an admin token (logged once) on the
 * first start only, refuse a request without a token, place on it and solve a what-if scenario on it, keep the data
 * across a restart and stop the server on SIGTERM.
 */
class RunnableJarIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern TOKEN = Pattern.compile("mdp_[A-Za-z0-9_-]{43}");

    /** The admin token the first start logged. */
    private String token;

    @TempDir
    Path dataDir;

    @TempDir
    Path logs;

    @Test
    void servesFromTheEmbeddedDatabaseKeepsItsDataAndStopsItCleanly() throws Exception {
        var first = start("first.log");
        try {
            var logged = TOKEN.matcher(Files.readString(first.log()));
            assertThat(logged.find()).as("the first start logs an admin token").isTrue();
            token = logged.group();
            assertThat(queryOne("SELECT count(*) FROM api_tokens WHERE role = 'admin' AND secret_hash ="
                    + " encode(sha256('" + token + "'::bytea), 'hex')")).as("its SHA-256 stored").isEqualTo("1");
            var anonymous = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.port()
                    + "/api/v1/hosts")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
            assertThat(get(first, "/api/v1/status"))
                    .contains("\"service\":\"mdevplan\"", "PostgreSQL", "\"schemaVersion\":\"7\"");
            assertThat(queryOne("SELECT count(*) FROM hosts")).as("the demo fleet").isEqualTo("36");
            assertThat(get(first, "/api/v1/hosts/host-00000")).contains("\"parents\"");
            // the dashboard, bundled into the packaged service: its page and its script, nothing from elsewhere
            var dashboard = get(first, "/");
            assertThat(dashboard).contains("<title>mdevplan dashboard</title>");
            var script = dashboard.replaceAll("(?s).*<script type=\"module\" src=\"([^\"]+)\".*", "$1");
            assertThat(script).startsWith("/static/bundle/");
            assertThat(get(first, script)).contains("echarts");
            // the README's placement example, on the demo fleet
            var placed = post(first, "/api/v1/placements",
                    "{\"workload\": \"vm-1\", \"type\": \"mtty-2\", \"hostSelector\": {\"zone\": \"a\"}}");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            assertThat(placed.body()).contains("\"state\":\"pending\"", "\"type\":\"mtty-2\"");
            // a what-if scenario on the demo fleet, solved by the service's own worker
            var scenario = post(first, "/api/v1/scenarios", "{\"changes\": [{\"op\": \"addWorkloads\","
                    + " \"count\": 10, \"profile\": {\"type\": \"mtty-2\"}}]}");
            assertThat(scenario.statusCode()).as(scenario.body()).isEqualTo(202);
            var location = URI.create(scenario.headers().firstValue("Location").orElseThrow()).getPath();
            assertThat(awaitDone(first, location)).contains("\"creates\":10");
            execute("INSERT INTO hosts (name) VALUES ('kept-across-restarts')");
        } finally {
            stop(first);
        }
        assertThat(Files.readString(first.log())).contains("Seeded a demo fleet of 36 hosts",
                "API: http://localhost:" + first.port() + "/api/v1",
                "Swagger UI http://localhost:" + first.port() + "/q/swagger-ui");
        assertThat(dataDir.resolve("postmaster.pid")).as("PostgreSQL stopped with the service").doesNotExist();

        var second = start("second.log");
        try {
            assertThat(queryOne("SELECT count(*) FROM hosts")).as("no second demo fleet").isEqualTo("37");
            assertThat(queryOne("SELECT name FROM hosts WHERE name = 'kept-across-restarts'"))
                    .isEqualTo("kept-across-restarts");
            assertThat(get(second, "/q/health/ready")).contains("\"status\": \"UP\"");
        } finally {
            stop(second);
        }
        assertThat(Files.readString(second.log())).doesNotContain("Seeded a demo fleet");
        assertThat(TOKEN.matcher(Files.readString(second.log())).find()).as("no second admin token").isFalse();
        assertThat(dataDir.resolve("postmaster.pid")).doesNotExist();
    }

    private record Service(Process process, int port, Path log) {
    }

    private Service start(String logName) throws IOException, InterruptedException {
        var port = freePort();
        var log = logs.resolve(logName);
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "-jar", System.getProperty("quarkus.run.jar",
                "target/quarkus-app/quarkus-run.jar"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("MDEVPLAN_DATA_DIR", dataDir.toString());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        var service = new Service(builder.start(), port, log);
        awaitReady(service);
        return service;
    }

    private void awaitReady(Service service) throws IOException, InterruptedException {
        var deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.process().isAlive()) {
                throw new AssertionError("The service exited with " + service.process().exitValue() + ":\n"
                        + Files.readString(service.log()));
            }
            try {
                if (request(service, "/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            }
            Thread.sleep(250);
        }
        service.process().destroyForcibly();
        throw new AssertionError("The service was not ready within " + STARTUP + ":\n"
                + Files.readString(service.log()));
    }

    private static void stop(Service service) throws IOException, InterruptedException {
        service.process().destroy();
        if (!service.process().waitFor(30, TimeUnit.SECONDS)) {
            service.process().destroyForcibly();
            throw new AssertionError("The service did not stop on SIGTERM:\n" + Files.readString(service.log()));
        }
        assertThat(Files.readString(service.log())).contains("Embedded PostgreSQL over", "stopped");
    }

    /** The scenario at the path once it is done. */
    private String awaitDone(Service service, String path) throws IOException, InterruptedException {
        var deadline = System.nanoTime() + STARTUP.toNanos();
        var scenario = get(service, path);
        while (!scenario.contains("\"state\":\"done\"")) {
            assertThat(scenario).doesNotContain("\"state\":\"failed\"");
            assertThat(System.nanoTime()).as("not done within %s: %s", STARTUP, scenario).isLessThan(deadline);
            Thread.sleep(200);
            scenario = get(service, path);
        }
        return scenario;
    }

    private String get(Service service, String path) throws IOException, InterruptedException {
        var response = request(service, path);
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> post(Service service, String path, String json)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> request(Service service, String path) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The embedded server's URL; its port is the fourth line of postmaster.pid. */
    private String jdbcUrl() throws IOException {
        var port = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(3).strip();
        return "jdbc:postgresql://localhost:" + port + "/mdevplan";
    }

    private void execute(String sql) throws IOException, SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
                var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String queryOne(String sql) throws IOException, SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
                var statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package io.mdevplan.web.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.ServiceReplica;
import io.mdevplan.web.testing.TestFleets;

/**
 * Two replicas of the packaged service (quarkus-run.jar) sharing one PostgreSQL and so one scenario queue: a
 * scenario's events are followed from the replica that does not run it, a cancel sent to the other replica stops the
 * run, and a scenario whose replica is killed mid-run is taken over by the other one once its lease runs out, and done
 * there.
 */
class TwoReplicaScenariosIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** Short, so that the takeover comes soon after the kill; the heartbeat renews well within it. */
    private static final String LEASE = "3s";
    private static final String HEARTBEAT = "300ms";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /**
     * More mdpy-vga than the 4 hosts hold (16): construction leaves some unplaced, so local search runs until it
     * stops improving, a fifth of the 50 s time limit: long enough to act on the run.
     */
    private static final Map<String, Object> LONG = Map.of("changes", List.of(Map.of("op", "addWorkloads",
            "count", 40, "profile", Map.of("type", "mdpy-vga"))));

    @TempDir
    Path logs;

    @Test
    void replicasShareTheQueueFollowAndCancelEachOthersRunsAndTakeOverAKilledOnesScenario() throws Exception {
        var postgres = new PostgresTestResource();
        var datasource = postgres.start();
        var replicas = new ArrayList<ServiceReplica>();
        try {
            replicas.add(ServiceReplica.launch("a", logs, datasource,
                    Map.of("mdevplan.scenarios.lease", LEASE, "mdevplan.scenarios.heartbeat", HEARTBEAT)));
            replicas.add(ServiceReplica.launch("b", logs, datasource,
                    Map.of("mdevplan.scenarios.lease", LEASE, "mdevplan.scenarios.heartbeat", HEARTBEAT)));
            for (var replica : replicas) {
                replica.awaitReady();
            }
            var a = replicas.get(0);
            var b = replicas.get(1);
            assertThat(send(a, "POST", "/api/v1/fleet", TestFleets.dsa(4)).statusCode()).isEqualTo(200);

            try {
                followedFromTheOtherReplica(a, b);
                cancelledThroughTheOtherReplica(a, b);
                takenOverAfterAKill(a, b);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ServiceReplica.logsOf(replicas, 150), e);
            }
        } finally {
            replicas.forEach(ServiceReplica::stop);
            postgres.stop();
        }
    }

    private void followedFromTheOtherReplica(ServiceReplica a, ServiceReplica b) throws Exception {
        // replan runs local search for a while, so progress is stored as it goes
        var id = submit(a, Map.of("mode", "replan", "changes", List.of(Map.of("op", "addWorkloads", "count", 8,
                "profile", Map.of("type", "dsa-wq", "instances", 2)))), "5s");

        var running = awaitState(a, id, Set.of("running", "done"));
        var other = running.path("worker").asText().endsWith(":" + a.port()) ? b : a;
        var stream = send(other, "GET", "/api/v1/scenarios/" + id + "/events", null).body();

        var states = new ArrayList<String>();
        var phases = new ArrayList<String>();
        String name = null;
        for (var line : stream.split("\n")) {
            if (line.startsWith("event:")) {
                name = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                var data = JSON.readTree(line.substring("data:".length()).strip());
                if ("state".equals(name)) {
                    states.add(data.path("state").asText());
                } else {
                    phases.add(data.path("phase").asText());
                }
            }
        }
        assertThat(states).as("state events at replica %s", other.name()).last().isEqualTo("done");
        assertThat(phases).as("progress events at replica %s", other.name()).isNotEmpty().last().isEqualTo("done");
    }

    private void cancelledThroughTheOtherReplica(ServiceReplica a, ServiceReplica b) throws Exception {
        var id = submit(b, LONG, "50s");
        var running = awaitState(b, id, Set.of("running"));
        var other = running.path("worker").asText().endsWith(":" + a.port()) ? b : a;

        var asked = send(other, "DELETE", "/api/v1/scenarios/" + id, null);

        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        var stopped = awaitState(other, id, Set.of("cancelled", "done", "failed"));
        assertThat(stopped.path("state").asText()).isEqualTo("cancelled");
        assertThat(stopped.path("worker").asText()).isEqualTo(running.path("worker").asText());
    }

    private void takenOverAfterAKill(ServiceReplica a, ServiceReplica b) throws Exception {
        var id = submit(a, LONG, "50s");
        var running = awaitState(a, id, Set.of("running"));
        var doomed = running.path("worker").asText().endsWith(":" + a.port()) ? a : b;
        var survivor = doomed == a ? b : a;

        doomed.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        var done = awaitState(survivor, id, Set.of("done", "failed", "cancelled"));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("attempts").asInt()).isEqualTo(2);
        assertThat(done.path("worker").asText()).endsWith(":" + survivor.port());
        assertThat(done.path("result").path("unplaced").size()).isEqualTo(40 - 16);
        assertThat(Files.readString(survivor.log())).contains("Scenario " + id + " lost its worker");
    }

    private static String submit(ServiceReplica replica, Object scenario, String timeLimit) throws Exception {
        var answer = send(replica, "POST", "/api/v1/scenarios?timeLimit=" + timeLimit, JSON.writeValueAsString(
                scenario));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return JSON.readTree(answer.body()).path("id").asText();
    }

    private static JsonNode awaitState(ServiceReplica replica, String id, Set<String> states) throws Exception {
        var deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            var answer = send(replica, "GET", "/api/v1/scenarios/" + id, null);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            var scenario = JSON.readTree(answer.body());
            if (states.contains(scenario.path("state").asText())) {
                return scenario;
            }
            assertThat(System.nanoTime()).as("scenario %s never got to %s: %s", id, states, answer.body())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> send(ServiceReplica replica, String method, String path, String json)
            throws IOException, InterruptedException {
        var request = replica.request(path)
                .timeout(PATIENCE)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (path.endsWith("/events")) {
            request.header("Accept", "text/event-stream");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}

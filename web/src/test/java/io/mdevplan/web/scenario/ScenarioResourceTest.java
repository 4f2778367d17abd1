package io.mdevplan.web.scenario;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.mdevplan.web.testing.Scenarios.addMdpy;
import static io.mdevplan.web.testing.Scenarios.await;
import static io.mdevplan.web.testing.Scenarios.done;
import static io.mdevplan.web.testing.Scenarios.get;
import static io.mdevplan.web.testing.Scenarios.post;
import static io.mdevplan.web.testing.Scenarios.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.mdevplan.web.testing.TestFleets;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ScenarioResourceTest {

    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
        given().contentType(ContentType.JSON).body(TestFleets.dsa(2)).post("/api/v1/fleet").then().statusCode(200);
    }

    @Test
    void aScenarioIsQueuedThenRunThenDoneWithItsResult() {
        var answer = post(addMdpy(2, "a"), "5s").statusCode(202);
        var id = answer.extract().jsonPath().getString("id");

        assertThat(answer.extract().header("Location")).endsWith("/api/v1/scenarios/" + id);
        assertThat(answer.extract().jsonPath().getString("state")).isEqualTo("queued");
        assertThat(answer.extract().jsonPath().getString("name")).isEqualTo("add-2");
        assertThat(answer.extract().jsonPath().getString("base")).isEqualTo("live");
        assertThat(answer.extract().jsonPath().getLong("timeLimitMillis")).isEqualTo(5000);
        var scenario = await(id, "done");
        assertThat(scenario.getInt("attempts")).isEqualTo(1);
        assertThat(scenario.getString("worker")).isNotBlank();
        assertThat(scenario.getString("startedAt")).isNotNull();
        assertThat(scenario.getString("finishedAt")).isNotNull();
        assertThat(scenario.getLong("elapsedMillis")).isNotNegative();
        assertThat(scenario.getString("progress.phase")).isEqualTo("done");
        assertThat(scenario.getString("result.policy")).isEqualTo("pack");
        assertThat(scenario.getInt("result.workloads")).isEqualTo(2);
        assertThat(scenario.getInt("result.placed")).isEqualTo(2);
        assertThat(scenario.getInt("result.plan.creates")).isEqualTo(2);
        assertThat(scenario.getList("result.plan.actions.to", String.class)).containsOnly("node-1/mdpy");
        // each of the two hosts offers 4 mdpy-vga; the scenario takes 2
        assertThat(scenario.getLong("result.headroom[0].total")).isEqualTo(6);
        var listed = given().get("/api/v1/scenarios").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("id", String.class)).containsExactly(id);
        assertThat(listed.getString("[0].state")).isEqualTo("done");
        assertThat(listed.getString("[0].result")).as("no results in the list").isNull();
    }

    @Test
    void aScenarioPlansOnTheFleetAsCapacityStandsWithPendingPlacementsWhereTheyWerePlaced() {
        given().contentType(ContentType.JSON).body(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector",
                Map.of("zone", "a"))).post("/api/v1/placements").then().statusCode(201);

        var scenario = await(submit(addMdpy(4, "a"), "5s"), "done");

        // vm-1 is pending (no host reports its device) and keeps its place: 3 of the 4 added fit beside it
        assertThat(scenario.getInt("result.workloads")).isEqualTo(5);
        assertThat(scenario.getInt("result.placed")).isEqualTo(4);
        assertThat(scenario.getInt("result.plan.keeps")).isEqualTo(1);
        assertThat(scenario.getList("result.unplaced.workload", String.class)).hasSize(1);
    }

    @Test
    void aScenarioNamingAnUnknownTypeIsRefusedWithThePlannersPathAndNotQueued() {
        var refused = problem(post(Map.of("base", "live", "changes", List.of(Map.of("op", "addWorkloads", "count", 1,
                "profile", Map.of("type", "nvidia-46")))), null), 422, "invalid-scenario");

        assertThat(at(refused, "$.changes[0].profile.type").value()).isEqualTo("nvidia-46");
        assertThat(at(refused, "$.changes[0].profile.type").message()).contains("dsa-wq", "mdpy-vga");
        assertThat(data.count("SELECT count(*) FROM scenarios")).isZero();
    }

    @Test
    void aNegativeCountIsRefused() {
        var refused = problem(post(Map.of("changes", List.of(Map.of("op", "addWorkloads", "count", -3,
                "profile", Map.of("type", "mdpy-vga")))), null), 422, "invalid-scenario");

        assertThat(at(refused, "$.changes[0].count").value()).isEqualTo("-3");
        assertThat(data.count("SELECT count(*) FROM scenarios")).isZero();
    }

    @Test
    void aChangeNamingAHostTheFleetDoesNotHaveIsRefused() {
        var refused = problem(post(Map.of("changes", List.of(Map.of("op", "drainHosts", "hosts",
                List.of("node-1", "node-9")))), null), 422, "invalid-scenario");

        assertThat(refused.problems()).hasSize(1);
        assertThat(at(refused, "$.changes[0].hosts[1]").message()).contains("no host node-9", "node-1", "node-2");
    }

    @Test
    void malformedJsonAnUnknownFieldAndABadTimeLimitAreRefused() {
        var malformed = problem(given().contentType(ContentType.JSON).body("{\"changes\": [").post(
                "/api/v1/scenarios").then(), 400, "invalid-body");
        var unknown = problem(post(Map.of("changes", List.of(), "budget", 3), null), 400, "invalid-body");
        var timeLimit = problem(post(addMdpy(1, "a"), "forever"), 422, "unprocessable");

        assertThat(malformed.problems()).isNotEmpty();
        assertThat(at(unknown, "$.budget").message()).contains("Maybe");
        assertThat(at(timeLimit, "timeLimit").value()).isEqualTo("forever");
        assertThat(data.count("SELECT count(*) FROM scenarios")).isZero();
    }

    @Test
    void anUnknownScenarioIsNotFound() {
        problem(given().get("/api/v1/scenarios/999999").then(), 404, "not-found");
        problem(given().get("/api/v1/scenarios/abc").then(), 404, "not-found");
        problem(given().delete("/api/v1/scenarios/999999").then(), 404, "not-found");
        problem(given().accept("text/event-stream").get("/api/v1/scenarios/999999/events").then(), 404,
                "not-found");
    }

    @Test
    void theEventsStreamProgressAndEndWithTheFinalState() {
        // replan runs local search, so the run lasts a while and reports its progress as it goes
        var id = submit(Map.of("mode", "replan", "changes", List.of(Map.of("op", "addWorkloads", "count", 6,
                "profile", Map.of("type", "dsa-wq", "instances", 2)))), "5s");

        var stream = given().accept("text/event-stream").get("/api/v1/scenarios/" + id + "/events").then()
                .statusCode(200).extract().asString();

        var events = events(stream);
        assertThat(events).isNotEmpty();
        var last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("state");
        assertThat(last.data().getString("state")).isEqualTo("done");
        assertThat(last.data().getString("id")).isEqualTo(id);
        var progress = events.stream().filter(event -> event.name().equals("progress")).toList();
        assertThat(progress).hasSizeGreaterThanOrEqualTo(2);
        assertThat(progress.get(progress.size() - 1).data().getString("phase")).isEqualTo("done");
        assertThat(progress).allMatch(event -> event.data().getLong("elapsedMillis") >= 0);
        assertThat(events.stream().filter(event -> event.name().equals("state"))
                .map(event -> event.data().getString("state")).toList()).endsWith("running", "done");
        // a stream opened on a finished scenario says so at once and ends
        var again = events(given().accept("text/event-stream").get("/api/v1/scenarios/" + id + "/events").then()
                .statusCode(200).extract().asString());
        assertThat(again.get(again.size() - 1).data().getString("state")).isEqualTo("done");
    }

    @Test
    void aQueuedScenarioIsCancelledAtOnceAndARunningOneByItsWorker() {
        // more than fits: construction leaves some unplaced, so local search runs until it stops improving
        var running = submit(Map.of("changes", List.of(Map.of("op", "addWorkloads", "count", 30, "profile",
                Map.of("type", "mdpy-vga")))), "50s");
        await(running, "running");
        var queued = submit(addMdpy(1, "a"), null);

        var cancelledQueued = given().delete("/api/v1/scenarios/" + queued).then().statusCode(200).extract()
                .jsonPath();
        var stopping = given().delete("/api/v1/scenarios/" + running).then().statusCode(202).extract().jsonPath();

        assertThat(cancelledQueued.getString("state")).isEqualTo("cancelled");
        assertThat(cancelledQueued.getString("finishedAt")).isNotNull();
        assertThat(stopping.getBoolean("cancelRequested")).isTrue();
        var stopped = await(running, "cancelled", "done", "failed");
        assertThat(stopped.getString("state")).isEqualTo("cancelled");
        assertThat(stopped.getString("result")).isNull();
        // a cancelled scenario answers as it is; a done one has no run to cancel
        given().delete("/api/v1/scenarios/" + queued).then().statusCode(200);
        var finished = done(addMdpy(1, "b"));
        var conflict = problem(given().delete("/api/v1/scenarios/" + finished).then(), 409, "conflict");
        assertThat(conflict.detail()).contains("done");
        assertThat(get(queued).getString("state")).isEqualTo("cancelled");
    }

    @Test
    void aLiveScenarioThatNoLongerAppliesWhenItsTurnComesFailsWithTheProblems() {
        // the one worker is busy, so the drain waits in the queue while node-2 leaves the fleet
        var busy = submit(Map.of("changes", List.of(Map.of("op", "addWorkloads", "count", 30, "profile",
                Map.of("type", "mdpy-vga")))), "50s");
        await(busy, "running");
        var drain = submit(Map.of("changes", List.of(Map.of("op", "drainHosts", "hosts", List.of("node-2")))), null);
        given().contentType(ContentType.JSON).body(TestFleets.dsa(1)).post("/api/v1/fleet").then().statusCode(200);

        given().delete("/api/v1/scenarios/" + busy).then().statusCode(202);
        var failed = await(drain, "failed", "done");

        assertThat(failed.getString("state")).isEqualTo("failed");
        assertThat(failed.getString("error")).contains("no longer applies", "$.changes[0].hosts[0]", "node-2");
        assertThat(failed.getString("result")).isNull();
    }

    @Test
    void compareSetsTheKeyFiguresSideBySide() {
        var two = done(addMdpy(2, "a"));
        var six = done(Map.of("name", "six", "changes", List.of(
                Map.of("op", "addWorkloads", "count", 3, "profile", Map.of("type", "mdpy-vga", "hostSelector",
                        Map.of("zone", "a"))),
                Map.of("op", "addWorkloads", "count", 3, "profile", Map.of("type", "mdpy-vga", "hostSelector",
                        Map.of("zone", "b")))),
                "headroomProfiles", List.of(Map.of("type", "mdpy-vga"), Map.of("type", "dsa-wq", "instances", 4))));

        var compared = given().queryParam("ids", two + "," + six).get("/api/v1/scenarios/compare").then()
                .statusCode(200).extract().jsonPath();

        assertThat(compared.getList("scenarios.id", String.class)).containsExactly(two, six);
        assertThat(compared.getList("scenarios.placed", Integer.class)).containsExactly(2, 6);
        assertThat(compared.getList("scenarios.unplaced", Integer.class)).containsExactly(0, 0);
        assertThat(compared.getList("scenarios.plan.creates", Integer.class)).containsExactly(2, 6);
        assertThat(compared.getString("scenarios[0].plan.actions")).isNull();
        assertThat(compared.getString("scenarios[0].exhaustion.reason")).isNotBlank();
        assertThat(compared.getList("headroom.type", String.class)).containsExactly("mdpy-vga", "dsa-wq");
        assertThat(compared.getMap("headroom[0].total")).containsEntry(two, 6).containsEntry(six, 2);
        assertThat(compared.getMap("headroom[1].total")).containsOnlyKeys(six).containsEntry(six, 4);
        problem(given().queryParam("ids", two + ",999999").get("/api/v1/scenarios/compare").then(), 404,
                "not-found");
        problem(given().get("/api/v1/scenarios/compare").then(), 422, "unprocessable");
    }

    /** A server-sent event: its name and its JSON data. */
    private record Event(String name, JsonPath data) {
    }

    private static List<Event> events(String stream) {
        var events = new ArrayList<Event>();
        String name = null;
        for (var line : stream.split("\n")) {
            if (line.startsWith("event:")) {
                name = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                events.add(new Event(name, JsonPath.from(line.substring("data:".length()).strip())));
            }
        }
        return events;
    }
}

package io.mdevplan.web.dispatch;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.web.placement.BatchAnswer;
import io.mdevplan.web.placement.PlacementView;
import io.mdevplan.web.testing.Metrics;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.mdevplan.web.testing.TestFleets;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DispatchResourceTest {

    /** What "at once" means here: far below the wait asked for, with room for a slow machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
        importFleet(TestFleets.dsa(2));
    }

    @Test
    void aPlacementWritesOnePendingCreateActionInItsTransaction() {
        var placed = place(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 3, "hostSelector",
                Map.of("zone", "a")));

        assertThat(data.column("SELECT h.name || ' ' || a.op || ' ' || a.state || ' ' || a.device_uuid || ' '"
                + " || a.parent_address || ' ' || a.type_id || ' ' || a.instances || ' ' || a.attrs::text"
                + " FROM host_actions a JOIN hosts h ON h.id = a.host_id"))
                .containsExactly("node-1 create pending " + placed.uuid() + " 0000:6a:01.0 dsa-wq 3 []");
        // xmin: the transaction that inserted the row
        assertThat(data.count("SELECT count(*) FROM host_actions a JOIN placements p ON p.id = a.placement_id"
                + " WHERE a.xmin::text = p.xmin::text AND p.workload = 'vm-1'")).isEqualTo(1);
    }

    @Test
    void aBatchWritesEachPlacementsCreateActionInItsTransaction() {
        var answer = given().contentType(ContentType.JSON).body(Map.of("requests", List.of(
                Map.of("workload", "b-1", "type", "mdpy-vga"), Map.of("workload", "b-2", "type", "dsa-eng")),
                "timeLimitMillis", 200)).urlEncodingEnabled(false).post("/api/v1/placements:batch").then()
                .statusCode(200).extract().as(BatchAnswer.class);

        assertThat(answer.placed()).isEqualTo(2);
        assertThat(data.count("SELECT count(*) FROM host_actions a JOIN placements p ON p.id = a.placement_id"
                + " WHERE a.xmin::text = p.xmin::text AND a.op = 'create' AND a.state = 'pending'"
                + " AND a.device_uuid = p.device_uuid")).isEqualTo(2);
        assertThat(data.count("SELECT count(*) FROM host_actions")).isEqualTo(2);
    }

    @Test
    void aLongPollAnswersAtOnceWithTheHostsActionsInOrderAndMovesThemToApplying() {
        var first = place(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 2, "hostSelector",
                Map.of("zone", "a")));
        var second = place(Map.of("workload", "vm-2", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        var ids = data.column("SELECT id FROM host_actions ORDER BY id");

        var started = System.nanoTime();
        var response = poll("node-1", "30s");
        var plan = response.extract().as(HostPlan.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(AT_ONCE);
        assertThat(plan).isEqualTo(new HostPlan("node-1", List.of(
                new HostPlan.Action(ids.get(0), "create", first.uuid(), "0000:6a:01.0", "dsa-wq", 2, List.of()),
                new HostPlan.Action(ids.get(1), "create", second.uuid(), "mdpy", "mdpy-vga", 1, List.of()))));
        // the id is a string, as the executor reads it
        assertThat(response.extract().jsonPath().getString("actions[0].id")).isEqualTo(ids.get(0));
        assertThat(states()).containsExactly("vm-1 applying", "vm-2 applying");
        assertThat(poll("node-2", null).extract().as(HostPlan.class).actions()).isEmpty();
    }

    @Test
    void aLongPollWithoutActionsAnswersNoneWhenItsWaitEnds() {
        var started = System.nanoTime();
        var plan = poll("node-1", "1500ms").extract().as(HostPlan.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(plan).isEqualTo(new HostPlan("node-1", List.of()));
        var atOnce = System.nanoTime();
        assertThat(poll("node-1", "0").extract().as(HostPlan.class).actions()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - atOnce)).isLessThan(AT_ONCE);
    }

    @Test
    void aWaitingLongPollAnswersAsSoonAsThisReplicaWritesAnAction() throws Exception {
        var started = System.nanoTime();
        var waiting = CompletableFuture.supplyAsync(() -> poll("node-1", "30s").extract().as(HostPlan.class));
        Thread.sleep(500);
        assertThat(waiting).isNotDone();

        var placed = place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        var plan = waiting.get(20, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(plan.actions()).extracting(HostPlan.Action::uuid).containsExactly(placed.uuid());
        assertThat(states()).containsExactly("vm-1 applying");
    }

    @Test
    void aWaitingLongPollFindsActionsAnotherReplicaWrote() throws Exception {
        var placed = place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "b")));
        var create = poll("node-2", null).extract().as(HostPlan.class).actions().get(0).id();
        postResult("node-2", create, Map.of("status", "done")).statusCode(200);
        var waiting = CompletableFuture.supplyAsync(() -> poll("node-2", "30s").extract().as(HostPlan.class));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();

        // as another replica releasing vm-1 would write it: the row alone, no event in this replica
        data.execute("INSERT INTO host_actions (host_id, placement_id, op, device_uuid)"
                + " SELECT pa.host_id, p.id, 'remove', p.device_uuid FROM placements p"
                + " JOIN parents pa ON pa.id = p.parent_id WHERE p.workload = 'vm-1'");
        var plan = waiting.get(20, TimeUnit.SECONDS);

        assertThat(plan.host()).isEqualTo("node-2");
        assertThat(plan.actions()).extracting(HostPlan.Action::op, HostPlan.Action::uuid)
                .containsExactly(tuple("remove", placed.uuid()));
    }

    @Test
    void anActionHandedOutAndNeverAnsweredIsHandedOutAgain() {
        place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));

        var first = poll("node-1", null).extract().as(HostPlan.class);
        var again = poll("node-1", "10s").extract().as(HostPlan.class);

        assertThat(first.actions()).hasSize(1);
        assertThat(again).isEqualTo(first);
        assertThat(states()).containsExactly("vm-1 applying");
    }

    @Test
    void aCreateDoneMakesThePlacementActiveAndTheSameResultAgainIsTheStoredOne() {
        var placed = place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        var id = poll("node-1", null).extract().as(HostPlan.class).actions().get(0).id();

        var stored = postResult("node-1", id, Map.of("status", "done")).statusCode(200).extract()
                .as(ActionResultView.class);
        var again = postResult("node-1", id, Map.of("status", "done")).statusCode(200).extract()
                .as(ActionResultView.class);
        var otherwise = problem(postResult("node-1", id, Map.of("status", "failed", "error",
                Map.of("errno", "ENOSPC", "message", "no room"))), 409, "conflict");

        assertThat(stored.status()).isEqualTo("done");
        assertThat(stored.op()).isEqualTo("create");
        assertThat(stored.uuid()).isEqualTo(placed.uuid());
        assertThat(stored.workload()).isEqualTo("vm-1");
        assertThat(stored.placementState()).isEqualTo("active");
        assertThat(again).isEqualTo(stored);
        assertThat(at(otherwise, "$.status").value()).isEqualTo("failed");
        assertThat(otherwise.detail()).contains(id, "done");
        assertThat(states()).containsExactly("vm-1 active");
        assertThat(poll("node-1", null).extract().as(HostPlan.class).actions()).isEmpty();
    }

    @Test
    void aCreateFailedFailsThePlacementAndFreesItsCapacity() {
        // two dsa-wq x4 fill node-1's 8 work queues
        var request = Map.<String, Object>of("workload", "vm-1", "type", "dsa-wq", "instances", 4, "hostSelector",
                Map.of("zone", "a"));
        place(request);
        place(Map.of("workload", "vm-2", "type", "dsa-wq", "instances", 4, "hostSelector", Map.of("zone", "a")));
        problem(post(Map.of("workload", "vm-3", "type", "dsa-wq", "instances", 4, "hostSelector",
                Map.of("zone", "a"))), 409, "no-capacity");
        var id = poll("node-1", null).extract().as(HostPlan.class).actions().get(0).id();
        var version = data.count("SELECT usage_version FROM hosts WHERE name = 'node-1'");

        var failed = postResult("node-1", id, Map.of("status", "failed", "error",
                Map.of("errno", "ENOSPC", "message", "no space left on the parent"))).statusCode(200).extract()
                .as(ActionResultView.class);

        assertThat(failed.placementState()).isEqualTo("failed");
        assertThat(failed.error()).isEqualTo(new ActionError("ENOSPC", "no space left on the parent"));
        var placement = given().get("/api/v1/placements/vm-1").then().statusCode(200).extract()
                .as(PlacementView.class);
        assertThat(placement.state()).isEqualTo("failed");
        assertThat(placement.reason()).isEqualTo("ENOSPC: no space left on the parent");
        assertThat(data.count("SELECT usage_version FROM hosts WHERE name = 'node-1'")).isGreaterThan(version);
        // the capacity is free at once: the same request is placed again, on the same parent
        var again = post(request).statusCode(201).extract().as(PlacementView.class);
        assertThat(again.host()).isEqualTo("node-1");
        assertThat(again.uuid()).isNotEqualTo(placement.uuid());
        assertThat(data.overbookedPools()).isEmpty();
        assertThat(postResult("node-1", id, Map.of("status", "failed", "error",
                Map.of("errno", "ENOSPC", "message", "no space left on the parent"))).statusCode(200).extract()
                .as(ActionResultView.class).error()).isEqualTo(failed.error());
    }

    @Test
    void handOutsStoredResultsAndPendingActionsAreMeasured() {
        var handouts = Metrics.value("mdevplan_dispatch_handouts_total");
        var done = Metrics.value("mdevplan_dispatch_actions_total", "op=\"create\"", "result=\"done\"");
        place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        place(Map.of("workload", "vm-2", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        assertThat(Metrics.value("mdevplan_dispatch_pending_actions")).isEqualTo(2);

        var id = poll("node-1", null).extract().as(HostPlan.class).actions().get(0).id();
        // unanswered, both are handed out again
        poll("node-1", null);
        postResult("node-1", id, Map.of("status", "done")).statusCode(200);
        postResult("node-1", id, Map.of("status", "done")).statusCode(200);

        assertThat(Metrics.value("mdevplan_dispatch_handouts_total")).isEqualTo(handouts + 4);
        assertThat(Metrics.value("mdevplan_dispatch_actions_total", "op=\"create\"", "result=\"done\""))
                .as("a result posted again is stored once").isEqualTo(done + 1);
        assertThat(Metrics.value("mdevplan_dispatch_pending_actions")).isEqualTo(1);
    }

    @Test
    void releasingAPendingPlacementCancelsItsCreate() {
        place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        var id = data.column("SELECT id FROM host_actions").get(0);

        given().delete("/api/v1/placements/vm-1").then().statusCode(200);

        assertThat(data.column("SELECT op || ' ' || state FROM host_actions")).containsExactly("create cancelled");
        assertThat(poll("node-1", null).extract().as(HostPlan.class).actions()).isEmpty();
        var cancelled = problem(postResult("node-1", id, Map.of("status", "done")), 409, "conflict");
        assertThat(cancelled.detail()).contains("cancelled", "vm-1");
    }

    @Test
    void releasingAnActivePlacementAsksTheHostToRemoveItsDevice() {
        var placed = place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        var create = poll("node-1", null).extract().as(HostPlan.class).actions().get(0).id();
        postResult("node-1", create, Map.of("status", "done")).statusCode(200);

        given().delete("/api/v1/placements/vm-1").then().statusCode(200);
        var response = poll("node-1", "30s");

        var remove = response.extract().as(HostPlan.class).actions();
        assertThat(remove).hasSize(1);
        assertThat(remove.get(0)).isEqualTo(new HostPlan.Action(remove.get(0).id(), "remove", placed.uuid(), null,
                null, null, null));
        // exactly the executor's remove shape
        assertThat(response.extract().jsonPath().getMap("actions[0]")).containsOnlyKeys("id", "op", "uuid");
        var done = postResult("node-1", remove.get(0).id(), Map.of("status", "done")).statusCode(200).extract()
                .as(ActionResultView.class);
        assertThat(done.placementState()).isEqualTo("released");
        assertThat(poll("node-1", null).extract().as(HostPlan.class).actions()).isEmpty();
    }

    @Test
    void releasingAnApplyingPlacementQueuesTheRemoveAfterTheUnansweredCreate() {
        place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        var create = poll("node-1", null).extract().as(HostPlan.class).actions().get(0);
        var other = place(Map.of("workload", "vm-2", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));

        given().delete("/api/v1/placements/vm-1").then().statusCode(200);
        // the executor refuses a plan naming a device twice: the remove waits for the create's result
        var first = poll("node-1", null).extract().as(HostPlan.class).actions();
        var created = postResult("node-1", create.id(), Map.of("status", "done")).statusCode(200).extract()
                .as(ActionResultView.class);
        var second = poll("node-1", null).extract().as(HostPlan.class).actions();

        assertThat(first).extracting(HostPlan.Action::op, HostPlan.Action::uuid)
                .containsExactly(tuple("create", create.uuid()), tuple("create", other.uuid()));
        assertThat(created.placementState()).isEqualTo("released");
        assertThat(second).extracting(HostPlan.Action::op, HostPlan.Action::uuid)
                .containsExactly(tuple("create", other.uuid()), tuple("remove", create.uuid()));
    }

    @Test
    void refusesUnknownHostsAndActionsBadWaitsAndBadResults() {
        place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        var id = poll("node-1", null).extract().as(HostPlan.class).actions().get(0).id();

        var unknownHost = problem(given().get("/api/v1/hosts/node-9/actions").then(), 404, "not-found");
        var unknownHostResult = problem(postResult("node-9", id, Map.of("status", "done")), 404, "not-found");
        var unknownAction = problem(postResult("node-1", "999999999", Map.of("status", "done")), 404, "not-found");
        var notAnId = problem(postResult("node-1", "a1", Map.of("status", "done")), 404, "not-found");
        var otherHosts = problem(postResult("node-2", id, Map.of("status", "done")), 404, "not-found");
        var unsafe = problem(given().get("/api/v1/hosts/a..b/actions").then(), 400, "invalid-name");
        var forever = problem(given().get("/api/v1/hosts/node-1/actions?wait=forever").then(), 422, "unprocessable");
        var tooLong = problem(given().get("/api/v1/hosts/node-1/actions?wait=90s").then(), 422, "unprocessable");
        var status = problem(postResult("node-1", id, Map.of("status", "applied")), 422, "unprocessable");
        var noReason = problem(postResult("node-1", id, Map.of("status", "failed")), 422, "unprocessable");
        var unknownField = problem(postResult("node-1", id, Map.of("status", "done", "when", "now")), 400,
                "invalid-body");

        assertThat(at(unknownHost, "{name}").value()).isEqualTo("node-9");
        assertThat(at(unknownHostResult, "{name}").value()).isEqualTo("node-9");
        assertThat(at(unknownAction, "{id}").value()).isEqualTo("999999999");
        assertThat(at(notAnId, "{id}").value()).isEqualTo("a1");
        assertThat(at(otherHosts, "{id}").value()).isEqualTo(id);
        assertThat(otherHosts.detail()).contains("node-2");
        assertThat(at(unsafe, "{name}").value()).isEqualTo("a..b");
        assertThat(at(forever, "wait").value()).isEqualTo("forever");
        assertThat(forever.detail()).contains("forever", "wait=30s");
        assertThat(at(tooLong, "wait").value()).isEqualTo("90s");
        assertThat(tooLong.detail()).contains("at most 60s");
        assertThat(at(status, "$.status").value()).isEqualTo("applied");
        assertThat(noReason.problems()).extracting(item -> item.path()).containsExactly("$.error.message");
        assertThat(unknownField.problems()).isNotEmpty();
        // nothing was stored by any of them
        assertThat(data.column("SELECT state FROM host_actions")).containsExactly("pending");
        assertThat(states()).containsExactly("vm-1 applying");
    }

    private List<String> states() {
        return data.column("SELECT workload || ' ' || state FROM placements ORDER BY id");
    }

    private static ValidatableResponse poll(String host, String wait) {
        var request = given();
        if (wait != null) {
            request.queryParam("wait", wait);
        }
        return request.get("/api/v1/hosts/" + host + "/actions").then().statusCode(200)
                .contentType(ContentType.JSON);
    }

    private static ValidatableResponse postResult(String host, String id, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body)
                .post("/api/v1/hosts/" + host + "/actions/" + id + "/result").then();
    }

    private static PlacementView place(Map<String, ?> body) {
        return post(body).statusCode(201).extract().as(PlacementView.class);
    }

    private static ValidatableResponse post(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/placements").then();
    }

    private static void importFleet(String fleet) {
        given().contentType(ContentType.JSON).body(fleet).post("/api/v1/fleet").then().statusCode(200);
    }
}

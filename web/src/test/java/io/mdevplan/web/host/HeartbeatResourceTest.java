package io.mdevplan.web.host;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.web.dispatch.HostPlan;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.mdevplan.web.testing.TestFleets;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.common.mapper.TypeRef;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class HeartbeatResourceTest {

    private static final String STARTED = "2026-11-27T03:55:00Z";

    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
        importFleet(TestFleets.dsa(2));
    }

    @Test
    void aHeartbeatIsStoredWithTheHostsActionsAndTheHostViewsShowIt() {
        // two creates for node-1: one fails, one stays pending
        place("vm-1");
        place("vm-2");
        var first = given().get("/api/v1/hosts/node-1/actions").then().statusCode(200).extract()
                .as(HostPlan.class).actions().get(0).id();
        given().contentType(ContentType.JSON).body(Map.of("status", "failed", "error", Map.of("errno", "EINVAL",
                "message", "bad type"))).post("/api/v1/hosts/node-1/actions/" + first + "/result").then()
                .statusCode(200);
        var books = data.column("SELECT usage_version || '/' || version FROM hosts WHERE name = 'node-1'");
        var before = Instant.now().minusSeconds(5);

        var beat = heartbeat("node-1", Map.of("executorVersion", "0.1.0", "startedAt", STARTED)).statusCode(200)
                .contentType(ContentType.JSON).extract().as(HeartbeatView.class);

        assertThat(beat.host()).isEqualTo("node-1");
        assertThat(beat.executorVersion()).isEqualTo("0.1.0");
        assertThat(beat.executorStartedAt()).isEqualTo(Instant.parse(STARTED));
        assertThat(beat.lastHeartbeatAt()).isBetween(before, Instant.now().plusSeconds(5));
        assertThat(beat.pendingActions()).isEqualTo(1);
        assertThat(beat.failedActions()).isEqualTo(1);
        // imported, never reported by an executor
        assertThat(beat.lastInventoryAt()).isNull();
        assertThat(beat.reportInventory()).isTrue();
        // no capacity changed: no replica reloads the host
        assertThat(data.column("SELECT usage_version || '/' || version FROM hosts WHERE name = 'node-1'"))
                .isEqualTo(books);

        var hosts = given().get("/api/v1/hosts").then().statusCode(200).extract()
                .as(new TypeRef<List<HostView>>() { });
        var node1 = HostResourceTest.host("node-1");
        assertThat(node1.lastHeartbeatAt()).isEqualTo(beat.lastHeartbeatAt());
        assertThat(node1.executorVersion()).isEqualTo("0.1.0");
        assertThat(node1.executorStartedAt()).isEqualTo(Instant.parse(STARTED));
        assertThat(node1.pendingActions()).isEqualTo(1);
        assertThat(node1.failedActions()).isEqualTo(1);
        assertThat(hosts).filteredOn(host -> host.name().equals("node-1")).singleElement().isEqualTo(node1);
        assertThat(hosts).filteredOn(host -> host.name().equals("node-2")).singleElement()
                .satisfies(host -> {
                    assertThat(host.lastHeartbeatAt()).isNull();
                    assertThat(host.executorVersion()).isNull();
                    assertThat(host.pendingActions()).isZero();
                    assertThat(host.failedActions()).isZero();
                });
    }

    @Test
    void anExecutorStartedSinceTheLastInventoryIsToldToReportIt() {
        var earlier = Instant.now().minus(Duration.ofHours(1)).toString();
        heartbeat("node-1", Map.of("executorVersion", "0.1.0", "startedAt", earlier)).statusCode(200);

        var report = given().contentType(ContentType.JSON).body(FleetJson.toJson(TestFleets.dsaHost(1, List.of())))
                .put("/api/v1/hosts/node-1/inventory").then().statusCode(200).extract().as(InventoryReport.class);
        var reported = heartbeat("node-1", Map.of("executorVersion", "0.1.0", "startedAt", earlier)).statusCode(200)
                .extract().as(HeartbeatView.class);
        var restarted = heartbeat("node-1", Map.of("executorVersion", "0.2.0", "startedAt",
                Instant.now().plusSeconds(60).toString())).statusCode(200).extract().as(HeartbeatView.class);

        // an inventory report is a heartbeat too, and leaves the executor's columns alone
        assertThat(report.host().lastInventoryAt()).isNotNull().isEqualTo(report.host().lastHeartbeatAt());
        assertThat(report.host().executorVersion()).isEqualTo("0.1.0");
        assertThat(reported.lastInventoryAt()).isEqualTo(report.host().lastInventoryAt());
        assertThat(reported.reportInventory()).isFalse();
        assertThat(restarted.reportInventory()).isTrue();
        assertThat(HostResourceTest.host("node-1").executorVersion()).isEqualTo("0.2.0");
    }

    @Test
    void aHostAFleetImportLeftOutIs404WithTheWayToRegisterAgain() {
        heartbeat("node-2", Map.of("executorVersion", "0.1.0", "startedAt", STARTED)).statusCode(200);
        importFleet(TestFleets.dsa(1));

        var gone = problem(heartbeat("node-2", Map.of("executorVersion", "0.1.0", "startedAt", STARTED)), 404,
                "not-found");

        assertThat(gone.detail()).contains("No host is named node-2", "Maybe PUT /api/v1/hosts/node-2/inventory");
        assertThat(at(gone, "{name}").value()).isEqualTo("node-2");
    }

    @Test
    void badHeartbeatsAreRefusedAndStoreNothing() {
        var unknownField = problem(heartbeat("node-1", Map.of("executorVersion", "0.1.0", "startedAt", STARTED,
                "pid", 42)), 400, "invalid-body");
        var missing = problem(heartbeat("node-1", Map.of("startedAt", "yesterday")), 422, "unprocessable");
        var tooLong = problem(heartbeat("node-1", Map.of("executorVersion", "x".repeat(101), "startedAt",
                STARTED)), 422, "unprocessable");
        var unsafe = problem(heartbeat("a..b", Map.of("executorVersion", "0.1.0", "startedAt", STARTED)), 400,
                "invalid-name");
        var empty = problem(given().contentType(ContentType.JSON).body("").post("/api/v1/hosts/node-1/heartbeat")
                .then(), 400, "invalid-body");

        assertThat(at(unknownField, "$.pid").message()).contains("unknown field");
        assertThat(missing.detail()).contains("2 problems");
        assertThat(at(missing, "$.executorVersion").message()).contains("required", "Maybe");
        assertThat(at(missing, "$.startedAt").value()).isEqualTo("yesterday");
        assertThat(at(missing, "$.startedAt").message()).contains("ISO-8601", "2026-11-27T03:55:00Z");
        assertThat(at(tooLong, "$.executorVersion").message()).contains("100 characters");
        assertThat(at(unsafe, "{name}").value()).isEqualTo("a..b");
        assertThat(empty.detail()).contains("empty");
        assertThat(data.count("SELECT count(*) FROM hosts WHERE last_heartbeat IS NOT NULL"
                + " OR executor_version IS NOT NULL")).isZero();
    }

    private static ValidatableResponse heartbeat(String host, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/hosts/" + host + "/heartbeat").then();
    }

    private static void place(String workload) {
        given().contentType(ContentType.JSON).body(Map.of("workload", workload, "type", "mdpy-vga", "hostSelector",
                Map.of("zone", "a"))).post("/api/v1/placements").then().statusCode(201);
    }

    private static void importFleet(String fleet) {
        given().contentType(ContentType.JSON).body(fleet).post("/api/v1/fleet").then().statusCode(200);
    }
}

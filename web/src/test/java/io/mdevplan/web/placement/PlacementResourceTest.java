package io.mdevplan.web.placement;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetJson;
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
class PlacementResourceTest {

    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @Test
    void placesARequestAndCommitsItPending() {
        importFleet(TestFleets.dsa(2));

        var placed = post(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 3)).statusCode(201)
                .contentType(ContentType.JSON).extract().as(PlacementView.class);

        assertThat(placed.workload()).isEqualTo("vm-1");
        assertThat(placed.host()).isIn("node-1", "node-2");
        assertThat(placed.parent()).isEqualTo("0000:6a:01.0");
        assertThat(placed.type()).isEqualTo("dsa-wq");
        assertThat(placed.instances()).isEqualTo(3);
        assertThat(placed.state()).isEqualTo("pending");
        assertThat(placed.policy()).isEqualTo("pack");
        assertThat(UUID.fromString(placed.uuid())).isNotNull();
        assertThat(data.column("SELECT pa.address || ' ' || p.state || ' ' || p.device_uuid FROM placements p"
                + " JOIN parents pa ON pa.id = p.parent_id WHERE p.workload = 'vm-1'"))
                .containsExactly("0000:6a:01.0 pending " + placed.uuid());
        assertThat(given().get("/api/v1/placements/vm-1").then().statusCode(200).extract().as(PlacementView.class))
                .isEqualTo(placed);
        // the host's capacity counts it at once
        assertThat(given().get("/api/v1/hosts/" + placed.host()).then().statusCode(200)
                .extract().path("parents[0].pools.find { it.name == 'wq' }.used").toString()).isEqualTo("3");
    }

    @Test
    void theSameRequestAgainIsTheSamePlacementAndADifferentOneIsAConflict() {
        importFleet(TestFleets.dsa(2));
        var request = Map.<String, Object>of("workload", "vm-1", "type", "dsa-wq", "instances", 2,
                "hostSelector", Map.of("zone", "b"));
        var first = post(request).statusCode(201).extract().as(PlacementView.class);

        var again = post(request).statusCode(200).extract().as(PlacementView.class);
        var bigger = problem(post(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 3,
                "hostSelector", Map.of("zone", "b"))), 409, "conflict");

        assertThat(again).isEqualTo(first);
        assertThat(first.host()).isEqualTo("node-2");
        assertThat(at(bigger, "$.instances").value()).isEqualTo("3");
        assertThat(bigger.detail()).contains("vm-1", "dsa-wq x2", "node-2/0000:6a:01.0", "DELETE");
        assertThat(data.count("SELECT count(*) FROM placements")).isEqualTo(1);
    }

    @Test
    void refusesBadRequestsBeforeWritingAnything() {
        importFleet(TestFleets.dsa(1));
        var before = data.fingerprint();

        var unknownType = problem(post(Map.of("workload", "vm-1", "type", "nvidia-35")), 422, "invalid-placement");
        var zero = problem(post(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 0)), 422,
                "invalid-placement");
        var tooMany = problem(post(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 5)), 422,
                "invalid-placement");
        var single = problem(post(Map.of("workload", "vm-1", "type", "dsa-eng", "instances", 2)), 422,
                "invalid-placement");
        var unsafe = problem(post(Map.of("workload", "../etc", "type", "dsa-wq")), 422, "invalid-placement");
        var control = problem(post(Map.of("workload", "vm\n1", "type", "dsa-wq", "antiAffinityGroup", "a/b")), 422,
                "invalid-placement");
        var policy = problem(post(Map.of("workload", "vm-1", "type", "dsa-wq", "policy", "fastest")), 422,
                "unprocessable");
        var unknownField = problem(post(Map.of("workload", "vm-1", "type", "dsa-wq", "gpu", true)), 400,
                "invalid-body");
        var stringNumber = problem(post(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", "2")), 400,
                "invalid-body");
        var malformed = problem(given().contentType(ContentType.JSON).body("{\"workload\": ").post(
                "/api/v1/placements").then(), 400, "invalid-body");
        var tooLarge = problem(given().contentType(ContentType.JSON).body("{\"workload\": \"" + "x".repeat(1_100_000)
                + "\"}").post("/api/v1/placements").then(), 413, "body-too-large");

        assertThat(at(unknownType, "$.type").message()).contains("Maybe use one of: dsa-eng, dsa-wq, mdpy-vga");
        assertThat(at(zero, "$.instances").value()).isEqualTo("0");
        assertThat(at(tooMany, "$.instances").message()).contains("at most 4");
        assertThat(at(single, "$.instances").message()).contains("at most 1");
        assertThat(at(unsafe, "$.workload").value()).isEqualTo("../etc");
        assertThat(control.problems()).extracting(item -> item.path())
                .containsExactlyInAnyOrder("$.workload", "$.antiAffinityGroup");
        assertThat(at(policy, "$.policy").value()).isEqualTo("fastest");
        assertThat(policy.detail()).contains("Maybe use one of:", "pack", "spread");
        assertThat(unknownField.problems()).isNotEmpty();
        assertThat(stringNumber.problems()).isNotEmpty();
        assertThat(malformed.detail()).isNotBlank();
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void aFullFleetRefusesWithThePlannersReasonAndAReleaseFreesTheCapacity() {
        importFleet(TestFleets.dsa(1));
        for (var i = 1; i <= 4; i++) {
            post(Map.of("workload", "vga-" + i, "type", "mdpy-vga")).statusCode(201);
        }

        var full = problem(post(Map.of("workload", "vga-5", "type", "mdpy-vga")), 409, "no-capacity");
        assertThat(full.detail()).contains("vga-5", "mdpy-vga", "without enough free capacity");
        assertThat(at(full, "$.type").value()).isEqualTo("mdpy-vga");
        assertThat(data.count("SELECT count(*) FROM placements WHERE workload = 'vga-5'")).isZero();

        var released = given().delete("/api/v1/placements/vga-2").then().statusCode(200).extract()
                .as(PlacementView.class);
        assertThat(released.state()).isEqualTo("released");
        post(Map.of("workload", "vga-5", "type", "mdpy-vga")).statusCode(201);
        problem(post(Map.of("workload", "vga-6", "type", "mdpy-vga")), 409, "no-capacity");
        assertThat(data.overbookedPools()).isEmpty();
    }

    @Test
    void aReleasedWorkloadMayBePlacedAgainAndKeepsItsHistory() {
        importFleet(TestFleets.dsa(1));
        var first = post(Map.of("workload", "vm-1", "type", "dsa-eng")).statusCode(201).extract()
                .as(PlacementView.class);
        given().delete("/api/v1/placements/vm-1").then().statusCode(200);

        var gone = problem(given().delete("/api/v1/placements/vm-1").then(), 404, "not-found");
        var afterRelease = given().get("/api/v1/placements/vm-1").then().statusCode(200).extract()
                .as(PlacementView.class);
        var second = post(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 4)).statusCode(201).extract()
                .as(PlacementView.class);

        assertThat(gone.detail()).contains("vm-1");
        assertThat(afterRelease.state()).isEqualTo("released");
        assertThat(afterRelease.uuid()).isEqualTo(first.uuid());
        assertThat(second.uuid()).isNotEqualTo(first.uuid());
        assertThat(given().get("/api/v1/placements/vm-1").then().extract().as(PlacementView.class)).isEqualTo(second);
        assertThat(list("/api/v1/placements?state=released")).extracting(PlacementView::uuid)
                .containsExactly(first.uuid());
        assertThat(list("/api/v1/placements")).extracting(PlacementView::uuid).containsExactly(second.uuid());
    }

    @Test
    void listsLivePlacementsByHostAndRefusesUnknownHostsAndStates() {
        importFleet(TestFleets.dsa(2));
        post(Map.of("workload", "a-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a"))).statusCode(201);
        post(Map.of("workload", "b-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "b"))).statusCode(201);
        post(Map.of("workload", "b-2", "type", "dsa-wq", "hostSelector", Map.of("zone", "b"))).statusCode(201);

        assertThat(list("/api/v1/placements?host=node-2")).extracting(PlacementView::workload)
                .containsExactly("b-1", "b-2");
        assertThat(list("/api/v1/placements")).extracting(PlacementView::workload).containsExactly("a-1", "b-1", "b-2");
        problem(given().get("/api/v1/placements?host=node-9").then(), 404, "not-found");
        problem(given().get("/api/v1/placements?host=a..b").then(), 400, "invalid-name");
        problem(given().get("/api/v1/placements?state=running").then(), 422, "invalid-placement");
        problem(given().get("/api/v1/placements/never-placed").then(), 404, "not-found");
    }

    @Test
    void thePolicyDecidesWhereAndAntiAffinityKeepsAGroupApart() {
        importFleet(TestFleets.dsa(2));
        var packed = post(Map.of("workload", "p-1", "type", "dsa-wq")).statusCode(201).extract()
                .as(PlacementView.class);
        var packedToo = post(Map.of("workload", "p-2", "type", "dsa-wq")).statusCode(201).extract()
                .as(PlacementView.class);
        var spread = post(Map.of("workload", "s-1", "type", "dsa-wq", "policy", "spread")).statusCode(201).extract()
                .as(PlacementView.class);
        var web1 = post(Map.of("workload", "web-1", "type", "mdpy-vga", "antiAffinityGroup", "web")).statusCode(201)
                .extract().as(PlacementView.class);
        var web2 = post(Map.of("workload", "web-2", "type", "mdpy-vga", "antiAffinityGroup", "web")).statusCode(201)
                .extract().as(PlacementView.class);
        var web3 = problem(post(Map.of("workload", "web-3", "type", "mdpy-vga", "antiAffinityGroup", "web")), 409,
                "no-capacity");

        assertThat(packedToo.host()).isEqualTo(packed.host());
        assertThat(spread.host()).isNotEqualTo(packed.host());
        assertThat(spread.policy()).isEqualTo("spread");
        assertThat(web2.host()).isNotEqualTo(web1.host());
        assertThat(web3.detail()).contains("anti-affinity");
        assertThat(data.antiAffinityBreaches()).isEmpty();
    }

    @Test
    void devicesAHostReportsCountBeforeTheNextPlacementEvenIfTheIndexHasNotSynced() {
        importFleet(TestFleets.dsa(1));
        post(Map.of("workload", "vga-1", "type", "mdpy-vga")).statusCode(201);
        // the host now reports three devices nobody placed on mdpy: with vga-1's reservation the parent is full
        var devices = List.of(new FleetDevice(new UUID(7, 1).toString(), "mdpy-vga", 1, null),
                new FleetDevice(new UUID(7, 2).toString(), "mdpy-vga", 1, null),
                new FleetDevice(new UUID(7, 3).toString(), "mdpy-vga", 1, null));
        given().contentType(ContentType.JSON).body(FleetJson.toJson(TestFleets.dsaHost(1, devices)))
                .put("/api/v1/hosts/node-1/inventory").then().statusCode(200);

        var full = problem(post(Map.of("workload", "vga-2", "type", "mdpy-vga")), 409, "no-capacity");

        assertThat(full.detail()).contains("without enough free capacity");
        assertThat(data.overbookedPools()).isEmpty();
    }

    @Test
    void aBatchPlacesWhatFitsAndAnswersEveryRequest() {
        importFleet(TestFleets.dsa(2));
        post(Map.of("workload", "old-1", "type", "mdpy-vga")).statusCode(201);
        post(Map.of("workload", "old-2", "type", "mdpy-vga")).statusCode(201);
        var requests = List.<Object>of(
                Map.of("workload", "old-1", "type", "mdpy-vga"),
                Map.of("workload", "old-2", "type", "dsa-wq"),
                Map.of("workload", "new-1", "type", "dsa-wq", "instances", 4),
                Map.of("workload", "new-2", "type", "dsa-wq", "instances", 4),
                Map.of("workload", "new-3", "type", "dsa-wq", "instances", 4),
                Map.of("workload", "new-4", "type", "dsa-wq", "instances", 4),
                Map.of("workload", "new-5", "type", "dsa-wq", "instances", 4));

        var answer = given().contentType(ContentType.JSON).body(Map.of("requests", requests, "timeLimitMillis", 500))
                .urlEncodingEnabled(false).post("/api/v1/placements:batch").then().statusCode(200).extract().as(BatchAnswer.class);

        assertThat(answer.results()).extracting(BatchAnswer.BatchResult::outcome).containsExactly(
                "existing", "conflict", "placed", "placed", "placed", "placed", "unplaced");
        assertThat(answer.placed()).isEqualTo(4);
        assertThat(answer.unplaced()).isEqualTo(1);
        assertThat(answer.results().get(6).reason()).contains("dsa-wq");
        assertThat(answer.results().get(1).reason()).contains("old-2", "DELETE");
        assertThat(data.count("SELECT count(*) FROM placements WHERE workload LIKE 'new-%' AND state = 'pending'"))
                .isEqualTo(4);
        assertThat(data.overbookedPools()).isEmpty();
        // the online index sees the batch's placements at once
        problem(post(Map.of("workload", "one-more", "type", "dsa-wq")), 409, "no-capacity");
    }

    @Test
    void aBatchOfModeAllPlacesNothingUnlessEverythingFits() {
        importFleet(TestFleets.dsa(1));
        var requests = List.<Object>of(
                Map.of("workload", "a", "type", "dsa-wq", "instances", 4),
                Map.of("workload", "b", "type", "dsa-wq", "instances", 4),
                Map.of("workload", "c", "type", "dsa-wq", "instances", 1));

        var refused = problem(given().contentType(ContentType.JSON).body(Map.of("requests", requests, "mode", "all",
                "timeLimitMillis", 500)).urlEncodingEnabled(false).post("/api/v1/placements:batch").then(), 409, "no-capacity");
        var invalid = problem(given().contentType(ContentType.JSON).body(Map.of("requests", List.of(
                Map.of("workload", "a", "type", "dsa-wq"), Map.of("workload", "a", "type", "dsa-wq", "instances", 9)),
                "mode", "some")).urlEncodingEnabled(false).post("/api/v1/placements:batch").then(), 422, "invalid-placement");
        var placed = given().contentType(ContentType.JSON).body(Map.of("requests", requests.subList(0, 2), "mode",
                "all", "timeLimitMillis", 500)).urlEncodingEnabled(false).post("/api/v1/placements:batch").then().statusCode(200).extract()
                .as(BatchAnswer.class);

        assertThat(refused.problems()).hasSize(1);
        assertThat(refused.problems().get(0).path()).startsWith("$.requests[");
        assertThat(invalid.problems()).extracting(item -> item.path())
                .contains("$.mode");
        assertThat(placed.placed()).isEqualTo(2);
        assertThat(data.count("SELECT count(*) FROM placements")).isEqualTo(2);
    }

    @Test
    void aBatchRefusesBadRequestsNamingEachByItsPath() {
        importFleet(TestFleets.dsa(1));
        var before = data.fingerprint();

        var invalid = problem(given().contentType(ContentType.JSON).body(Map.of("requests", List.of(
                Map.of("workload", "a", "type", "dsa-wq"),
                Map.of("workload", "a", "type", "dsa-wq", "instances", 9),
                Map.of("workload", "c", "type", "dsa-wq", "policy", "spread")))).urlEncodingEnabled(false).post("/api/v1/placements:batch")
                .then(), 422, "invalid-placement");
        var empty = problem(given().contentType(ContentType.JSON).body(Map.of("requests", List.of()))
                .urlEncodingEnabled(false).post("/api/v1/placements:batch").then(), 422, "invalid-placement");
        var limit = problem(given().contentType(ContentType.JSON).body(Map.of("requests", List.of(
                Map.of("workload", "a", "type", "dsa-wq")), "timeLimitMillis", 0)).urlEncodingEnabled(false).post("/api/v1/placements:batch")
                .then(), 422, "invalid-placement");

        assertThat(invalid.problems()).extracting(item -> item.path())
                .containsExactlyInAnyOrder("$.requests[1].workload", "$.requests[1].instances");
        assertThat(at(empty, "$.requests").message()).contains("at least one");
        assertThat(at(limit, "$.timeLimitMillis").value()).isEqualTo("0");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void metricsCountPlacementsByOutcome() {
        importFleet(TestFleets.dsa(1));
        post(Map.of("workload", "m-1", "type", "mdpy-vga")).statusCode(201);
        post(Map.of("workload", "m-1", "type", "mdpy-vga")).statusCode(200);

        var metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).contains("mdevplan_placement_requests_seconds_count{outcome=\"placed\"",
                "mdevplan_placement_requests_seconds_count{outcome=\"existing\"",
                "mdevplan_placement_decisions_seconds_bucket", "mdevplan_placement_index_rebuilds_seconds_count");
    }

    private static ValidatableResponse post(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/placements").then();
    }

    private static List<PlacementView> list(String path) {
        return given().get(path).then().statusCode(200).extract().as(new TypeRef<List<PlacementView>>() {
        });
    }

    private static void importFleet(String fleet) {
        given().contentType(ContentType.JSON).body(fleet).post("/api/v1/fleet").then().statusCode(200);
    }
}

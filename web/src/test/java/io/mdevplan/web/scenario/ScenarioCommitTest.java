package io.mdevplan.web.scenario;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.mdevplan.web.testing.Scenarios.addMdpy;
import static io.mdevplan.web.testing.Scenarios.commit;
import static io.mdevplan.web.testing.Scenarios.done;
import static io.mdevplan.web.testing.Scenarios.get;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.web.placement.PlacementView;
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
class ScenarioCommitTest {

    /** The mdpy-vga request the reserve tests race against the reservations: node-1's mdpy parent holds 4. */
    private static final Map<String, Object> ZONE_A_MDPY = Map.of("workload", "vm-online", "type", "mdpy-vga",
            "hostSelector", Map.of("zone", "a"));

    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
        given().contentType(ContentType.JSON).body(TestFleets.dsa(2)).post("/api/v1/fleet").then().statusCode(200);
    }

    @Test
    void aDispatchMakesPendingPlacementsWithTheirCreateActions() {
        var id = done(addMdpy(2, "a"));

        var committed = commit(id, Map.of("mode", "dispatch")).statusCode(200).extract().as(CommitView.class);

        assertThat(committed.mode()).isEqualTo("dispatch");
        assertThat(committed.placed()).extracting(PlacementView::workload, PlacementView::host, PlacementView::state)
                .containsExactlyInAnyOrder(tuple("s" + id + "-new-0-1", "node-1",
                        "pending"), tuple("s" + id + "-new-0-2", "node-1", "pending"));
        assertThat(data.column("SELECT p.workload || ' ' || a.op || ' ' || a.state || ' ' || a.parent_address"
                + " FROM host_actions a JOIN placements p ON p.id = a.placement_id WHERE p.scenario_id = " + id
                + " ORDER BY p.workload")).containsExactly("s" + id + "-new-0-1 create pending mdpy",
                        "s" + id + "-new-0-2 create pending mdpy");
        assertThat(get(id).getString("commit.mode")).isEqualTo("dispatch");
        assertThat(get(id).getInt("commit.placements")).isEqualTo(2);
        assertThat(given().get("/api/v1/hosts/node-1/actions").then().statusCode(200).extract().jsonPath()
                .getList("actions.op", String.class)).containsExactly("create", "create");
        problem(commit(id, Map.of("mode", "dispatch")), 409, "conflict");
        assertThat(data.overbookedPools()).isEmpty();
    }

    @Test
    void aDispatchOfADrainMovesTheWorkloadAndCordonsTheHost() {
        var placed = place(Map.of("workload", "vm-1", "type", "mdpy-vga")).statusCode(201).extract()
                .as(PlacementView.class);
        var drained = placed.host();
        var other = drained.equals("node-1") ? "node-2" : "node-1";
        var id = done(Map.of("changes", List.of(Map.of("op", "drainHosts", "hosts", List.of(drained)))));
        assertThat(get(id).getInt("result.plan.moves")).isEqualTo(1);

        var committed = commit(id, Map.of("mode", "dispatch")).statusCode(200).extract().as(CommitView.class);

        assertThat(committed.released()).containsExactly("vm-1");
        assertThat(committed.cordoned()).containsExactly(drained);
        assertThat(committed.placed()).singleElement().satisfies(placement -> {
            assertThat(placement.workload()).isEqualTo("vm-1");
            assertThat(placement.host()).isEqualTo(other);
            assertThat(placement.uuid()).isNotEqualTo(placed.uuid());
        });
        assertThat(data.column("SELECT state FROM placements WHERE workload = 'vm-1' ORDER BY created_at"))
                .containsExactly("released", "pending");
        // the old create was never handed out: cancelled; the new one waits for the other host
        assertThat(data.column("SELECT h.name || ' ' || a.op || ' ' || a.state FROM host_actions a"
                + " JOIN hosts h ON h.id = a.host_id ORDER BY a.id"))
                .containsExactly(drained + " create cancelled", other + " create pending");
        assertThat(data.column("SELECT schedulable::text FROM hosts WHERE name = '" + drained + "'"))
                .containsExactly("false");
        // cordoned, the drained host takes nothing more
        var next = place(Map.of("workload", "vm-2", "type", "mdpy-vga")).statusCode(201).extract()
                .as(PlacementView.class);
        assertThat(next.host()).isEqualTo(other);
    }

    @Test
    void aMovedWorkloadsOldDeviceHoldsItsCapacityAsNoOnesUntilItsHostRemovesIt() {
        var uuid = "3f1b9a52-6c0e-4d7a-9e21-5b8c4d2a7f10";
        given().contentType(ContentType.JSON).body(FleetJson.toJson(new FleetDocument(List.of(
                TestFleets.dsaHost(1, List.of(new FleetDevice(uuid, "mdpy-vga", 1, "vm-1"))),
                TestFleets.dsaHost(2, List.of())), List.of(new FleetWorkload("vm-1", "mdpy-vga", 1, null, null,
                        Map.of()))))).post("/api/v1/fleet").then().statusCode(200);
        var drain = done(Map.of("changes", List.of(Map.of("op", "drainHosts", "hosts", List.of("node-1")))));
        commit(drain, Map.of("mode", "dispatch")).statusCode(200);
        assertThat(data.column("SELECT a.op || ' ' || a.state FROM host_actions a JOIN hosts h ON h.id = a.host_id"
                + " WHERE h.name = 'node-1'")).containsExactly("remove pending");

        // node-1 still reports vm-1's old device: the next scenario sees it as no workload's, vm-1 where it went
        var after = get(done(Map.of("headroomProfiles", List.of(Map.of("type", "mdpy-vga")))));

        assertThat(after.getInt("result.plan.moves")).isZero();
        assertThat(after.getInt("result.plan.keeps")).isEqualTo(1);
        assertThat(after.getInt("result.placed")).isEqualTo(1);
        // node-2 has 3 left beside vm-1; cordoned node-1 offers none
        assertThat(after.getLong("result.headroom[0].total")).isEqualTo(3);
        assertThat(given().get("/api/v1/hosts/node-1").then().extract().jsonPath()
                .getInt("parents.find { it.address == 'mdpy' }.pools[0].used")).isEqualTo(1);
    }

    @Test
    void aDispatchIsRefusedWhenTheFleetChangedSoThatThePlanNoLongerFits() {
        var id = done(addMdpy(4, "a"));
        place(ZONE_A_MDPY).statusCode(201);
        var before = data.fingerprint();

        var refused = problem(commit(id, Map.of("mode", "dispatch")), 409, "conflict");

        assertThat(refused.detail()).contains("changed since scenario " + id);
        assertThat(refused.problems()).hasSize(1);
        assertThat(refused.problems().get(0).path()).startsWith("$.result.plan.actions[");
        assertThat(refused.problems().get(0).value()).isEqualTo("node-1/mdpy");
        assertThat(refused.problems().get(0).message()).contains("cannot take s" + id + "-new-0-", "mdpy-vga x1");
        assertThat(data.fingerprint()).isEqualTo(before);
        assertThat(get(id).getString("commit")).isNull();
    }

    @Test
    void aDispatchIsRefusedWhenAWorkloadItMovesWasReleasedMeanwhile() {
        var placed = place(Map.of("workload", "vm-1", "type", "mdpy-vga")).statusCode(201).extract()
                .as(PlacementView.class);
        var id = done(Map.of("changes", List.of(Map.of("op", "drainHosts", "hosts", List.of(placed.host())))));
        given().delete("/api/v1/placements/vm-1").then().statusCode(200);

        var refused = problem(commit(id, Map.of("mode", "dispatch")), 409, "conflict");

        assertThat(refused.problems()).singleElement().satisfies(item -> {
            assertThat(item.value()).isEqualTo("vm-1");
            assertThat(item.message()).contains("no live placement any more");
        });
        assertThat(data.column("SELECT schedulable::text FROM hosts ORDER BY name")).containsOnly("true");
    }

    @Test
    void aReservationKeepsOnlinePlacementsOffTheCapacityUntilItIsReleased() {
        var id = done(addMdpy(4, "a"));

        var reserved = commit(id, Map.of("mode", "reserve")).statusCode(200).extract().as(CommitView.class);

        assertThat(reserved.placed()).hasSize(4).allSatisfy(placement -> {
            assertThat(placement.state()).isEqualTo("reserved");
            assertThat(placement.host()).isEqualTo("node-1");
        });
        assertThat(reserved.expiresAt()).isNotNull();
        assertThat(data.count("SELECT count(*) FROM host_actions")).as("a reservation tells no host").isZero();
        assertThat(given().get("/api/v1/hosts/node-1").then().statusCode(200).extract().jsonPath()
                .getList("parents.find { it.address == 'mdpy' }.reserved.state", String.class))
                .containsOnly("reserved").hasSize(4);
        problem(place(ZONE_A_MDPY), 409, "no-capacity");
        problem(commit(id, Map.of("mode", "reserve")), 409, "conflict");

        var released = given().delete("/api/v1/scenarios/" + id + "/commit").then().statusCode(200).extract()
                .as(CommitView.class);

        assertThat(released.reservationsReleased()).isEqualTo(4);
        assertThat(released.releasedAt()).isNotNull();
        assertThat(place(ZONE_A_MDPY).statusCode(201).extract().as(PlacementView.class).host()).isEqualTo("node-1");
        assertThat(get(id).getString("commit.releasedAt")).isNotNull();
        assertThat(data.count("SELECT count(*) FROM placements WHERE state = 'reserved'")).isZero();
        given().delete("/api/v1/scenarios/" + id + "/commit").then().statusCode(200);
    }

    @Test
    void aReservationExpires() {
        var id = done(addMdpy(4, "a"));
        commit(id, Map.of("mode", "reserve", "ttlSeconds", 1)).statusCode(200);
        problem(place(ZONE_A_MDPY), 409, "no-capacity");

        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (get(id).getString("commit.releasedAt") == null && System.nanoTime() < deadline) {
            pause();
        }

        assertThat(get(id).getString("commit.releasedAt")).isNotNull();
        assertThat(place(ZONE_A_MDPY).statusCode(201).extract().as(PlacementView.class).host()).isEqualTo("node-1");
    }

    @Test
    void aReservedPlanIsDispatchedOnItsOwnReservations() {
        var id = done(addMdpy(4, "a"));
        commit(id, Map.of("mode", "reserve")).statusCode(200);

        var dispatched = commit(id, Map.of("mode", "dispatch", "workloadPrefix", "q3-")).statusCode(200).extract()
                .as(CommitView.class);

        assertThat(dispatched.reservationsReleased()).isEqualTo(4);
        assertThat(dispatched.placed()).extracting(PlacementView::workload).containsExactlyInAnyOrder("q3-new-0-1",
                "q3-new-0-2", "q3-new-0-3", "q3-new-0-4");
        assertThat(data.column("SELECT DISTINCT state FROM placements")).containsExactly("pending");
        problem(given().delete("/api/v1/scenarios/" + id + "/commit").then(), 409, "conflict");
        assertThat(data.overbookedPools()).isEmpty();
    }

    @Test
    void aCommitNeedsADoneScenarioOnTheLiveFleetAndAKnownMode() {
        var id = done(addMdpy(1, "a"));
        var embedded = done("{\"base\": " + TestFleets.dsa(1) + ", \"changes\": [{\"op\": \"addWorkloads\","
                + " \"count\": 1, \"profile\": {\"type\": \"mdpy-vga\"}}]}");

        var unknownMode = problem(commit(id, Map.of("mode", "apply")), 422, "unprocessable");
        var noMode = problem(commit(id, Map.of()), 422, "unprocessable");
        var badTtl = problem(commit(id, Map.of("mode", "dispatch", "ttlSeconds", 60)), 422, "unprocessable");
        var badPrefix = problem(commit(id, Map.of("mode", "dispatch", "workloadPrefix", "../")), 422,
                "unprocessable");
        var onEmbedded = problem(commit(embedded, Map.of("mode", "reserve")), 409, "conflict");

        assertThat(at(unknownMode, "$.mode").value()).isEqualTo("apply");
        assertThat(at(noMode, "$.mode").value()).isNull();
        assertThat(at(badTtl, "$.ttlSeconds").value()).isEqualTo("60");
        assertThat(at(badPrefix, "$.workloadPrefix").value()).isEqualTo("../");
        assertThat(onEmbedded.detail()).contains("embeds");
        problem(commit("999999", Map.of("mode", "dispatch")), 404, "not-found");
        problem(given().delete("/api/v1/scenarios/" + id + "/commit").then(), 409, "conflict");
        assertThat(get(embedded).getString("base")).isEqualTo("embedded");
    }

    private static ValidatableResponse place(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/placements").then();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

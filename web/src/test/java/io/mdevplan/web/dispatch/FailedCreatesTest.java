package io.mdevplan.web.dispatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.web.host.HostView;
import io.mdevplan.web.host.PoolView;
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

/** What follows a failed create: release or replace, by the placement's policy (onFailure). */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class FailedCreatesTest {

    private static final String ENOSPC = "ENOSPC: no space left on the parent";

    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
        // pack's weights, placing again after a failed create
        given().contentType(ContentType.JSON).body("{\"weights\": {\"parents-in-use\": 100, \"hosts-in-use\": 1000,"
                + " \"moves\": 10000}, \"onFailure\": \"replace\"}").put("/api/v1/policies/retry").then()
                .statusCode(201);
    }

    @Test
    void underReleaseAFailedCreateFreesItsCapacityAndTheWorkloadStaysFailed() {
        importFleet(TestFleets.dsa(2));
        var placed = place(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 4));

        var failed = failCreate(placed);

        assertThat(failed.placementState()).isEqualTo("failed");
        assertThat(failed.placementReason()).isEqualTo(ENOSPC);
        assertThat(failed.replacement()).isNull();
        assertThat(history("vm-1")).containsExactly("failed " + placed.host() + " " + ENOSPC);
        assertThat(data.count("SELECT count(*) FROM host_actions")).isEqualTo(1);
        assertThat(dsaPool(placed.host())).isEqualTo(new PoolView("wq", 8, 0, 8));
    }

    @Test
    void underReplaceTheWorkloadIsPlacedAgainOnAnotherParentWithItsOwnCreate() {
        // node-1 and node-3 are in zone a, node-2 and node-4 in zone b
        importFleet(TestFleets.dsa(4));
        var placed = place(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 4, "hostSelector",
                Map.of("zone", "a"), "policy", "retry"));
        var other = placed.host().equals("node-1") ? "node-3" : "node-1";

        var failed = failCreate(placed);

        assertThat(failed.placementState()).isEqualTo("failed");
        assertThat(failed.placementReason()).isEqualTo(ENOSPC);
        var again = failed.replacement();
        assertThat(again.host()).isEqualTo(other);
        assertThat(again.parent()).isEqualTo("0000:6a:01.0");
        assertThat(again.state()).isEqualTo("pending");
        assertThat(again.uuid()).isNotEqualTo(placed.uuid());
        assertThat(List.of(again.type(), again.instances(), again.hostSelector(), again.policy()))
                .containsExactly("dsa-wq", 4, Map.of("zone", "a"), "retry");
        // the failed one stays as history; the new one says what it replaces
        assertThat(history("vm-1")).containsExactly("failed " + placed.host() + " " + ENOSPC,
                "pending " + other + " null");
        assertThat(data.column("SELECT r.replacements || ' ' || (r.replacement_of = f.id) FROM placements r"
                + " JOIN placements f ON f.workload = r.workload AND f.state = 'failed' WHERE r.state = 'pending'"))
                .containsExactly("1 true");
        assertThat(given().get("/api/v1/placements/vm-1").then().statusCode(200).extract().as(PlacementView.class))
                .isEqualTo(again);
        var plan = poll(other);
        assertThat(plan.actions()).singleElement().isEqualTo(new HostPlan.Action(plan.actions().get(0).id(),
                "create", again.uuid(), "0000:6a:01.0", "dsa-wq", 4, List.of()));
        assertThat(poll(placed.host()).actions()).isEmpty();
        assertThat(dsaPool(placed.host())).isEqualTo(new PoolView("wq", 8, 0, 8));
        assertThat(dsaPool(other)).isEqualTo(new PoolView("wq", 8, 4, 4));
        // the same result again answers the stored one, with what replaced it
        var repeated = postResult(placed.host(), failed.id(), failedBody()).statusCode(200).extract()
                .as(ActionResultView.class);
        assertThat(repeated.updatedAt()).isEqualTo(failed.updatedAt());
        assertThat(repeated.replacement().uuid()).isEqualTo(again.uuid());
    }

    @Test
    void anotherParentOfTheSameHostWillDoAndTheAvoidedParentKeepsItsRoom() {
        // under pack, the fuller mdpy-0 is preferred while it has room: placing again must skip it even so
        importFleet(twoMdpyParents());
        var placed = place(Map.of("workload", "vm-1", "type", "mdpy-vga", "policy", "retry"));
        assertThat(placed.parent()).isEqualTo("mdpy-0");

        var again = failCreate(placed).replacement();

        assertThat(again.host()).isEqualTo("node-1");
        assertThat(again.parent()).isEqualTo("mdpy-1");
        // what filled mdpy-0 for that decision is gone: two more fit there, and pack puts them there
        assertThat(place(Map.of("workload", "vm-2", "type", "mdpy-vga")).parent()).isEqualTo("mdpy-0");
        assertThat(place(Map.of("workload", "vm-3", "type", "mdpy-vga")).parent()).isEqualTo("mdpy-0");
        var host = given().get("/api/v1/hosts/node-1").then().statusCode(200).extract().as(HostView.class);
        assertThat(host.parents()).extracting(parent -> parent.address() + " " + parent.pools().get(0).used())
                .containsExactly("mdpy-0 4", "mdpy-1 1");
        assertThat(data.overbookedPools()).isEmpty();
    }

    @Test
    void whenNothingElseFitsThePlacementStaysFailedSayingWhy() {
        importFleet(TestFleets.dsa(2));
        var request = Map.<String, Object>of("workload", "vm-1", "type", "dsa-wq", "instances", 4, "hostSelector",
                Map.of("zone", "a"), "policy", "retry");
        var placed = place(request);

        var failed = failCreate(placed);

        assertThat(failed.replacement()).isNull();
        assertThat(failed.placementReason()).startsWith(ENOSPC + "; not placed again: no parent but"
                + " node-1/0000:6a:01.0, where its creates failed, can take it: ");
        var stored = given().get("/api/v1/placements/vm-1").then().statusCode(200).extract().as(PlacementView.class);
        assertThat(stored.state()).isEqualTo("failed");
        assertThat(stored.reason()).isEqualTo(failed.placementReason());
        assertThat(data.count("SELECT count(*) FROM placements")).isEqualTo(1);
        // its capacity is free: the scheduler may place it there again
        assertThat(place(request).host()).isEqualTo("node-1");
    }

    @Test
    void aWorkloadIsPlacedAgainAtMostMaxReplacementsTimesInARow() {
        importFleet(TestFleets.dsa(5));
        var placedAgain = Metrics.value("mdevplan_dispatch_replacements_total", "outcome=\"placed\"");
        var limited = Metrics.value("mdevplan_dispatch_replacements_total", "outcome=\"limit\"");
        var placement = place(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 4, "policy", "retry"));
        var hosts = new ArrayList<String>();

        // a driver that fails everywhere: the default bound is 3
        ActionResultView failed = null;
        for (var create = 0; create < 4; create++) {
            hosts.add(placement.host());
            failed = failCreate(placement);
            placement = failed.replacement();
        }

        assertThat(placement).isNull();
        assertThat(hosts).doesNotHaveDuplicates();
        assertThat(failed.placementReason()).isEqualTo(ENOSPC + "; not placed again: it was placed again 3 times in"
                + " a row already (mdevplan.dispatch.max-replacements)");
        assertThat(data.column("SELECT state || ' ' || replacements FROM placements ORDER BY replacements"))
                .containsExactly("failed 0", "failed 1", "failed 2", "failed 3");
        // a fifth host was left, untried
        assertThat(data.count("SELECT count(*) FROM hosts h WHERE NOT EXISTS (SELECT 1 FROM host_actions a"
                + " WHERE a.host_id = h.id)")).isEqualTo(1);
        assertThat(Metrics.value("mdevplan_dispatch_replacements_total", "outcome=\"placed\""))
                .isEqualTo(placedAgain + 3);
        assertThat(Metrics.value("mdevplan_dispatch_replacements_total", "outcome=\"limit\""))
                .isEqualTo(limited + 1);
    }

    @Test
    void aFailedResultPostedManyTimesAtOnceIsStoredAndFollowedOnce() throws Exception {
        importFleet(TestFleets.dsa(2));
        var placed = place(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 4, "policy", "retry"));
        var id = poll(placed.host()).actions().get(0).id();
        var posters = 8;
        var start = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(posters);
        try {
            var answers = new ArrayList<CompletableFuture<ActionResultView>>();
            for (var i = 0; i < posters; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return postResult(placed.host(), id, failedBody()).statusCode(200).extract()
                            .as(ActionResultView.class);
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(answers).extracting(answer -> answer.join().updatedAt()).containsOnly(
                    answers.get(0).join().updatedAt());
            assertThat(answers).extracting(answer -> answer.join().placementState()).containsOnly("failed");
        } finally {
            pool.shutdownNow();
        }
        assertThat(data.column("SELECT state FROM placements WHERE workload = 'vm-1' ORDER BY state"))
                .containsExactly("failed", "pending");
        assertThat(data.column("SELECT op || ' ' || state FROM host_actions ORDER BY id"))
                .containsExactly("create failed", "create pending");
        assertThat(data.overbookedPools()).isEmpty();
    }

    /** Hands out the placement's create and posts it failed with ENOSPC; answers the stored result. */
    private static ActionResultView failCreate(PlacementView placement) {
        var create = poll(placement.host()).actions().stream().filter(action -> action.uuid().equals(placement.uuid()))
                .findFirst().orElseThrow(() -> new AssertionError("No create for " + placement.uuid()));
        return postResult(placement.host(), create.id(), failedBody()).statusCode(200).extract()
                .as(ActionResultView.class);
    }

    private static Map<String, ?> failedBody() {
        return Map.of("status", "failed", "error", Map.of("errno", "ENOSPC", "message",
                "no space left on the parent"));
    }

    /** The workload's placements, oldest first: state, host, reason. */
    private List<String> history(String workload) {
        return data.column("SELECT p.state || ' ' || h.name || ' ' || coalesce(p.reason, 'null') FROM placements p"
                + " JOIN parents pa ON pa.id = p.parent_id JOIN hosts h ON h.id = pa.host_id"
                + " WHERE p.workload = '" + workload + "' ORDER BY p.replacements");
    }

    private static PoolView dsaPool(String host) {
        return given().get("/api/v1/hosts/" + host).then().statusCode(200).extract().as(HostView.class).parents()
                .stream().filter(parent -> parent.address().equals("0000:6a:01.0")).findFirst().orElseThrow()
                .pools().stream().filter(pool -> pool.name().equals("wq")).findFirst().orElseThrow();
    }

    /**
     * Host node-1 in zone a with two mdpy parents of 4 devices each: mdpy-0 holds two devices already, mdpy-1 none.
     */
    private static String twoMdpyParents() {
        var devices = List.of(new FleetDevice(UUID.randomUUID().toString(), "mdpy-vga", 1, null),
                new FleetDevice(UUID.randomUUID().toString(), "mdpy-vga", 1, null));
        var host = new FleetHost("node-1", Map.of("zone", "a"), true, List.of(mdpy("mdpy-0", devices),
                mdpy("mdpy-1", List.of())));
        return FleetJson.toJson(new FleetDocument(List.of(host), List.of()));
    }

    private static FleetParent mdpy(String address, List<FleetDevice> devices) {
        return new FleetParent(address, "mdpy", true, Map.of("instances", 4L), List.of(new FleetType("mdpy-vga",
                "vga", "vfio-pci", Map.of("instances", 1L), Aggregation.NONE, null)), devices);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HostPlan poll(String host) {
        return given().get("/api/v1/hosts/" + host + "/actions").then().statusCode(200).extract().as(HostPlan.class);
    }

    private static ValidatableResponse postResult(String host, String id, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body)
                .post("/api/v1/hosts/" + host + "/actions/" + id + "/result").then();
    }

    private static PlacementView place(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/placements").then().statusCode(201)
                .extract().as(PlacementView.class);
    }

    private static void importFleet(String fleet) {
        given().contentType(ContentType.JSON).body(fleet).post("/api/v1/fleet").then().statusCode(200);
    }
}

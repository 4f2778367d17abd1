package io.mdevplan.web.dispatch;

import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
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

/** Dispatch under concurrency: releases racing hand-outs, results posted at once. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DispatchRaceTest {

    private static final int WORKLOADS = 200;
    private static final int RELEASERS = 8;
    /** Live placements at most: below the host's 64 ports, so that placing never waits for capacity. */
    private static final int LIVE = 48;

    @Inject
    TestData data;

    private ExecutorService pool;

    @BeforeEach
    void reset() {
        data.reset();
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /**
     * Workloads are placed one after another on one host, each released by one of several threads at once or a few
     * milliseconds later, while the host's executor long-polls, applies and answers: every placement ends either
     * with its create cancelled before it was handed out and no remove, or with its create handed out and then a
     * remove; no remove is handed out before its create, and no create is lost.
     */
    @Test
    void releasesRacingHandOutsCancelACreateOrQueueItsRemoveNeverBoth() throws Exception {
        importFleet(serialRig());
        var handedOut = new ArrayList<HostPlan.Action>();
        var releasing = new LinkedBlockingQueue<String>();
        var room = new Semaphore(LIVE);
        var placing = new AtomicBoolean(true);

        var executor = CompletableFuture.runAsync(() -> {
            // polls until the releases are over and a poll finds nothing, answering every action done
            for (var last = false; !last;) {
                var over = !placing.get() && releasing.isEmpty();
                var plan = given().queryParam("wait", over ? "0" : "200ms").get("/api/v1/hosts/node-1/actions").then()
                        .statusCode(200).extract().as(HostPlan.class);
                synchronized (handedOut) {
                    handedOut.addAll(plan.actions());
                }
                plan.actions().forEach(action -> given().contentType(ContentType.JSON).body(Map.of("status", "done"))
                        .post("/api/v1/hosts/node-1/actions/" + action.id() + "/result").then().statusCode(200));
                last = over && plan.actions().isEmpty();
            }
        }, pool);
        var releasers = new ArrayList<CompletableFuture<Void>>();
        for (var r = 0; r < RELEASERS; r++) {
            releasers.add(CompletableFuture.runAsync(() -> {
                try {
                    for (var workload = releasing.poll(30, TimeUnit.SECONDS); workload != null && !workload.isEmpty();
                            workload = releasing.poll(30, TimeUnit.SECONDS)) {
                        var delay = ThreadLocalRandom.current().nextInt(-4, 8);
                        if (delay > 0) {
                            Thread.sleep(delay);
                        }
                        given().delete("/api/v1/placements/" + workload).then().statusCode(200);
                        room.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, pool));
        }
        var workers = new ArrayList<CompletableFuture<Void>>(releasers);
        workers.add(executor);
        for (var w = 0; w < WORKLOADS; w++) {
            acquire(room, workers);
            place("w-" + w);
            releasing.add("w-" + w);
        }
        for (var r = 0; r < RELEASERS; r++) {
            releasing.add("");
        }
        CompletableFuture.allOf(releasers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        placing.set(false);
        executor.get(120, TimeUnit.SECONDS);

        // the order each action was first handed out in
        var firstHandedOut = new HashMap<String, Integer>();
        for (var i = 0; i < handedOut.size(); i++) {
            firstHandedOut.putIfAbsent(handedOut.get(i).id(), i);
        }
        var rows = data.column("SELECT p.state || ' ' || c.id || ' ' || c.state || ' ' || coalesce(r.id::text, '-')"
                + " || ' ' || coalesce(r.state, '-') FROM placements p"
                + " JOIN host_actions c ON c.placement_id = p.id AND c.op = 'create'"
                + " LEFT JOIN host_actions r ON r.placement_id = p.id AND r.op = 'remove' ORDER BY p.id");
        assertThat(rows).hasSize(WORKLOADS);
        var cancelled = 0;
        for (var row : rows) {
            var columns = row.split(" ");
            var create = columns[1];
            assertThat(columns[0]).as(row).isEqualTo("released");
            if (columns[2].equals("cancelled")) {
                cancelled++;
                assertThat(firstHandedOut).as("a cancelled create is never handed out: " + row)
                        .doesNotContainKey(create);
                assertThat(columns[3]).as("nothing to remove: " + row).isEqualTo("-");
            } else {
                var remove = columns[3];
                assertThat(columns[2]).as("a create not cancelled is handed out and answered: " + row)
                        .isEqualTo("done");
                assertThat(remove).as("a create handed out is followed by a remove: " + row).isNotEqualTo("-");
                assertThat(Long.parseLong(remove)).as(row).isGreaterThan(Long.parseLong(create));
                assertThat(columns[4]).as(row).isEqualTo("done");
                assertThat(firstHandedOut.get(create)).as("the create is handed out before its remove: " + row)
                        .isLessThan(firstHandedOut.get(remove));
            }
        }
        // the race went both ways
        assertThat(cancelled).as("creates cancelled before their hand-out").isPositive();
        assertThat(WORKLOADS - cancelled).as("creates handed out before their release").isPositive();
        assertThat(data.count("SELECT count(*) FROM host_actions WHERE state = 'pending'")).isZero();
    }

    @Test
    void aResultPostedManyTimesAtOnceIsStoredOnce() throws Exception {
        importFleet(TestFleets.dsa(2));
        // two dsa-wq x4 fill node-1's 8 work queues
        var request = Map.<String, Object>of("workload", "vm-1", "type", "dsa-wq", "instances", 4, "hostSelector",
                Map.of("zone", "a"));
        place(request);
        place(Map.of("workload", "vm-2", "type", "dsa-wq", "instances", 4, "hostSelector", Map.of("zone", "a")));
        var id = given().get("/api/v1/hosts/node-1/actions").then().statusCode(200).extract().as(HostPlan.class)
                .actions().get(0).id();
        var books = data.count("SELECT usage_version FROM hosts WHERE name = 'node-1'");
        var stored = Metrics.value("mdevplan_dispatch_actions_total", "op=\"create\"", "result=\"failed\"");
        var failed = Map.of("status", "failed", "error", Map.of("errno", "EBUSY", "message", "busy"));

        var answers = postAtOnce(id, List.of(failed, failed, failed, failed, failed, failed, failed, failed));

        assertThat(answers).allSatisfy(answer -> answer.statusCode(200));
        assertThat(answers).extracting(answer -> answer.extract().as(ActionResultView.class).updatedAt())
                .containsOnly(answers.get(0).extract().as(ActionResultView.class).updatedAt());
        // stored once: capacity freed once, the books bumped once, counted once
        assertThat(data.count("SELECT usage_version FROM hosts WHERE name = 'node-1'")).isEqualTo(books + 1);
        assertThat(Metrics.value("mdevplan_dispatch_actions_total", "op=\"create\"", "result=\"failed\""))
                .isEqualTo(stored + 1);
        assertThat(data.column("SELECT state || ' ' || coalesce(reason, '-') FROM placements ORDER BY id"))
                .containsExactly("failed EBUSY: busy", "applying -");
        // freed: the same request fits on node-1 again
        assertThat(place(request).host()).isEqualTo("node-1");
        assertThat(data.overbookedPools()).isEmpty();
    }

    @Test
    void differentResultsPostedAtOnceStoreOneAndRefuseTheOthers() throws Exception {
        importFleet(TestFleets.dsa(2));
        place(Map.of("workload", "vm-1", "type", "mdpy-vga", "hostSelector", Map.of("zone", "a")));
        var id = given().get("/api/v1/hosts/node-1/actions").then().statusCode(200).extract().as(HostPlan.class)
                .actions().get(0).id();
        var done = Map.of("status", "done");
        var failed = Map.of("status", "failed", "error", Map.of("errno", "EINVAL", "message", "bad"));

        var answers = postAtOnce(id, List.of(done, failed, done, failed, done, failed, done, failed));

        var state = data.column("SELECT state FROM host_actions").get(0);
        var placement = state.equals("done") ? "active" : "failed";
        assertThat(data.column("SELECT state FROM placements")).containsExactly(placement);
        for (var answer : answers) {
            var status = answer.extract().statusCode();
            if (status == 200) {
                assertThat(answer.extract().as(ActionResultView.class).status()).isEqualTo(state);
            } else {
                assertThat(problem(answer, 409, "conflict").detail()).contains(state + " already");
            }
        }
        assertThat(answers).filteredOn(answer -> answer.extract().statusCode() == 200).hasSize(4);
    }

    /** Takes a permit; a worker that failed meanwhile fails the test with its error rather than leaving it waiting. */
    private static void acquire(Semaphore room, List<CompletableFuture<Void>> workers) throws Exception {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            for (var worker : workers) {
                if (worker.isCompletedExceptionally()) {
                    worker.get();
                }
            }
            assertThat(System.nanoTime()).as("no placement released for 60 s").isLessThan(deadline);
        }
    }

    /** Posts the bodies as results of the action of node-1, all at once; answers them in order. */
    private List<ValidatableResponse> postAtOnce(String id, List<Map<String, ?>> bodies)
            throws Exception {
        var start = new CountDownLatch(1);
        var answers = new ArrayList<CompletableFuture<ValidatableResponse>>();
        for (var body : bodies) {
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return given().contentType(ContentType.JSON).body(body)
                        .post("/api/v1/hosts/node-1/actions/" + id + "/result").then();
            }, pool));
        }
        start.countDown();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /** Host node-1 with one mtty parent of 64 ports; mtty-1 takes one. */
    private static String serialRig() {
        var mtty = new FleetParent("mtty", "mtty", true, Map.of("ports", 64L), List.of(new FleetType("mtty-1",
                "Single port serial", "vfio-pci", Map.of("ports", 1L), Aggregation.NONE, null)), List.of());
        return FleetJson.toJson(new FleetDocument(List.of(new FleetHost("node-1", Map.of("zone", "a"), true,
                List.of(mtty))), List.of()));
    }

    private static void place(String workload) {
        place(Map.of("workload", workload, "type", "mtty-1"));
    }

    private static PlacementView place(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/placements").then().statusCode(201)
                .extract().as(PlacementView.class);
    }

    private static void importFleet(String fleet) {
        given().contentType(ContentType.JSON).body(fleet).post("/api/v1/fleet").then().statusCode(200);
    }
}

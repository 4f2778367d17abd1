package io.mdevplan.web.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.web.testing.DatabaseRows;
import io.mdevplan.web.testing.PoolAudits;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.ServiceReplica;
import io.mdevplan.web.testing.TestFleets;

/**
 * Two replicas of the packaged service (quarkus-run.jar) on one PostgreSQL, raced as schedulers race them: the same
 * request sent to both at once is placed exactly once, and a storm of concurrent requests at both (some again sent to
 * both at once) until the fleet is full leaves every pool within its capacity, no anti-affinity group twice on a host
 * and no one-type parent holding two types, as the database's rows show afterwards; the live placements are exactly
 * those answered 201, and a full fleet is refused by both replicas.
 */
class TwoReplicaRaceIT {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STORM_TIMEOUT = Duration.ofSeconds(60);
    /** The shortest the scheduler honours: Quarkus' simple scheduler runs an every() below 1s only each second. */
    private static final String SYNC_INTERVAL = "1s";
    /** Longer than the refusal max age (200ms): a refusal after it is answered from a sync made after the storm. */
    private static final Duration SETTLE = Duration.ofMillis(1200);
    private static final int HOSTS = 8;
    private static final int TWINS = 20;
    private static final int THREADS = 12;
    /** A storm client stops after this many no-capacity answers in a row. */
    private static final int FULL_STREAK = 20;
    /** One storm request in this many goes to both replicas at once. */
    private static final int TWIN_ODDS = 8;
    private static final int MAX_REQUESTS = 8_000;
    private static final long SEED = 20240611L;
    private static final String NO_CAPACITY = "urn:mdevplan:problem:no-capacity";
    private static final String BUSY = "urn:mdevplan:problem:busy";
    private static final String LIVE = "('pending', 'applying', 'active')";

    /** What the fleet offers: each type with its largest aggregation. */
    private static final List<Offered> TYPES = List.of(new Offered("dsa-wq", 4), new Offered("dsa-eng", 1),
            new Offered("mdpy-vga", 1), new Offered("nvidia-2q", 1), new Offered("nvidia-4q", 1));
    private static final List<String> GROUPS = List.of("web", "db", "cache");

    /**
     * The parents that could take one more instance of a type (bind parameter), by the hard rules over the rows alone:
     * the host schedulable, no other type on a parent that does not mix types, and every pool with room for one
     * instance's cost (use counted as {@link PoolAudits#OVERBOOKED_POOLS} counts it).
     */
    private static final String PARENTS_WITH_ROOM_FOR_ONE = """
            SELECT h.name || '/' || pa.address
            FROM parents pa
            JOIN hosts h ON h.id = pa.host_id
            JOIN types t ON t.parent_id = pa.id AND t.type_id = ?
            WHERE h.schedulable
              AND (pa.mixed_types OR NOT EXISTS (
                    SELECT 1 FROM devices d WHERE d.parent_id = pa.id AND d.type_id <> t.type_id
                    UNION ALL
                    SELECT 1 FROM placements p WHERE p.parent_id = pa.id AND p.type_id <> t.type_id
                      AND p.state IN ('pending', 'applying', 'active')))
              AND NOT EXISTS (
                    SELECT 1
                    FROM pools po
                    LEFT JOIN type_costs need ON need.type_ref = t.id AND need.pool_name = po.name
                    CROSS JOIN LATERAL (
                        SELECT coalesce(sum(tc.cost * holder.instances), 0) AS total
                        FROM (SELECT d.type_id, d.instances FROM devices d WHERE d.parent_id = pa.id
                              UNION ALL
                              SELECT p.type_id, p.instances FROM placements p
                              WHERE p.parent_id = pa.id AND p.state IN ('pending', 'applying', 'active')
                                AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.uuid = p.device_uuid)) holder
                        JOIN types ht ON ht.parent_id = pa.id AND ht.type_id = holder.type_id
                        JOIN type_costs tc ON tc.type_ref = ht.id AND tc.pool_name = po.name) used
                    WHERE po.parent_id = pa.id AND used.total + coalesce(need.cost, 0) > po.capacity)
            ORDER BY 1
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    Path logs;

    @Test
    void twoReplicasOnOneDatabaseNeverOverbookWhateverTheInterleaving() throws Exception {
        var started = System.nanoTime();
        var postgres = new PostgresTestResource();
        var datasource = postgres.start();
        var database = DatabaseRows.of(datasource);
        var replicas = new ArrayList<ServiceReplica>();
        try {
            // started together, as a deployment starts its replicas: both migrate and seed policies concurrently
            replicas.add(ServiceReplica.launch("a", logs, datasource,
                    Map.of("mdevplan.placement.sync-interval", SYNC_INTERVAL)));
            replicas.add(ServiceReplica.launch("b", logs, datasource,
                    Map.of("mdevplan.placement.sync-interval", SYNC_INTERVAL)));
            for (var replica : replicas) {
                replica.awaitReady();
            }
            var startup = millisSince(started);
            try {
                race(replicas.get(0), replicas.get(1), database, started, startup);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ServiceReplica.logsOf(replicas, 200), e);
            }
        } finally {
            replicas.forEach(ServiceReplica::stop);
            postgres.stop();
        }
    }

    private void race(ServiceReplica a, ServiceReplica b, DatabaseRows database, long started, long startup)
            throws Exception {
        var replicas = List.of(a, b);
        var imported = post(a, "/api/v1/fleet", fleet());
        assertThat(imported.status()).as("fleet import: %s", imported.body()).isEqualTo(200);
        awaitFleetIn(a);
        awaitFleetIn(b);
        var placed = new ConcurrentHashMap<String, Placed>();

        // phase 1: every request at both replicas at once
        var twinsStarted = System.nanoTime();
        var twinsWon = raceTwins(a, b, placed);
        var twinsMillis = millisSince(twinsStarted);
        // a twin's second commit finds the host changed by the first (a stale view under the lock), or its host locked
        var twinMeetings = 0L;
        for (var replica : replicas) {
            var metrics = get(replica, "/q/metrics");
            twinMeetings += counter(metrics, "mdevplan_placement_stale_claims_total")
                    + counter(metrics, "mdevplan_placement_retries_total");
        }
        assertThat(database.column("SELECT workload || ' ' || count(*) FROM placements WHERE workload LIKE 'twin-%'"
                + " AND state IN " + LIVE + " GROUP BY workload ORDER BY workload"))
                .as("one live placement per twin workload")
                .hasSize(TWINS)
                .allMatch(row -> row.endsWith(" 1"));

        // phase 2: a storm at both replicas until the fleet is full
        var storm = storm(replicas, placed);
        assertThat(storm.failures).as("answers other than 201, 200 to a twin, 409 no-capacity and 503 busy")
                .isEmpty();
        assertThat(storm.created.get(0)).as("placed by replica a in the storm").isPositive();
        assertThat(storm.created.get(1)).as("placed by replica b in the storm").isPositive();

        // what the database says still fits must be placed; then both replicas refuse every type
        Thread.sleep(SETTLE.toMillis());
        var toppedOff = topOff(replicas, database, placed);
        var softly = new SoftAssertions();
        for (var type : TYPES) {
            for (var replica : replicas) {
                var workload = "full-" + type.id() + "-" + replica.name();
                var answer = post(replica, "/api/v1/placements", json(Map.of("workload", workload, "type",
                        type.id())));
                if (answer.status() == 201) {
                    placed.put(workload, Placed.of(answer));
                }
                softly.assertThat(answer.status() + " " + answer.problemType())
                        .as("one %s on a full fleet at replica %s: %s", type.id(), replica.name(), answer.body())
                        .isEqualTo("409 " + NO_CAPACITY);
            }
        }

        // the database's own account
        softly.assertThat(database.column(PoolAudits.OVERBOOKED_POOLS)).as("overbooked pools").isEmpty();
        softly.assertThat(database.column(PoolAudits.ANTI_AFFINITY_BREACHES)).as("anti-affinity breaches").isEmpty();
        softly.assertThat(database.column(PoolAudits.MIXED_TYPE_BREACHES)).as("mixed-type breaches").isEmpty();
        softly.assertThat(database.column("SELECT device_uuid || ' ' || count(*) FROM placements"
                + " WHERE state IN " + LIVE + " GROUP BY device_uuid HAVING count(*) > 1"))
                .as("live placements sharing a device UUID").isEmpty();
        softly.assertThat(placed.values().stream().map(Placed::uuid).distinct().count())
                .as("distinct UUIDs answered 201").isEqualTo(placed.size());
        var rowsByUuid = new TreeMap<String, String>();
        for (var row : database.rows("SELECT device_uuid::text, count(*) FROM placements GROUP BY device_uuid", 2)) {
            rowsByUuid.put(row.get(0), row.get(1));
        }
        softly.assertThat(placed.values()).as("every UUID answered 201 is in placements exactly once")
                .allMatch(placement -> "1".equals(rowsByUuid.get(placement.uuid())));
        var live = new TreeMap<String, Placed>();
        for (var row : database.rows("SELECT p.workload, p.device_uuid::text, h.name, pa.address FROM placements p"
                + " JOIN parents pa ON pa.id = p.parent_id JOIN hosts h ON h.id = pa.host_id"
                + " WHERE p.state IN " + LIVE, 4)) {
            live.put(row.get(0), new Placed(row.get(1), row.get(2), row.get(3)));
        }
        softly.assertThat(live.size()).as("live placements = 201 answers").isEqualTo(placed.size());
        softly.assertThat(live).as("the live placements are those answered 201").isEqualTo(new TreeMap<>(placed));

        // the race was real: twin commits met (a stale view under the lock, a locked host), views were reloaded
        var retries = new long[2];
        var reloads = new long[2];
        for (var i = 0; i < 2; i++) {
            var metrics = get(replicas.get(i), "/q/metrics");
            retries[i] = counter(metrics, "mdevplan_placement_retries_total");
            reloads[i] = counter(metrics, "mdevplan_placement_index_host_reloads_total")
                    + counter(metrics, "mdevplan_placement_stale_claims_total");
        }
        var summary = String.format("started in %d ms; twins won a=%d b=%d in %d ms (%d commits met);"
                + " storm placed a=%d b=%d, no-capacity %d, busy %d, twins sent %d (200 %d, split 201/409 %d),"
                + " %d requests in %d ms; topped off %d; retries a=%d b=%d; host reloads (sync and under a lock) a=%d b=%d;"
                + " %d live placements; %d ms in all",
                startup, twinsWon[0], twinsWon[1], twinsMillis, twinMeetings, storm.created.get(0), storm.created.get(1),
                storm.refused.get(), storm.busy.get(), storm.twins.get(), storm.existing.get(), storm.split.get(),
                storm.sent.get(), storm.millis, toppedOff, retries[0], retries[1], reloads[0], reloads[1],
                live.size(), millisSince(started));
        System.out.println("TwoReplicaRaceIT: " + summary);
        softly.assertThat(twinMeetings).as("twin commits that met the other replica's (%s)", summary).isPositive();
        softly.assertThat(retries[0] + retries[1] + reloads[0] + reloads[1])
                .as("retries and host reloads (%s)", summary).isPositive();
        softly.assertAll();
    }

    /** Sends each twin request to both replicas at once; returns how many each placed (answered 201). */
    private static int[] raceTwins(ServiceReplica a, ServiceReplica b, Map<String, Placed> placed) throws Exception {
        var won = new int[2];
        var executor = Executors.newFixedThreadPool(2);
        try {
            for (var i = 0; i < TWINS; i++) {
                var body = json(twinRequest(i));
                var barrier = new CyclicBarrier(2);
                var atA = executor.submit(() -> {
                    barrier.await();
                    return post(a, "/api/v1/placements", body);
                });
                var atB = executor.submit(() -> {
                    barrier.await();
                    return post(b, "/api/v1/placements", body);
                });
                var answers = List.of(atA.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                        atB.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                assertThat(answers).as("%s at both replicas: %s", body, answers).extracting(Answer::status)
                        .containsExactlyInAnyOrder(201, 200);
                var atBoth = answers.stream().map(Placed::of).toList();
                assertThat(atBoth.get(1)).as("%s answered alike: %s", body, answers).isEqualTo(atBoth.get(0));
                won[answers.get(0).status() == 201 ? 0 : 1]++;
                placed.put("twin-" + i, atBoth.get(0));
            }
        } finally {
            executor.shutdownNow();
        }
        return won;
    }

    /** Twin i: each type in turn, every other one in an anti-affinity group, some bound to a zone. */
    private static Map<String, Object> twinRequest(int i) {
        var type = TYPES.get(i % TYPES.size());
        var body = new LinkedHashMap<String, Object>();
        body.put("workload", "twin-" + i);
        body.put("type", type.id());
        body.put("instances", 1 + i % type.maxAggregation());
        if (i % 2 == 0) {
            body.put("antiAffinityGroup", GROUPS.get(i / 2 % GROUPS.size()));
        }
        if (i % 4 == 1) {
            body.put("hostSelector", Map.of("zone", i % 8 == 1 ? "a" : "b"));
        }
        return body;
    }

    /** The storm's tallies, shared by its clients. */
    private static final class Storm {
        final AtomicIntegerArray created = new AtomicIntegerArray(2);
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger busy = new AtomicInteger();
        final AtomicInteger twins = new AtomicInteger();
        /** Answers 200 to a twin: the other replica's placement. */
        final AtomicInteger existing = new AtomicInteger();
        /** Twins placed by one replica and refused for capacity by the other, which decided before the commit. */
        final AtomicInteger split = new AtomicInteger();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        long millis;
    }

    /** THREADS clients, each alternating between the replicas, until each saw FULL_STREAK refusals in a row. */
    private static Storm storm(List<ServiceReplica> replicas, Map<String, Placed> placed) throws InterruptedException {
        var storm = new Storm();
        var started = System.nanoTime();
        var executor = Executors.newFixedThreadPool(THREADS);
        var barrier = new CyclicBarrier(THREADS);
        for (var t = 0; t < THREADS; t++) {
            var client = t;
            executor.submit(() -> {
                try {
                    barrier.await();
                    stormClient(client, replicas, storm, placed);
                } catch (Exception e) {
                    storm.failures.add("client " + client + ": " + e);
                    storm.stop.set(true);
                }
                return null;
            });
        }
        executor.shutdown();
        if (!executor.awaitTermination(STORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            storm.stop.set(true);
            executor.shutdownNow();
            storm.failures.add("the storm did not end within " + STORM_TIMEOUT + " (" + storm.sent.get()
                    + " requests)");
        }
        storm.millis = millisSince(started);
        return storm;
    }

    private static void stormClient(int client, List<ServiceReplica> replicas, Storm storm, Map<String, Placed> placed)
            throws InterruptedException, ExecutionException {
        var random = new Random(SEED + client);
        var refusedInARow = 0;
        for (var k = 0; refusedInARow < FULL_STREAK && !storm.stop.get(); k++) {
            if (storm.sent.incrementAndGet() > MAX_REQUESTS) {
                storm.failures.add("the fleet was not full after " + MAX_REQUESTS + " requests");
                storm.stop.set(true);
                return;
            }
            var workload = "storm-" + client + "-" + k;
            var body = json(stormRequest(workload, random));
            var twin = random.nextInt(TWIN_ODDS) == 0;
            var targets = twin ? List.of(0, 1) : List.of((client + k) % 2);
            var sending = targets.stream().map(at -> postAsync(replicas.get(at), "/api/v1/placements", body)).toList();
            var answers = new ArrayList<Answer>();
            for (var answer : sending) {
                answers.add(answer.get());
            }
            if (twin) {
                storm.twins.incrementAndGet();
            }
            var outcome = tally(storm, targets, answers, workload, placed);
            if (outcome != null) {
                storm.failures.add(outcome + ": " + body + " at " + targets + " -> " + answers);
                storm.stop.set(true);
            } else if (answers.stream().anyMatch(answer -> answer.status() == 201)) {
                refusedInARow = 0;
            } else if (answers.stream().allMatch(answer -> answer.status() == 409)) {
                refusedInARow++;
            }
        }
    }

    /** Counts one request's answers (one, or two for a twin); what is wrong with them, or null. */
    private static String tally(Storm storm, List<Integer> targets, List<Answer> answers, String workload,
            Map<String, Placed> placed) {
        Placed created = null;
        for (var i = 0; i < answers.size(); i++) {
            var answer = answers.get(i);
            if (answer.status() == 201) {
                if (created != null) {
                    return "placed twice";
                }
                created = Placed.of(answer);
                storm.created.incrementAndGet(targets.get(i));
                placed.put(workload, created);
            }
        }
        for (var answer : answers) {
            if (answer.status() == 200) {
                if (created == null || !created.equals(Placed.of(answer))) {
                    return "200 is not the other replica's placement";
                }
                storm.existing.incrementAndGet();
            } else if (answer.status() == 409 && NO_CAPACITY.equals(answer.problemType())) {
                storm.refused.incrementAndGet();
                if (created != null) {
                    storm.split.incrementAndGet();
                }
            } else if (answer.status() == 503 && BUSY.equals(answer.problemType())) {
                storm.busy.incrementAndGet();
            } else if (answer.status() != 201) {
                return "unexpected answer";
            }
        }
        return null;
    }

    /** A random request over the offered types: instances within the type's aggregation, some grouped or zoned. */
    private static Map<String, Object> stormRequest(String workload, Random random) {
        var type = TYPES.get(random.nextInt(TYPES.size()));
        var body = new LinkedHashMap<String, Object>();
        body.put("workload", workload);
        body.put("type", type.id());
        var instances = 1 + random.nextInt(type.maxAggregation());
        if (instances > 1 || random.nextBoolean()) {
            body.put("instances", instances);
        }
        if (random.nextInt(10) < 3) {
            body.put("antiAffinityGroup", GROUPS.get(random.nextInt(GROUPS.size())));
        }
        if (random.nextInt(4) == 0) {
            body.put("hostSelector", Map.of("zone", random.nextBoolean() ? "a" : "b"));
        }
        if (random.nextInt(5) == 0) {
            body.put("policy", "spread");
        }
        return body;
    }

    /**
     * Places one instance of each type, at the replicas in turn, while the database says some parent can take it: a
     * storm client may stop while a shape it rarely asks for still fits. Returns how many it placed.
     */
    private static int topOff(List<ServiceReplica> replicas, DatabaseRows database, Map<String, Placed> placed)
            throws IOException, InterruptedException, SQLException {
        var count = 0;
        for (var type : TYPES) {
            for (var room = database.column(PARENTS_WITH_ROOM_FOR_ONE, type.id()); !room.isEmpty();
                    room = database.column(PARENTS_WITH_ROOM_FOR_ONE, type.id())) {
                assertThat(count).as("top-off placements").isLessThan(HOSTS * 8);
                var replica = replicas.get(count % 2);
                var workload = "top-" + type.id() + "-" + count;
                var answer = post(replica, "/api/v1/placements", json(Map.of("workload", workload, "type",
                        type.id())));
                assertThat(answer.status()).as("one %s at replica %s while %s have room: %s", type.id(),
                        replica.name(), room, answer.body()).isEqualTo(201);
                placed.put(workload, Placed.of(answer));
                count++;
            }
        }
        return count;
    }

    /**
     * Hosts node-1 .. node-n of {@link TestFleets#dsaHost} (DSA and mdpy parents, zone a or b), each with a GPU that
     * holds one type at a time (mixedTypes false, like NVIDIA's vGPU): framebuffer 8, nvidia-2q costs 2, nvidia-4q 4.
     */
    private static String fleet() {
        var hosts = new ArrayList<FleetHost>();
        for (var i = 1; i <= HOSTS; i++) {
            var host = TestFleets.dsaHost(i, List.of());
            var parents = new ArrayList<>(host.parents());
            parents.add(new FleetParent("0000:3b:00.0", "nvidia", false, Map.of("framebuffer", 8L), List.of(
                    new FleetType("nvidia-2q", "GRID T4-2Q", "vfio-pci", Map.of("framebuffer", 2L), Aggregation.NONE,
                            null),
                    new FleetType("nvidia-4q", "GRID T4-4Q", "vfio-pci", Map.of("framebuffer", 4L), Aggregation.NONE,
                            null)), List.of()));
            hosts.add(new FleetHost(host.name(), host.labels(), host.schedulable(), parents));
        }
        return FleetJson.toJson(new FleetDocument(hosts, List.of()));
    }

    /**
     * Waits until the replica's placement index holds the imported fleet (a replica that did not import it rebuilds
     * at its next sync): asking for too many nvidia-4q instances is refused by that type's limit, not as an unknown
     * type. Writes nothing.
     */
    private static void awaitFleetIn(ServiceReplica replica) throws IOException, InterruptedException {
        var probe = json(Map.of("workload", "sync-probe", "type", "nvidia-4q", "instances", 2));
        var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        var answer = post(replica, "/api/v1/placements", probe);
        while (!(answer.status() == 422 && answer.body().contains("at most 1"))) {
            assertThat(System.nanoTime()).as("replica %s never saw the fleet: %s", replica.name(), answer.body())
                    .isLessThan(deadline);
            Thread.sleep(100);
            answer = post(replica, "/api/v1/placements", probe);
        }
    }

    /** A type the fleet offers with the most instances one device of it may hold. */
    private record Offered(String id, int maxAggregation) {
    }

    /** Where a placement went, as answered and as stored. */
    private record Placed(String uuid, String host, String parent) {

        static Placed of(Answer answer) {
            try {
                var tree = JSON.readTree(answer.body());
                return new Placed(tree.path("uuid").asText(null), tree.path("host").asText(null),
                        tree.path("parent").asText(null));
            } catch (JsonProcessingException e) {
                throw new AssertionError("Not a placement: " + answer.body(), e);
            }
        }
    }

    private record Answer(int status, String body) {

        /** The problem's type URN, or null when the body is no problem. */
        String problemType() {
            try {
                return JSON.readTree(body).path("type").asText(null);
            } catch (JsonProcessingException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private static Answer post(ServiceReplica replica, String path, String json)
            throws IOException, InterruptedException {
        return send(postRequest(replica, path, json));
    }

    private static CompletableFuture<Answer> postAsync(ServiceReplica replica, String path, String json) {
        return HTTP.sendAsync(postRequest(replica, path, json), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Answer(response.statusCode(), response.body()));
    }

    private static HttpRequest postRequest(ServiceReplica replica, String path, String json) {
        return replica.request(path)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static String get(ServiceReplica replica, String path) throws IOException, InterruptedException {
        var answer = send(replica.request(path).timeout(REQUEST_TIMEOUT).build());
        assertThat(answer.status()).as("GET %s at replica %s", path, replica.name()).isEqualTo(200);
        return answer.body();
    }

    private static Answer send(HttpRequest request) throws IOException, InterruptedException {
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** The sum of a Prometheus counter's samples (0 when absent). */
    private static long counter(String scrape, String name) {
        return Math.round(scrape.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

}

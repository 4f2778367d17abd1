package io.mdevplan.web.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.mdevplan.web.testing.DatabaseRows;
import io.mdevplan.web.testing.PoolAudits;
import io.mdevplan.web.testing.ReplicaHttp;
import io.mdevplan.web.testing.ReplicaHttp.Answer;
import io.mdevplan.web.testing.RestartablePostgres;
import io.mdevplan.web.testing.ServiceReplica;
import io.mdevplan.web.testing.TestFleets;

/**
 * One replica of the packaged service on a PostgreSQL that is stopped for a few seconds and started again (same port,
 * same data) while placements flow, while a scenario solves and while a host's actions are handed out and answered.
 * During the outage the service answers 503 problem+json and stays up; afterwards it works again with no manual step,
 * and the database holds exactly what was answered: no placement half-written, no pool overbooked, no capacity leaked,
 * no scenario left running, no action lost or stored twice; and a burst of requests right after a brief outage meets
 * none of the pooled connections the restart broke.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseRestartIT {

    private static final int HOSTS = 6;
    private static final int CLIENTS = 3;
    /** Concurrent reads in a burst: the pool's default maximum size. */
    private static final int BURST = 20;
    private static final Duration OUTAGE = Duration.ofSeconds(4);
    /** How long the service may take to place again once the database is back; generous for a busy machine. */
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
    private static final String LEASE = "3s";
    private static final String HEARTBEAT = "300ms";
    private static final List<String> TYPES = List.of("dsa-wq", "mdpy-vga");
    private static final String NO_CAPACITY = "urn:mdevplan:problem:no-capacity";
    private static final Set<String> UNAVAILABLE = Set.of("urn:mdevplan:problem:busy",
            "urn:mdevplan:problem:unavailable");
    private static final String LIVE = "('pending', 'applying', 'active')";
    /** The parents that could take one more instance of a type, by the rows alone (use as PoolAudits counts it). */
    private static final String PARENTS_WITH_ROOM_FOR_ONE = """
            SELECT h.name || '/' || pa.address
            FROM parents pa
            JOIN hosts h ON h.id = pa.host_id
            JOIN types t ON t.parent_id = pa.id AND t.type_id = ?
            WHERE h.schedulable AND NOT EXISTS (
                SELECT 1
                FROM pools po
                LEFT JOIN type_costs need ON need.type_ref = t.id AND need.pool_name = po.name
                CROSS JOIN LATERAL (
                    SELECT coalesce(sum(tc.cost * holder.instances), 0) AS total
                    FROM (SELECT d.type_id, d.instances FROM devices d WHERE d.parent_id = pa.id
                          UNION ALL
                          SELECT p.type_id, p.instances FROM placements p
                          WHERE p.parent_id = pa.id AND p.state IN ('pending', 'applying', 'active', 'reserved')
                            AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.uuid = p.device_uuid)) holder
                    JOIN types ht ON ht.parent_id = pa.id AND ht.type_id = holder.type_id
                    JOIN type_costs tc ON tc.type_ref = ht.id AND tc.pool_name = po.name) used
                WHERE po.parent_id = pa.id AND used.total + coalesce(need.cost, 0) > po.capacity)
            ORDER BY 1
            """;

    @TempDir
    static Path work;

    private static RestartablePostgres postgres;
    private static DatabaseRows database;
    private static ServiceReplica replica;

    @BeforeAll
    static void startDatabaseAndReplica() throws Exception {
        postgres = RestartablePostgres.start(Files.createDirectories(work.resolve("pgdata")));
        database = DatabaseRows.of(postgres.datasource());
        replica = ServiceReplica.launch("a", work, postgres.datasource(), Map.of(
                // tokens are looked up again during the outage, as they are when it outlasts the cache
                "mdevplan.auth.cache-ttl", "1s",
                "mdevplan.scenarios.lease", LEASE,
                "mdevplan.scenarios.heartbeat", HEARTBEAT,
                "mdevplan.scenarios.poll-interval", "500ms"));
        replica.awaitReady();
        var imported = send("POST", "/api/v1/fleet", TestFleets.dsa(HOSTS));
        assertThat(imported.status()).as("fleet import: %s", imported).isEqualTo(200);
    }

    @AfterAll
    static void stopReplicaAndDatabase() {
        if (replica != null) {
            replica.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(2)
    void placementsAndReleasesRecoverAfterARestartAndLeaveNothingHalfWritten() throws Exception {
        withLogs(() -> {
            var clients = new Clients();
            var executor = Executors.newFixedThreadPool(CLIENTS);
            var running = new ArrayList<CompletableFuture<Void>>();
            for (var c = 0; c < CLIENTS; c++) {
                var client = c;
                running.add(CompletableFuture.runAsync(() -> clients.run(client), executor));
            }
            try {
                Thread.sleep(2_000);
                clients.stoppedAt.set(System.nanoTime());
                postgres.stop();
                Thread.sleep(OUTAGE.toMillis());
                var restarted = System.nanoTime();
                postgres.startAgain();
                clients.restartedAt.set(restarted);
                var deadline = restarted + RECOVERY.toNanos();
                while (clients.placedAfterRestart.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                clients.recoveryMillis.set((System.nanoTime() - restarted) / 1_000_000);
                Thread.sleep(2_000);
            } finally {
                clients.stop.set(true);
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
                executor.shutdown();
            }
            System.out.printf("DatabaseRestartIT placements: answers %s; %d sent during the outage; placed again"
                    + " %d ms after the restart%n", new TreeMap<>(clients.answers), clients.sentDuringOutage.get(),
                    clients.recoveryMillis.get());

            assertThat(clients.unexpected).as("answers other than 201, 200, 409 no-capacity and 503 problem+json")
                    .isEmpty();
            assertThat(replica.process().isAlive()).as("the replica survived the outage").isTrue();
            assertThat(clients.placedAfterRestart.get()).as("placements answered 201 after the restart, within %s",
                    RECOVERY).isPositive();
            // pooled connections the restart broke are checked before use, not handed to a request
            assertThat(clients.failedAfterRecovery).as("5xx answers once the service placed again after the restart")
                    .isEmpty();
            // each waits for a connection up to the pool's acquisition timeout: some are answered after the restart
            assertThat(clients.sentDuringOutage.get()).as("requests sent while the database was away").isPositive();

            var softly = new SoftAssertions();
            var live = new TreeMap<String, String>();
            for (var row : database.rows("SELECT workload, device_uuid::text FROM placements WHERE state IN "
                    + LIVE, 2)) {
                live.put(row.get(0), row.get(1));
            }
            // a placement answered 201 is live with the UUID answered, unless released; one whose release failed is
            // still live; nothing refused or failed is
            var expected = new TreeMap<String, String>(clients.placed);
            softly.assertThat(live).as("live placements: those answered 201 and not released").isEqualTo(expected);
            softly.assertThat(database.column("SELECT p.workload FROM placements p WHERE p.state IN " + LIVE
                    + " AND (SELECT count(*) FROM host_actions a WHERE a.placement_id = p.id AND a.op = 'create'"
                    + " AND a.state = 'pending') <> 1")).as("live placements without exactly one pending create")
                    .isEmpty();
            softly.assertThat(database.column("SELECT p.workload || ' ' || a.state FROM placements p"
                    + " JOIN host_actions a ON a.placement_id = p.id WHERE p.state = 'released'"
                    + " AND a.op = 'create' AND a.state <> 'cancelled'"))
                    .as("released placements whose create was not cancelled").isEmpty();
            softly.assertThat(database.column(PoolAudits.OVERBOOKED_POOLS)).as("overbooked pools").isEmpty();
            softly.assertAll();

            // the index agrees with the database: filled through the service, the rows show no room left
            var filled = new TreeMap<String, Integer>();
            for (var type : TYPES) {
                var count = 0;
                for (var answer = place("fill-" + type + "-" + count, type); answer.status() != 409;
                        answer = place("fill-" + type + "-" + count, type)) {
                    assertThat(answer.status()).as("filling with %s: %s", type, answer).isEqualTo(201);
                    assertThat(count).as("placements of %s filling %d hosts", type, HOSTS).isLessThan(HOSTS * 8);
                    count++;
                }
                filled.put(type, count);
            }
            System.out.printf("DatabaseRestartIT placements: filled the fleet with %s%n", filled);
            for (var type : TYPES) {
                softly.assertThat(database.column(PARENTS_WITH_ROOM_FOR_ONE, type))
                        .as("parents the database says can take one more %s after the service refused it", type)
                        .isEmpty();
            }
            softly.assertThat(database.column(PoolAudits.OVERBOOKED_POOLS)).as("overbooked pools when full").isEmpty();
            softly.assertAll();
        });
    }

    @Test
    @Order(1)
    void aScenarioSolvingThroughARestartEndsAndNeverStaysRunning() throws Exception {
        withLogs(() -> {
            // on the empty fleet, more mdpy-vga than the hosts hold: local search runs until it stops improving, a
            // fifth of the time limit, long enough to meet the outage
            var scenario = Map.of("changes", List.of(Map.of("op", "addWorkloads", "count", 40,
                    "profile", Map.of("type", "mdpy-vga"))));
            var submitted = send("POST", "/api/v1/scenarios?timeLimit=30s", scenario);
            assertThat(submitted.status()).as("scenario: %s", submitted).isEqualTo(202);
            var id = submitted.json().path("id").asText();
            awaitScenario(id, Set.of("running"), Duration.ofSeconds(60));
            Thread.sleep(1_000);

            postgres.stop();
            var during = send("GET", "/api/v1/scenarios/" + id, null);
            Thread.sleep(OUTAGE.toMillis());
            postgres.startAgain();

            assertThat(during.status()).as("the scenario read while the database is away: %s", during)
                    .isEqualTo(503);
            assertThat(UNAVAILABLE).contains(during.problemType());
            // the lease is seconds and the run stops improving within seconds: 90 s cover a retake and a whole run
            var ended = awaitScenario(id, Set.of("done", "failed", "cancelled"), Duration.ofSeconds(90));
            System.out.printf("DatabaseRestartIT scenario: %s after %s take(s) %s%n", ended.path("state").asText(),
                    ended.path("attempts").asText(), ended.path("error").asText(""));
            // an outage is no reason to fail a scenario: it is solved again once the database is back
            assertThat(ended.path("state").asText()).as("the scenario's end: %s", ended).isEqualTo("done");
            assertThat(ended.path("result").path("unplaced").size()).as("the result: %s", ended)
                    .isEqualTo(40 - HOSTS * 4);
            assertThat(database.column("SELECT id::text FROM scenarios WHERE state = 'running'"))
                    .as("scenarios left running").isEmpty();
        });
    }

    @Test
    @Order(3)
    void hostActionsAreHandedOutAndTheirResultsStoredOnceAcrossARestart() throws Exception {
        withLogs(() -> {
            // the host with the most pending actions answers half of them before the outage
            var host = database.column("SELECT h.name FROM host_actions a JOIN hosts h ON h.id = a.host_id"
                    + " WHERE a.state = 'pending' GROUP BY h.name ORDER BY count(*) DESC, h.name LIMIT 1").get(0);
            var quiet = database.column("SELECT h.name FROM hosts h WHERE h.name <> ? ORDER BY h.name LIMIT 1", host)
                    .get(0);
            var plan = actionIds(send("GET", "/api/v1/hosts/" + host + "/actions", null));
            assertThat(plan).as("actions handed out to %s", host).hasSizeGreaterThan(2);
            var before = plan.subList(0, plan.size() / 2);
            for (var id : before) {
                assertThat(result(host, id).status()).as("result of action %s before the outage", id).isEqualTo(200);
            }
            // a host with nothing pending waits on a long poll through the outage
            for (var id : actionIds(send("GET", "/api/v1/hosts/" + quiet + "/actions", null))) {
                assertThat(result(quiet, id).status()).as("result of %s's action %s", quiet, id).isEqualTo(200);
            }
            var resultsBefore = storedResults();
            var longPoll = CompletableFuture.supplyAsync(() -> {
                try {
                    return send("GET", "/api/v1/hosts/" + quiet + "/actions?wait=" + (OUTAGE.toSeconds() + 4) + "s",
                            null);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("The long poll of " + quiet + " failed: " + e, e);
                }
            });
            Thread.sleep(300);

            postgres.stop();
            var resultDuring = result(host, plan.get(plan.size() / 2));
            var handOutDuring = send("GET", "/api/v1/hosts/" + host + "/actions", null);
            Thread.sleep(OUTAGE.toMillis());
            postgres.startAgain();
            // at once, with no retry: the pool's connections the restart broke are checked, not handed to it
            var handOutAfter = send("GET", "/api/v1/hosts/" + host + "/actions", null);

            assertThat(List.of(resultDuring, handOutDuring)).as("a result and a hand-out while the database is away")
                    .allSatisfy(answer -> {
                        assertThat(answer.status()).as("%s", answer).isEqualTo(503);
                        assertThat(UNAVAILABLE).contains(answer.problemType());
                    });
            var polled = longPoll.get(60, TimeUnit.SECONDS);
            assertThat(polled.status()).as("the long poll through the outage: %s", polled).isEqualTo(200);

            // handed out again: every action without a stored result, none of those with one
            var again = actionIds(handOutAfter);
            var pending = database.column("SELECT a.id::text FROM host_actions a JOIN hosts h ON h.id = a.host_id"
                    + " WHERE h.name = ? AND a.state = 'pending' ORDER BY a.id", host);
            assertThat(again).as("actions of %s handed out after the restart", host)
                    .isEqualTo(plan.subList(plan.size() / 2, plan.size()))
                    .isEqualTo(pending);
            for (var id : again) {
                assertThat(result(host, id).status()).as("result of action %s after the restart", id).isEqualTo(200);
            }
            var repeated = result(host, again.get(0));
            assertThat(repeated.status()).as("a result posted again: %s", repeated).isEqualTo(200);

            var softly = new SoftAssertions();
            softly.assertThat(database.column("SELECT a.id::text || ' ' || a.state FROM host_actions a"
                    + " JOIN hosts h ON h.id = a.host_id WHERE h.name = ? AND a.state <> 'done' AND a.op = 'create'"
                    + " AND a.id = ANY (?::bigint[])", host, "{" + String.join(",", plan) + "}"))
                    .as("actions handed out but not done").isEmpty();
            softly.assertThat(database.column("SELECT p.workload || ' ' || p.state FROM placements p"
                    + " JOIN host_actions a ON a.placement_id = p.id WHERE a.id = ANY (?::bigint[])"
                    + " AND p.state <> 'active'", "{" + String.join(",", plan) + "}"))
                    .as("placements whose create is done but are not active").isEmpty();
            softly.assertThat(storedResults() - resultsBefore).as("results stored once each")
                    .isEqualTo(again.size());
            softly.assertThat(database.column(PoolAudits.OVERBOOKED_POOLS)).as("overbooked pools").isEmpty();
            softly.assertAll();
        });
    }

    @Test
    @Order(4)
    void requestsRightAfterABriefRestartMeetNoConnectionTheRestartBroke() throws Exception {
        withLogs(() -> {
            // a burst opens many pooled connections; a one-second outage breaks them all, and the few background
            // jobs that run in it discard only the ones they try. Without foreground validation most of the burst
            // after the restart met a broken connection (18 of 20 answered 503)
            var before = burst();
            assertThat(before).as("answers to the burst before the outage").containsOnlyKeys(200);
            postgres.stop();
            Thread.sleep(1_000);
            postgres.startAgain();

            var after = burst();

            assertThat(after).as("answers to the burst right after the restart").containsOnlyKeys(200);
        });
    }

    /** As many concurrent reads as the pool may have connections: how many were answered with each status. */
    private static Map<Integer, Integer> burst() throws Exception {
        var answers = new ArrayList<CompletableFuture<Answer>>();
        var executor = Executors.newFixedThreadPool(BURST);
        try {
            for (var i = 0; i < BURST; i++) {
                var host = "node-" + (1 + i % HOSTS);
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return send("GET", "/api/v1/hosts/" + host, null);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException("GET /api/v1/hosts/" + host + " got no answer: " + e, e);
                    }
                }, executor));
            }
            var statuses = new TreeMap<Integer, Integer>();
            for (var answer : answers) {
                statuses.merge(answer.get(60, TimeUnit.SECONDS).status(), 1, Integer::sum);
            }
            return statuses;
        } finally {
            executor.shutdown();
        }
    }

    /** Places and releases from several threads, remembering what each answer promised. */
    private static final class Clients {

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong stoppedAt = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
        final AtomicInteger sentDuringOutage = new AtomicInteger();
        final AtomicInteger placedAfterRestart = new AtomicInteger();
        /** When the first placement sent after the restart was answered 201. */
        final AtomicLong recoveredAt = new AtomicLong(Long.MAX_VALUE);
        /** Answers 5xx to requests sent once the service had placed again after the restart. */
        final Queue<String> failedAfterRecovery = new ConcurrentLinkedQueue<>();
        final AtomicLong recoveryMillis = new AtomicLong(-1);
        /** "POST 201", "DELETE 503", ...: how many of each. */
        final Map<String, Integer> answers = new ConcurrentHashMap<>();
        /** What should be live: workload to the UUID answered. */
        final Map<String, String> placed = new ConcurrentHashMap<>();
        final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

        void run(int client) {
            var random = new Random(client);
            var mine = new ArrayList<String>();
            for (var n = 0; !stop.get(); n++) {
                try {
                    var sent = System.nanoTime();
                    if (sent > stoppedAt.get() && sent < restartedAt.get()) {
                        sentDuringOutage.incrementAndGet();
                    }
                    if (!mine.isEmpty() && random.nextInt(3) == 0) {
                        var workload = mine.remove(random.nextInt(mine.size()));
                        var answer = send("DELETE", "/api/v1/placements/" + workload, null);
                        count("DELETE", answer, sent);
                        if (answer.status() == 200) {
                            placed.remove(workload);
                        }
                    } else {
                        var workload = "c" + client + "-" + n;
                        var answer = place(workload, TYPES.get(random.nextInt(TYPES.size())));
                        count("POST", answer, sent);
                        if (answer.status() == 201) {
                            placed.put(workload, answer.json().path("uuid").asText());
                            mine.add(workload);
                            if (sent > restartedAt.get()) {
                                placedAfterRestart.incrementAndGet();
                                recoveredAt.accumulateAndGet(System.nanoTime(), Math::min);
                            }
                        }
                    }
                    Thread.sleep(20);
                } catch (IOException e) {
                    unexpected.add("no answer: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void count(String method, Answer answer, long sent) {
            answers.merge(method + " " + answer.status(), 1, Integer::sum);
            if (answer.status() >= 500 && sent > recoveredAt.get()) {
                failedAfterRecovery.add(method + " " + answer);
            }
            var expected = switch (answer.status()) {
                case 200 -> method.equals("DELETE");
                case 201 -> method.equals("POST");
                case 409 -> NO_CAPACITY.equals(answer.problemType());
                case 503 -> UNAVAILABLE.contains(answer.problemType());
                default -> false;
            };
            if (!expected) {
                unexpected.add(method + " " + answer);
            }
        }
    }

    private static Answer place(String workload, String type) throws IOException, InterruptedException {
        return send("POST", "/api/v1/placements", Map.of("workload", workload, "type", type));
    }

    private static Answer result(String host, String actionId) throws IOException, InterruptedException {
        return send("POST", "/api/v1/hosts/" + host + "/actions/" + actionId + "/result", Map.of("status", "done"));
    }

    private static List<String> actionIds(Answer plan) {
        assertThat(plan.status()).as("a hand-out: %s", plan).isEqualTo(200);
        var ids = new ArrayList<String>();
        plan.json().path("actions").forEach(action -> ids.add(action.path("id").asText()));
        return ids;
    }

    private static long storedResults() throws Exception {
        return database.number("SELECT count(*) FROM host_actions WHERE state IN ('done', 'failed')");
    }

    /** The scenario once it is in one of the states; read again while the service cannot answer. */
    private static JsonNode awaitScenario(String id, Set<String> states,
            Duration patience) throws IOException, InterruptedException {
        var deadline = System.nanoTime() + patience.toNanos();
        var seen = new TreeSet<String>();
        while (true) {
            var answer = send("GET", "/api/v1/scenarios/" + id, null);
            if (answer.status() == 200) {
                var state = answer.json().path("state").asText();
                seen.add(state);
                if (states.contains(state)) {
                    return answer.json();
                }
            } else {
                seen.add(String.valueOf(answer.status()));
            }
            assertThat(System.nanoTime()).as("scenario %s never got to %s within %s (seen %s): %s", id, states,
                    patience, seen, answer).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static Answer send(String method, String path, Object json) throws IOException, InterruptedException {
        return ReplicaHttp.send(replica, method, path, json, REQUEST_TIMEOUT);
    }

    private interface Steps {
        void run() throws Exception;
    }

    private static void withLogs(Steps steps) throws Exception {
        try {
            steps.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ServiceReplica.logsOf(List.of(replica), 150), e);
        }
    }
}

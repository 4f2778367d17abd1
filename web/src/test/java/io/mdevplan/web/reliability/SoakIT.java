package io.mdevplan.web.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.web.testing.DatabaseRows;
import io.mdevplan.web.testing.PoolAudits;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.ReplicaHttp;
import io.mdevplan.web.testing.ReplicaHttp.Answer;
import io.mdevplan.web.testing.ServiceReplica;
import io.mdevplan.web.testing.TestFleets;

/**
 * A soak: two replicas of the packaged service on one PostgreSQL, client threads on loopback placing and releasing
 * at random at both for {@code mdevplan.soak.duration} (30s by default; bench/soak.sh runs it for minutes), then an
 * audit of every pool from the database alone: no pool overbooked, no capacity leaked (what the pools hold is exactly
 * what the clients' live placements cost), every placement answered 201 and not released live, every released one
 * holding nothing, and no answer 500. The figures go to target/soak/soak.md.
 */
class SoakIT {

    private static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    private static final int HOSTS = 100;
    private static final int CLIENTS = 8;
    /** Each client holds at most this many placements: the fleet (100 hosts, 1200 units) never fills. */
    private static final int HELD_PER_CLIENT = 60;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
    private static final String BUSY = "urn:mdevplan:problem:busy";
    private static final String LIVE = "('pending', 'applying', 'active')";
    /** What each type costs per instance in the dsa fleet: pool name to units. */
    private static final Map<String, Map<String, Integer>> COSTS = Map.of(
            "dsa-wq", Map.of("wq", 1),
            "dsa-eng", Map.of("wq", 1, "engines", 1),
            "mdpy-vga", Map.of("instances", 1));
    private static final List<String> TYPES = List.of("dsa-wq", "dsa-eng", "mdpy-vga");
    /** Units held per pool name, over every pool of the fleet, counted as PoolAudits counts a pool's use. */
    private static final String HELD_BY_POOL_NAME = """
            SELECT po.name, coalesce(sum(tc.cost * holder.instances), 0)
            FROM pools po
            JOIN parents pa ON pa.id = po.parent_id
            JOIN (SELECT d.parent_id, d.type_id, d.instances FROM devices d
                  UNION ALL
                  SELECT p.parent_id, p.type_id, p.instances FROM placements p
                  WHERE p.state IN ('pending', 'applying', 'active', 'reserved')
                    AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.uuid = p.device_uuid)) holder
                ON holder.parent_id = pa.id
            JOIN types t ON t.parent_id = pa.id AND t.type_id = holder.type_id
            JOIN type_costs tc ON tc.type_ref = t.id AND tc.pool_name = po.name
            GROUP BY po.name
            ORDER BY po.name
            """;

    @TempDir
    Path logs;

    @Test
    void twoReplicasUnderPlacementsAndReleasesNeverOverbookNorLeak() throws Exception {
        var duration = duration();
        var postgres = new PostgresTestResource();
        var datasource = postgres.start();
        var database = DatabaseRows.of(datasource);
        var replicas = new ArrayList<ServiceReplica>();
        try {
            replicas.add(ServiceReplica.launch("a", logs, datasource, Map.of()));
            replicas.add(ServiceReplica.launch("b", logs, datasource, Map.of()));
            for (var replica : replicas) {
                replica.awaitReady();
            }
            try {
                soak(replicas, database, duration);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ServiceReplica.logsOf(replicas, 100), e);
            }
        } finally {
            replicas.forEach(ServiceReplica::stop);
            postgres.stop();
        }
    }

    private static void soak(List<ServiceReplica> replicas, DatabaseRows database, Duration duration)
            throws Exception {
        var imported = ReplicaHttp.send(replicas.get(0), "POST", "/api/v1/fleet", TestFleets.dsa(HOSTS),
                REQUEST_TIMEOUT);
        assertThat(imported.status()).as("fleet import: %s", imported).isEqualTo(200);
        for (var replica : replicas) {
            awaitFleetIn(replica);
        }

        var tally = new Tally();
        var executor = Executors.newFixedThreadPool(CLIENTS);
        var started = System.nanoTime();
        var deadline = started + duration.toNanos();
        var clients = new ArrayList<CompletableFuture<Void>>();
        for (var c = 0; c < CLIENTS; c++) {
            var client = c;
            clients.add(CompletableFuture.runAsync(() -> tally.client(client, replicas, deadline), executor));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
                .get(duration.toSeconds() + 120, TimeUnit.SECONDS);
        var elapsedNanos = System.nanoTime() - started;
        executor.shutdown();

        // the database's own account
        var live = new TreeMap<String, String>();
        for (var row : database.rows("SELECT workload, device_uuid::text FROM placements WHERE state IN " + LIVE, 2)) {
            live.put(row.get(0), row.get(1));
        }
        var held = new TreeMap<String, Long>();
        for (var row : database.rows(HELD_BY_POOL_NAME, 2)) {
            held.put(row.get(0), Long.parseLong(row.get(1)));
        }
        var owed = new TreeMap<String, Long>();
        tally.live.values().forEach(placement -> COSTS.get(placement.type()).forEach((pool, cost) ->
                owed.merge(pool, (long) cost * placement.instances(), Long::sum)));
        var overbooked = database.column(PoolAudits.OVERBOOKED_POOLS);
        var releasedHolding = database.column("SELECT p.workload FROM placements p JOIN host_actions a"
                + " ON a.placement_id = p.id WHERE p.state = 'released' AND a.op = 'create' AND a.state <> 'cancelled'");
        var liveWithoutCreate = database.column("SELECT p.workload FROM placements p WHERE p.state IN " + LIVE
                + " AND NOT EXISTS (SELECT 1 FROM host_actions a WHERE a.placement_id = p.id AND a.op = 'create'"
                + " AND a.state = 'pending')");
        var expected = new TreeMap<String, String>();
        tally.live.forEach((workload, placement) -> expected.put(workload, placement.uuid()));

        var figures = figures(duration, elapsedNanos, tally, live.size(), held, owed, overbooked.size(),
                releasedHolding.size());
        System.out.println(figures);
        var out = Path.of("target", "soak");
        Files.createDirectories(out);
        Files.writeString(out.resolve("soak.md"), figures);

        var softly = new SoftAssertions();
        softly.assertThat(tally.unexpected).as("answers other than 201, 200 and 503 busy").isEmpty();
        softly.assertThat(overbooked).as("overbooked pools").isEmpty();
        softly.assertThat(held).as("units the pools hold = what the live placements answered cost").isEqualTo(owed);
        softly.assertThat(live).as("live placements = those answered 201 and not released").isEqualTo(expected);
        softly.assertThat(releasedHolding).as("released placements whose create was not cancelled").isEmpty();
        softly.assertThat(liveWithoutCreate).as("live placements without their pending create").isEmpty();
        softly.assertThat(tally.count("POST 201")).as("placements made").isPositive();
        softly.assertThat(tally.count("DELETE 200")).as("releases made").isPositive();
        softly.assertAll();
    }

    /** What each client did and was answered. */
    private static final class Tally {

        final Map<String, Integer> answers = new ConcurrentHashMap<>();
        final Queue<Long> placeNanos = new ConcurrentLinkedQueue<>();
        final Queue<Long> releaseNanos = new ConcurrentLinkedQueue<>();
        final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        /** Placed (answered 201) and not released (answered 200): workload to what it holds. */
        final Map<String, Held> live = new ConcurrentHashMap<>();

        void client(int client, List<ServiceReplica> replicas, long deadline) {
            var random = new Random(client * 7919L);
            var mine = new ArrayList<String>();
            try {
                for (var n = 0; System.nanoTime() < deadline; n++) {
                    var replica = replicas.get(random.nextInt(replicas.size()));
                    // hold about half the cap on average: as many releases as placements once there
                    if (!mine.isEmpty() && (mine.size() >= HELD_PER_CLIENT || random.nextInt(HELD_PER_CLIENT)
                            < mine.size())) {
                        var workload = mine.remove(random.nextInt(mine.size()));
                        var answer = ReplicaHttp.send(replica, "DELETE", "/api/v1/placements/" + workload, null,
                                REQUEST_TIMEOUT);
                        count("DELETE", answer, releaseNanos);
                        if (answer.status() == 200) {
                            live.remove(workload);
                        }
                    } else {
                        var workload = "soak-" + client + "-" + n;
                        var type = TYPES.get(random.nextInt(TYPES.size()));
                        var instances = type.equals("dsa-wq") ? 1 + random.nextInt(2) : 1;
                        var body = new LinkedHashMap<String, Object>();
                        body.put("workload", workload);
                        body.put("type", type);
                        body.put("instances", instances);
                        var answer = ReplicaHttp.send(replica, "POST", "/api/v1/placements", body, REQUEST_TIMEOUT);
                        count("POST", answer, placeNanos);
                        if (answer.status() == 201) {
                            live.put(workload, new Held(answer.json().path("uuid").asText(), type, instances));
                            mine.add(workload);
                        }
                    }
                }
            } catch (IOException e) {
                unexpected.add("no answer: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void count(String method, Answer answer, Queue<Long> latencies) {
            answers.merge(method + " " + answer.status(), 1, Integer::sum);
            latencies.add(answer.nanos());
            var expected = switch (answer.status()) {
                case 200 -> method.equals("DELETE");
                case 201 -> method.equals("POST");
                case 503 -> BUSY.equals(answer.problemType());
                default -> false;
            };
            if (!expected) {
                unexpected.add(method + " " + answer);
            }
        }

        int count(String answer) {
            return answers.getOrDefault(answer, 0);
        }
    }

    private record Held(String uuid, String type, int instances) {
    }

    private static String figures(Duration duration, long elapsedNanos, Tally tally, int live,
            Map<String, Long> held, Map<String, Long> owed, int overbooked, int releasedHolding) {
        var requests = tally.answers.values().stream().mapToInt(Integer::intValue).sum();
        var seconds = elapsedNanos / 1e9;
        var fiveHundreds = tally.answers.entrySet().stream().filter(entry -> entry.getKey().endsWith(" 500"))
                .mapToInt(Map.Entry::getValue).sum();
        return String.format("""
                ## Soak: two replicas, %d s
                
                | figure | value |
                |---|---|
                | fleet | %d hosts, %d parents (DSA: wq 8, engines 4; mdpy: 4 instances) |
                | clients | %d threads on loopback, each at a random replica, holding at most %d placements |
                | ran | %.1f s |
                | requests | %d (%.0f/s) |
                | answers | %s |
                | place latency | p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d) |
                | release latency | p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d) |
                | 500 answers | %d |
                | live placements at the end | %d (answered 201 and not released: %d) |
                | units held by pool name (database) | %s |
                | units the live placements cost (clients) | %s |
                | overbooked pools | %d |
                | released placements still holding (create not cancelled) | %d |
                """, duration.toSeconds(), HOSTS, HOSTS * 2, CLIENTS, HELD_PER_CLIENT, seconds, requests, requests / seconds,
                new TreeMap<>(tally.answers), millis(tally.placeNanos, 0.50), millis(tally.placeNanos, 0.99),
                millis(tally.placeNanos, 1.0), tally.placeNanos.size(), millis(tally.releaseNanos, 0.50),
                millis(tally.releaseNanos, 0.99), millis(tally.releaseNanos, 1.0), tally.releaseNanos.size(),
                fiveHundreds, live, tally.live.size(), held, owed, overbooked, releasedHolding);
    }

    /** The latency at the quantile (nearest rank), in milliseconds; 0 with none. */
    private static double millis(Queue<Long> nanos, double quantile) {
        if (nanos.isEmpty()) {
            return 0;
        }
        var sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        var rank = (int) Math.ceil(quantile * sorted.size());
        return sorted.get(Math.max(0, rank - 1)) / 1e6;
    }

    /** mdevplan.soak.duration: 90s, 5m, or a bare number of seconds. */
    private static Duration duration() {
        var text = System.getProperty("mdevplan.soak.duration", "").trim();
        if (text.isEmpty()) {
            return DEFAULT_DURATION;
        }
        try {
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1)
                    : text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mdevplan.soak.duration is " + text + ", not a duration. Maybe 90s or"
                    + " 5m.", e);
        }
    }

    /**
     * Waits until the replica's placement index holds the imported fleet: two dsa-eng in one device are refused by
     * that type's limit, not as an unknown type. Writes nothing.
     */
    private static void awaitFleetIn(ServiceReplica replica) throws IOException, InterruptedException {
        var probe = Map.of("workload", "sync-probe", "type", "dsa-eng", "instances", 2);
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        var answer = ReplicaHttp.send(replica, "POST", "/api/v1/placements", probe, REQUEST_TIMEOUT);
        while (!(answer.status() == 422 && answer.body().contains("at most 1"))) {
            assertThat(System.nanoTime()).as("replica %s never saw the fleet: %s", replica.name(), answer)
                    .isLessThan(deadline);
            Thread.sleep(100);
            answer = ReplicaHttp.send(replica, "POST", "/api/v1/placements", probe, REQUEST_TIMEOUT);
        }
    }
}

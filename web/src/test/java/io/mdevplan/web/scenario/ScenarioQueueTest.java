package io.mdevplan.web.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.scenario.ScenarioQueue.Job;
import io.mdevplan.web.scenario.ScenarioQueue.Progress;
import io.mdevplan.web.scenario.ScenarioQueue.Renewal;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The queue as replicas share it, with this service's own workers switched off so that the test plays every worker:
 * workers named as replicas would be, racing on the same rows.
 */
@QuarkusTest
@TestProfile(ScenarioQueueTest.NoWorkers.class)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ScenarioQueueTest {

    /** This service solves nothing itself; its name in the queue is that of the replica the tests restart. */
    public static final class NoWorkers implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mdevplan.scenarios.workers", "0", "mdevplan.scenarios.replica-id", RESTARTED);
        }
    }

    private static final String RESTARTED = "replica-r";
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int MAX_ATTEMPTS = 3;
    private static final Progress NO_PROGRESS = new Progress(null, null, 0);

    @Inject
    TestData data;

    @Inject
    ScenarioQueue queue;

    @Inject
    ScenarioPreparer preparer;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Inject
    MdevplanConfig config;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @Test
    void aWorkerTakesTheOldestQueuedScenarioUnderALeaseAndStoresItsOutcomeOnce() {
        var first = enqueue();
        var second = enqueue();

        var job = queue.claim("replica-a", LEASE).orElseThrow();

        assertThat(job.id()).isEqualTo(first);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(row(first)).isEqualTo("running replica-a 1");
        assertThat(data.count("SELECT count(*) FROM scenarios WHERE id = " + first
                + " AND lease_until > now() + interval '20 seconds'")).isEqualTo(1);
        assertThat(queue.renew(job, LEASE, new Progress("{\"phase\": \"improving\"}", "0hard/-1soft", 42)))
                .isEqualTo(Renewal.HELD);
        assertThat(data.column("SELECT (progress ->> 'phase') || ' ' || best_score || ' ' || elapsed_ms"
                + " FROM scenarios WHERE id = " + first)).containsExactly("improving 0hard/-1soft 42");
        assertThat(queue.finish(job, "{\"placed\": 1}", "{}", NO_PROGRESS)).contains(ScenarioState.DONE);
        assertThat(queue.finish(job, "{\"placed\": 2}", "{}", NO_PROGRESS)).isEmpty();
        assertThat(data.column("SELECT state || ' ' || (result ->> 'placed') FROM scenarios WHERE id = " + first))
                .containsExactly("done 1");
        assertThat(row(second)).isEqualTo("queued - 0");
    }

    @Test
    void aScenarioWhoseLeaseRanOutIsTakenByAnotherWorkerAndTheFirstCanNoLongerWrite() {
        var id = enqueue();
        var dead = queue.claim("replica-a", LEASE).orElseThrow();
        assertThat(queue.claim("replica-b", LEASE)).as("held, not queued").isEmpty();
        // replica-a died: its last renewal was longer ago than the lease
        expireLease(id);

        assertThat(queue.expireLeases(MAX_ATTEMPTS)).containsExactly(new ScenarioQueue.Orphan(id,
                ScenarioState.QUEUED));
        var taken = queue.claim("replica-b", LEASE).orElseThrow();

        assertThat(taken.id()).isEqualTo(id);
        assertThat(taken.attempt()).isEqualTo(2);
        assertThat(row(id)).isEqualTo("running replica-b 2");
        // the first worker comes back: fenced out, it renews nothing and stores nothing
        assertThat(queue.renew(dead, LEASE, NO_PROGRESS)).isEqualTo(Renewal.LOST);
        assertThat(queue.finish(dead, "{\"placed\": 9}", "{}", NO_PROGRESS)).isEmpty();
        assertThat(queue.fail(dead, "late", NO_PROGRESS)).isFalse();
        assertThat(queue.renew(taken, LEASE, NO_PROGRESS)).isEqualTo(Renewal.HELD);
        assertThat(queue.finish(taken, "{\"placed\": 1}", "{}", NO_PROGRESS)).contains(ScenarioState.DONE);
    }

    @Test
    void aScenarioWhoseLeaseRunsOutTooOftenFailsWithTheReason() {
        var id = enqueue();
        for (var take = 1; take <= MAX_ATTEMPTS; take++) {
            assertThat(queue.claim("replica-" + take, LEASE).orElseThrow().attempt()).isEqualTo(take);
            expireLease(id);
            var orphans = queue.expireLeases(MAX_ATTEMPTS);
            assertThat(orphans).containsExactly(new ScenarioQueue.Orphan(id, take < MAX_ATTEMPTS
                    ? ScenarioState.QUEUED : ScenarioState.FAILED));
        }

        assertThat(queue.claim("replica-x", LEASE)).isEmpty();
        assertThat(data.column("SELECT state || ' ' || worker || ' ' || attempts FROM scenarios"))
                .containsExactly("failed replica-3 3");
        assertThat(data.column("SELECT error FROM scenarios").get(0)).contains("taken 3 times", "lease ran out",
                "replica-3", "Maybe");
    }

    @Test
    void aScenarioIsNeverTakenByTwoWorkersAtOnce() throws Exception {
        var ids = new HashSet<Long>();
        for (var i = 0; i < 40; i++) {
            ids.add(enqueue());
        }
        var workers = List.of("replica-a-1", "replica-a-2", "replica-b-1", "replica-b-2");
        var taken = new ConcurrentLinkedQueue<Job>();
        var start = new CyclicBarrier(workers.size());
        var pool = Executors.newFixedThreadPool(workers.size());
        try {
            var done = new ArrayList<Future<?>>();
            for (var worker : workers) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (var job = queue.claim(worker, LEASE); job.isPresent(); job = queue.claim(worker, LEASE)) {
                        taken.add(job.get());
                    }
                    return null;
                }));
            }
            for (var future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(taken).extracting(Job::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(taken).extracting(Job::attempt).containsOnly(1);
        assertThat(taken).extracting(Job::worker).as("the workers raced").hasSizeGreaterThan(1);
        assertThat(data.column("SELECT DISTINCT state || ' ' || attempts FROM scenarios"))
                .containsExactly("running 1");
    }

    @Test
    void aRestartedReplicaQueuesAgainTheScenariosItHeldOrFailsThoseTakenTooOften() {
        var held = enqueue();
        var worn = enqueue();
        var elsewhere = enqueue();
        queue.claim(RESTARTED, LEASE).orElseThrow();
        data.execute("UPDATE scenarios SET attempts = " + (MAX_ATTEMPTS - 1) + " WHERE id = " + worn);
        queue.claim(RESTARTED, LEASE).orElseThrow();
        queue.claim("replica-b", LEASE).orElseThrow();

        // the replica starts again under its name, its leases still running: its workers start by recovering
        new ScenarioWorkers(queue, preparer, json, registry, config, 0).start(null);

        assertThat(row(held)).isEqualTo("queued - 1");
        assertThat(row(worn)).isEqualTo("failed " + RESTARTED + " " + MAX_ATTEMPTS);
        assertThat(data.column("SELECT error FROM scenarios WHERE id = " + worn).get(0)).contains("restarted");
        assertThat(row(elsewhere)).as("another replica's").isEqualTo("running replica-b 1");
        assertThat(queue.claim("replica-b", LEASE).orElseThrow().id()).isEqualTo(held);
    }

    @Test
    void aCleanStopGivesTheScenarioBackWithoutCountingTheTake() {
        var id = enqueue();
        var job = queue.claim("replica-a", LEASE).orElseThrow();

        assertThat(queue.giveBack(job)).isTrue();

        assertThat(row(id)).isEqualTo("queued - 0");
        assertThat(queue.claim("replica-b", LEASE).orElseThrow().attempt()).isEqualTo(1);
    }

    @Test
    void aCancelThroughAnyReplicaReachesTheWorkerAtItsNextRenewal() {
        var taken = enqueue();
        var waiting = enqueue();
        var job = queue.claim("replica-a", LEASE).orElseThrow();
        assertThat(job.id()).isEqualTo(taken);

        assertThat(queue.cancel(taken)).contains(ScenarioState.RUNNING);
        assertThat(queue.cancel(waiting)).contains(ScenarioState.CANCELLED);

        assertThat(queue.renew(job, LEASE, NO_PROGRESS)).isEqualTo(Renewal.CANCEL);
        assertThat(queue.cancelled(job, NO_PROGRESS)).isTrue();
        assertThat(row(taken)).isEqualTo("cancelled replica-a 1");
        assertThat(row(waiting)).isEqualTo("cancelled - 0");
        assertThat(queue.cancel(taken)).isEmpty();
    }

    @Test
    void aCancelAskedForWhileTheResultIsStoredWins() {
        var id = enqueue();
        var job = queue.claim("replica-a", LEASE).orElseThrow();
        queue.cancel(id);

        assertThat(queue.finish(job, "{\"placed\": 1}", "{}", NO_PROGRESS)).contains(ScenarioState.CANCELLED);
        assertThat(data.column("SELECT state || ' ' || (result IS NULL) FROM scenarios")).containsExactly(
                "cancelled true");
    }

    private long enqueue() {
        return Long.parseLong(queue.enqueue("s", "{\"base\": \"live\"}", true, 1000).id());
    }

    private void expireLease(long id) {
        data.execute("UPDATE scenarios SET lease_until = now() - interval '1 second' WHERE id = " + id);
    }

    /** state, worker (- for none), attempts. */
    private String row(long id) {
        return data.column("SELECT state || ' ' || coalesce(worker, '-') || ' ' || attempts FROM scenarios"
                + " WHERE id = " + id).get(0);
    }
}

package io.mdevplan.web.scenario;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.whatif.InvalidScenarioException;
import io.mdevplan.planner.whatif.ScenarioJson;
import io.mdevplan.planner.whatif.WhatIfCancellation;
import io.mdevplan.planner.whatif.WhatIfEngine;
import io.mdevplan.planner.whatif.WhatIfListener;
import io.mdevplan.planner.whatif.WhatIfProgress;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.problem.DatabaseOutages;
import io.mdevplan.web.scenario.ScenarioQueue.Job;
import io.mdevplan.web.scenario.ScenarioQueue.Progress;
import io.mdevplan.web.scenario.ScenarioQueue.Renewal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * This replica's scenario workers: each takes the oldest queued scenario from {@link ScenarioQueue}, solves it with
 * the planner's what-if engine and stores the outcome, while a heartbeat renews its lease, stores its progress and
 * looks whether it was cancelled through any replica. An idle worker also queues again the scenarios whose lease ran
 * out. At start, the scenarios this replica's name held when it stopped without giving them back are queued again
 * (or failed); at a clean stop, the runs are cancelled and their scenarios given back to the queue.
 */
@Singleton
public final class ScenarioWorkers {

    private static final Logger LOG = Logger.getLogger(ScenarioWorkers.class);

    /** How long a clean stop waits for the runs to give their scenarios back; the rest wait for their lease. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** A run of one scenario on this replica: the planner reports to it, the heartbeat reads it. */
    private static final class Run implements WhatIfListener {

        private final Job job;
        private final WhatIfCancellation cancellation = new WhatIfCancellation();
        private final long startedNanos = System.nanoTime();
        private final AtomicReference<WhatIfProgress> last = new AtomicReference<>();
        private volatile String bestScore;
        /** Another worker or a cancel took the scenario over: the run stops and writes nothing. */
        private volatile boolean lost;

        Run(Job job) {
            this.job = job;
        }

        @Override
        public void progress(WhatIfProgress progress) {
            last.set(progress);
            if (progress.bestScore() != null) {
                bestScore = progress.bestScore();
            }
        }

        Progress snapshot() {
            var progress = last.get();
            return new Progress(progress == null ? null : FleetJson.toJson(progress), bestScore,
                    (System.nanoTime() - startedNanos) / 1_000_000);
        }
    }

    private final ScenarioQueue queue;
    private final ScenarioPreparer preparer;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final MdevplanConfig.Scenarios config;
    private final String replicaId;
    private final ScheduledExecutorService heartbeats;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Long, Run> running = new ConcurrentHashMap<>();
    /** Idle workers wait on it for the poll interval, or until this replica queues a scenario. */
    private final Object idle = new Object();
    private volatile boolean stopping;

    ScenarioWorkers(ScenarioQueue queue, ScenarioPreparer preparer, ObjectMapper json, MeterRegistry registry,
            MdevplanConfig config, @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        this.queue = queue;
        this.preparer = preparer;
        this.json = json;
        this.registry = registry;
        this.config = config.scenarios();
        this.replicaId = this.config.replicaId().orElseGet(() -> hostName() + ":" + port);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "mdevplan-scenario-heartbeats");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start(@Observes StartupEvent event) {
        queue.recover(replicaId, config.maxAttempts()).forEach(orphan -> LOG.warnf("Scenario %d was held by this"
                + " replica (%s) when it stopped without giving it back: %s", orphan.id(), replicaId,
                orphan.state().column()));
        for (var n = 1; n <= config.workers(); n++) {
            var thread = new Thread(this::work, "mdevplan-scenario-worker-" + n);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("Scenario workers: %d on this replica, named %s in the queue", config.workers(), replicaId);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        running.values().forEach(run -> run.cancellation.cancel());
        wake();
        var deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (var thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        heartbeats.shutdownNow();
    }

    /** This replica's name in the queue (scenarios.worker). */
    public String replicaId() {
        return replicaId;
    }

    /** Wakes an idle worker: this replica just queued a scenario. */
    public void wake() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /** Stops the scenario's run at once if it runs here; other replicas see the cancel at their next heartbeat. */
    public void cancelHere(long id) {
        var run = running.get(id);
        if (run != null) {
            run.cancellation.cancel();
        }
    }

    private void work() {
        while (!stopping) {
            try {
                queue.expireLeases(config.maxAttempts()).forEach(orphan -> LOG.warnf("Scenario %d lost its worker"
                        + " (its lease ran out): %s", orphan.id(), orphan.state().column()));
                var job = queue.claim(replicaId, config.lease());
                if (job.isPresent()) {
                    run(job.get());
                } else {
                    rest();
                }
            } catch (RuntimeException e) {
                // the database may be away for a moment: the leases and the queue wait for it
                LOG.errorf(e, "A scenario worker's turn failed; it goes on after the poll interval");
                rest();
            }
        }
    }

    private void rest() {
        synchronized (idle) {
            if (stopping) {
                return;
            }
            try {
                idle.wait(config.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    private void run(Job job) {
        var run = new Run(job);
        running.put(job.id(), run);
        if (stopping) {
            // taken as the service began to stop, after it cancelled the runs it had
            run.cancellation.cancel();
        }
        var heartbeat = config.heartbeat().toMillis();
        var beats = heartbeats.scheduleWithFixedDelay(() -> renew(run), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        var started = System.nanoTime();
        String outcome;
        try {
            var source = "scenario " + job.id();
            var document = ScenarioJson.read(new ByteArrayInputStream(job.document().getBytes(StandardCharsets.UTF_8)),
                    source);
            var prepared = preparer.prepare(document, source);
            var result = WhatIfEngine.run(prepared, Duration.ofMillis(job.timeLimitMillis()), run, run.cancellation);
            var stored = queue.finish(job, FleetJson.toJson(result), toJson(CommitPlan.of(prepared, result)),
                    run.snapshot());
            outcome = stored.map(ScenarioState::column).orElse("lost");
        } catch (CancellationException e) {
            if (run.lost) {
                outcome = "lost";
            } else if (stopping) {
                outcome = queue.giveBack(job) ? "given-back" : "lost";
            } else {
                outcome = queue.cancelled(job, run.snapshot()) ? "cancelled" : "lost";
            }
        } catch (InvalidScenarioException e) {
            outcome = queue.fail(job, "The live fleet changed since the scenario was queued, and it no longer"
                    + " applies. " + e.getMessage(), run.snapshot()) ? "failed" : "lost";
        } catch (RuntimeException e) {
            var outage = DatabaseOutages.reason(e);
            if (outage.isPresent()) {
                // not the scenario's fault: it is solved again once the database is back, not failed for good
                LOG.warnf("Scenario %d met the database away (%s); it goes back to the queue", job.id(), outage.get());
                outcome = giveBackAfterOutage(job);
            } else {
                LOG.errorf(e, "Scenario %d failed", job.id());
                outcome = queue.fail(job, "The run failed: " + e + ". Maybe post the scenario again; if it fails"
                        + " again, report it with the service's log.", run.snapshot()) ? "failed" : "lost";
            }
        } finally {
            beats.cancel(false);
            running.remove(job.id());
        }
        if ("lost".equals(outcome)) {
            LOG.warnf("Scenario %d was taken over (its lease ran out, or it was cancelled) before its run ended;"
                    + " nothing was stored", job.id());
        }
        Timer.builder("mdevplan.scenario.runs")
                .description("Scenario runs on this replica, by how they ended: done, failed, cancelled, lost (taken"
                        + " over), given-back (the service stopped, or the database was away), interrupted (the"
                        + " database was away; the lease gives it back)")
                .tag("outcome", outcome)
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** Queues the scenario again at once; while the database is still away, its lease runs out and does it later. */
    private String giveBackAfterOutage(Job job) {
        try {
            return queue.giveBack(job) ? "given-back" : "lost";
        } catch (RuntimeException stillAway) {
            LOG.warnf("Scenario %d cannot be given back yet (%s); it is queued again when its lease runs out",
                    job.id(), DatabaseOutages.reason(stillAway).orElse(stillAway.toString()));
            return "interrupted";
        }
    }

    /** The heartbeat: the lease renewed, the progress stored, a cancel or a takeover noticed. */
    private void renew(Run run) {
        try {
            var renewal = queue.renew(run.job, config.lease(), run.snapshot());
            if (renewal == Renewal.LOST) {
                run.lost = true;
            }
            if (renewal != Renewal.HELD) {
                run.cancellation.cancel();
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; the next beat tries again within the lease
            LOG.warnf(e, "Cannot renew the lease of scenario %d", run.job.id());
        }
    }

    private String toJson(CommitPlan plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A commit plan did not serialize: " + e.getMessage(), e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

package io.mdevplan.web.dispatch;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.http.QueryDurations;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;

/**
 * Long polls of hosts' actions: a poll with actions pending is answered at once; one without waits, holding no
 * thread, until actions appear or its wait ends. Actions this replica writes wake the host's polls as soon as their
 * transaction commits; those of other replicas are found by one query for every waiting host each
 * {@code mdevplan.dispatch.poll-interval}.
 */
@Singleton
public final class LongPolls {

    private static final Logger LOG = Logger.getLogger(LongPolls.class);

    /** A poll waiting for its host's actions. */
    private static final class Waiter {

        private final long hostId;
        private final String host;
        private final CompletableFuture<HostPlan> plan = new CompletableFuture<>();
        private volatile ScheduledFuture<?> deadline;

        Waiter(long hostId, String host) {
            this.hostId = hostId;
            this.host = host;
        }
    }

    private final DispatchService dispatch;
    private final long maxWaitMillis;
    private final long pollIntervalMillis;
    private final ScheduledExecutorService executor;
    private final ConcurrentHashMap<Long, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    LongPolls(DispatchService dispatch, MdevplanConfig config) {
        this.dispatch = dispatch;
        this.maxWaitMillis = config.dispatch().maxWait().toMillis();
        this.pollIntervalMillis = config.dispatch().pollInterval().toMillis();
        var threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(config.dispatch().threads(), runnable -> {
            var thread = new Thread(runnable, "mdevplan-dispatch-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PostConstruct
    void start() {
        executor.scheduleWithFixedDelay(this::sweep, pollIntervalMillis, pollIntervalMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        waiting.values().forEach(waiters -> waiters.forEach(waiter ->
                waiter.plan.complete(new HostPlan(waiter.host, List.of()))));
    }

    /**
     * The host's pending actions at once if it has some (or {@code wait} is 0), else as soon as some appear within
     * {@code wait}, else none when it ends. 400 for an unsafe name, 404 for an unknown host, 422 for a bad wait.
     */
    public CompletionStage<HostPlan> poll(String name, String wait) {
        var waitMillis = waitMillis(wait);
        var hostId = dispatch.hostId(name);
        if (waitMillis == 0) {
            return CompletableFuture.completedFuture(dispatch.handOut(hostId, name));
        }
        // registered before the first look, so that actions committed after it wake this poll
        var waiter = new Waiter(hostId, name);
        waiting.compute(hostId, (id, waiters) -> {
            // in compute, so that it never joins a set forget() has just dropped from the map
            var joined = waiters == null ? ConcurrentHashMap.<Waiter>newKeySet() : waiters;
            joined.add(waiter);
            return joined;
        });
        waiter.plan.whenComplete((answered, error) -> forget(waiter));
        try {
            var plan = dispatch.handOut(hostId, name);
            if (!plan.actions().isEmpty()) {
                waiter.plan.complete(plan);
                return waiter.plan;
            }
        } catch (RuntimeException e) {
            waiter.plan.completeExceptionally(e);
            throw e;
        }
        if (!waiter.plan.isDone()) {
            waiter.deadline = executor.schedule(() -> waiter.plan.complete(new HostPlan(name, List.of())),
                    waitMillis, TimeUnit.MILLISECONDS);
        }
        return waiter.plan;
    }

    /** Wakes the polls of hosts that this replica wrote actions for, once the writing transaction has committed. */
    void written(@Observes(during = TransactionPhase.AFTER_SUCCESS) HostActionsWritten written) {
        written.hostIds().forEach(hostId -> {
            if (waiting.containsKey(hostId)) {
                wake(hostId);
            }
        });
    }

    private void wake(long hostId) {
        try {
            executor.execute(() -> handOut(hostId));
        } catch (RejectedExecutionException e) {
            // stopping: every poll has been answered
        }
    }

    /** Answers every poll of the host with its pending actions, if it has some now. */
    private void handOut(long hostId) {
        var waiters = waiting.get(hostId);
        var any = waiters == null ? null : waiters.stream().findAny().orElse(null);
        if (any == null) {
            return;
        }
        try {
            var plan = dispatch.handOut(hostId, any.host);
            if (!plan.actions().isEmpty()) {
                waiters.forEach(waiter -> waiter.plan.complete(plan));
            }
        } catch (RuntimeException e) {
            // the polls wait on; the next sweep tries again
            LOG.warnf(e, "Cannot hand out the actions of host %d to its waiting polls", hostId);
        }
    }

    /** Finds the waiting hosts that have actions now (written by any replica) and answers their polls. */
    private void sweep() {
        try {
            if (!waiting.isEmpty()) {
                dispatch.withPendingActions(List.copyOf(waiting.keySet())).forEach(this::handOut);
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again
            LOG.warnf(e, "Cannot look for actions of the %d hosts with waiting polls", waiting.size());
        }
    }

    private void forget(Waiter waiter) {
        var deadline = waiter.deadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        waiting.computeIfPresent(waiter.hostId, (id, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    /** The wait asked for, in milliseconds: absent is 0; 422 for what is not a duration or is too long. */
    private long waitMillis(String wait) {
        if (wait == null || wait.isEmpty()) {
            return 0;
        }
        var millis = QueryDurations.millis(wait).orElseThrow(() -> badWait(wait, "is not a duration"));
        if (millis > maxWaitMillis) {
            throw badWait(wait, "is longer than " + maxWaitMillis / 1000 + "s");
        }
        return millis;
    }

    private ProblemException badWait(String wait, String why) {
        return new ProblemException(ProblemType.UNPROCESSABLE, "The wait " + wait + " " + why + ". Maybe use"
                + " wait=30s (a whole number of ms, s or m), at most " + maxWaitMillis / 1000 + "s"
                + " (mdevplan.dispatch.max-wait).", List.of(new ProblemItem("wait", wait, "the wait " + why)));
    }
}

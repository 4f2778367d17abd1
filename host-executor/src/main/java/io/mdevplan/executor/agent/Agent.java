package io.mdevplan.executor.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.mdevplan.executor.apply.ActionResult;
import io.mdevplan.executor.apply.ActionStatus;
import io.mdevplan.executor.apply.Plan;
import io.mdevplan.executor.apply.PlanApplier;
import io.mdevplan.executor.apply.PlanException;
import io.mdevplan.executor.apply.PlanReader;
import io.mdevplan.planner.fleet.FleetHost;

/**
 * The host's agent: registers the host's inventory, then long-polls the host's pending actions, applies them and
 * stores each result, heartbeats on its own thread, and re-reads sysfs on a period to report drift.
 * <p>
 * Safe to kill at any point: the service hands an action out again until its result is stored, and applying an
 * action again converges (a device already made as asked is done, a half-made one is completed or made again, a
 * remove of a device that is gone is done). So a restarted agent neither loses an action nor applies one twice.
 */
public final class Agent {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final AgentSettings settings;
    private final ServiceClient service;
    private final Supplier<FleetHost> inventory;
    private final PlanApplier applier;
    private final AgentLog log;
    private final String version;
    private final Instant startedAt = Instant.now();
    private final Object sleeper = new Object();
    private volatile boolean stopped;
    /**
     * Set by a heartbeat the service answered 404 (the host is gone there: a fleet import) or with reportInventory
     * (it has no inventory of this run, e.g. a fleet import brought the host back): register again.
     */
    private volatile boolean unknownToService;
    /** What the service last stored of this host; null until registered. Only the agent's loop touches it. */
    private FleetHost reported;

    /** {@code inventory} reads this host's inventory afresh each time it is called. */
    public Agent(AgentSettings settings, ServiceClient service, Supplier<FleetHost> inventory, PlanApplier applier,
            AgentLog log, String version) {
        this.settings = settings;
        this.service = service;
        this.inventory = inventory;
        this.applier = applier;
        this.log = log;
        this.version = version;
    }

    /**
     * Runs until {@link #stop()}. Throws when the service refuses the inventory for good (a 4xx other than 404,
     * 408, 429: a wrong token, another host's name, an inventory the service cannot store): such an agent cannot
     * do its work, and retrying would not change that.
     */
    public void run() throws ServiceException {
        log.info("mdevplan-executor " + version + " for host " + settings.host() + " at " + settings.service()
                + (settings.persist() ? "" : " (not persisting mdevctl definitions)"));
        register();
        var heartbeats = heartbeats();
        try {
            var backoff = FIRST_BACKOFF;
            var nextDriftCheck = Instant.now().plus(settings.driftInterval());
            while (!stopped) {
                try {
                    if (unknownToService) {
                        unknownToService = false;
                        reported = null;
                        register();
                    }
                    if (!Instant.now().isBefore(nextDriftCheck)) {
                        report("re-read");
                        nextDriftCheck = Instant.now().plus(settings.driftInterval());
                    }
                    var plan = poll();
                    if (!plan.actions().isEmpty() && !applyAndStore(plan)) {
                        sleep(backoff);
                        backoff = next(backoff);
                        continue;
                    }
                    backoff = FIRST_BACKOFF;
                } catch (ServiceException e) {
                    if (stopped) {
                        break;
                    }
                    if (e.status() == 404) {
                        log.warn("The service does not know this host any more; registering it again. ("
                                + e.getMessage() + ")");
                        reported = null;
                        register();
                        continue;
                    }
                    log.warn(e.getMessage() + (e.retryable() ? "" : " Maybe check --service, --host and the"
                            + " token.") + " Trying again in " + backoff.toMillis() + " ms.");
                    sleep(backoff);
                    backoff = next(backoff);
                }
            }
        } finally {
            heartbeats.shutdownNow();
        }
        log.info("Stopped.");
    }

    /** Ends {@link #run()} soon: a long poll in flight is cancelled, a plan being applied is finished first. */
    public void stop() {
        stopped = true;
        service.cancel();
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    /** Stores the inventory, trying again while the service is away; a refusal for good ends the agent. */
    private void register() throws ServiceException {
        var backoff = FIRST_BACKOFF;
        while (!stopped) {
            try {
                report("registered");
                return;
            } catch (ServiceException e) {
                if (!e.retryable()) {
                    throw e;
                }
                log.warn(e.getMessage() + " Registering again in " + backoff.toMillis() + " ms.");
                sleep(backoff);
                backoff = next(backoff);
            }
        }
    }

    /** Stores the inventory when it differs from what the service last stored: the service reports the drift. */
    private void report(String why) throws ServiceException {
        var current = inventory.get();
        if (current.equals(reported)) {
            return;
        }
        var drift = service.putInventory(current);
        reported = current;
        log.info("Inventory " + why + ": " + current.parents().size() + " parents, " + current.parents().stream()
                .mapToInt(parent -> parent.devices().size()).sum() + " devices.");
        drift.forEach(line -> log.warn("Drift: " + line));
    }

    private Plan poll() throws ServiceException {
        var body = service.pollActions(settings.pollWait());
        try {
            return PlanReader.read(body, "The plan from " + settings.service());
        } catch (PlanException e) {
            // the service and this executor disagree on the plan's shape: an upgrade half done
            throw new ServiceException(200, e.getMessage(), e);
        }
    }

    /**
     * Applies the plan and stores every result but the skipped ones (they stay pending and come back in the next
     * plan). Answers whether all were stored; the inventory is reported again when the plan changed it.
     */
    private boolean applyAndStore(Plan plan) throws ServiceException {
        var report = applier.apply(plan);
        var stored = true;
        for (var result : report.results()) {
            if (result.status() != ActionStatus.SKIPPED) {
                log(result);
                stored &= store(result);
            }
        }
        report("after " + plan.actions().size() + " actions");
        return stored;
    }

    private void log(ActionResult result) {
        if (result.status() == ActionStatus.DONE) {
            log.info("Action " + result.id() + " done.");
        } else {
            log.warn("Action " + result.id() + " " + result.status().json() + ": "
                    + (result.error().errno() == null ? "" : result.error().errno() + ": ") + result.error().message());
        }
    }

    /**
     * Stores one result, trying again while the service is away. Answers false when it was not stored: the agent
     * stopped meanwhile (the action comes back after a restart and converges) or the service refused it.
     */
    private boolean store(ActionResult result) {
        var backoff = FIRST_BACKOFF;
        while (true) {
            try {
                service.postResult(result);
                return true;
            } catch (ServiceException e) {
                if (!e.retryable()) {
                    // 404: the action is gone (its host re-imported); 409: stored already with another result
                    log.warn("The result of action " + result.id() + " was not stored: " + e.getMessage());
                    return e.status() == 404 || e.status() == 409;
                }
                if (stopped) {
                    return false;
                }
                log.warn(e.getMessage() + " Storing the result of action " + result.id() + " again in "
                        + backoff.toMillis() + " ms.");
                sleep(backoff);
                backoff = next(backoff);
            }
        }
    }

    private ScheduledExecutorService heartbeats() {
        var executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::heartbeat, 0, settings.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        return executor;
    }

    private void heartbeat() {
        try {
            if (service.heartbeat(version, startedAt)) {
                unknownToService = true;
            }
        } catch (ServiceException e) {
            if (e.status() == 404) {
                unknownToService = true;
            } else if (!stopped) {
                log.warn("Heartbeat failed: " + e.getMessage());
            }
        }
    }

    private void sleep(Duration duration) {
        synchronized (sleeper) {
            if (stopped) {
                return;
            }
            try {
                sleeper.wait(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    private static Duration next(Duration backoff) {
        var doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }
}

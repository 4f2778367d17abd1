package io.mdevplan.web.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.mdevplan.planner.online.PlacementDecision;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.placement.PendingInserts.Pending;
import io.mdevplan.web.placement.PlacementIndex.Booking;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Decides and commits this replica's online placements in rounds: one thread takes every request waiting, decides
 * each in turn against the index (so each sees the ones before it, and concurrent requests do not all pick the same
 * parent), and writes the whole round in one transaction. A parent is checked under its host's row lock, bumped to a
 * new books version, after the view of the host is proven to be the database's ({@link PlacementIndex#claim}), so no
 * interleaving of replicas overbooks it. The round's first host lock waits; later ones skip a host another writer
 * holds (its request goes to the next round), so a round never waits while holding a lock: no deadlocks.
 */
@Singleton
public final class PlacementCommitter {

    private static final Logger LOG = Logger.getLogger(PlacementCommitter.class);

    /** Decisions per request and round: the view can change under one (a refusal by the exact view, a reload). */
    private static final int DECISIONS_PER_ROUND = 3;

    /** How a request ended. */
    public sealed interface Outcome {

        /** Written, pending. */
        record Placed(PlacementView placement) implements Outcome {
        }

        /** Nothing in this replica's view takes it, in the planner's words. */
        record Refused(String reason) implements Outcome {
        }

        /** The workload is placed already, by this replica's view or the database. */
        record Duplicate() implements Outcome {
        }

        /** It was carried through every round allowed, or waited too long. */
        record Busy(String why) implements Outcome {
        }
    }

    /** A request waiting for its outcome; {@code rounds} counts the rounds it went through unwritten. */
    private static final class Ticket {

        private final PlacementRequest request;
        private final Policy policy;
        private final Replacement replacement;
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private int rounds;

        Ticket(PlacementRequest request, Policy policy, Replacement replacement) {
            this.request = request;
            this.policy = policy;
            this.replacement = replacement;
        }
    }

    /** A booking of this round: in the view now, in the database when the round commits. */
    private record Booked(Ticket ticket, long hostId, String host, String parent, Pending pending) {
    }

    /** What one round did, built by its transaction and acted on after it. */
    private static final class Round {

        private final Map<Long, Long> claims = new HashMap<>();
        private final List<Booked> booked = new ArrayList<>();
        private final Map<Ticket, Outcome> answers = new HashMap<>();
        private final List<Ticket> carried = new ArrayList<>();
        private boolean rebuild;
    }

    private final PlacementIndex index;
    private final PlacementIndexSync sync;
    private final HostBooks books;
    private final PendingInserts inserts;
    private final PlacementMetrics metrics;
    private final int attempts;
    private final int roundMaxRequests;
    private final long commitWaitMillis;
    private final LinkedBlockingQueue<Ticket> queue = new LinkedBlockingQueue<>();
    /** Requests for the next round, ahead of new ones; only the committing thread touches it. */
    private final List<Ticket> carried = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    PlacementCommitter(PlacementIndex index, PlacementIndexSync sync, HostBooks books, PendingInserts inserts,
            PlacementMetrics metrics, MdevplanConfig config) {
        this.index = index;
        this.sync = sync;
        this.books = books;
        this.inserts = inserts;
        this.metrics = metrics;
        this.attempts = config.placement().attempts();
        this.roundMaxRequests = config.placement().roundMaxRequests();
        this.commitWaitMillis = config.placement().commitWait().toMillis();
        this.thread = new Thread(this::commitRounds, "mdevplan-placement-committer");
        this.thread.setDaemon(true);
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        thread.interrupt();
        for (var ticket = queue.poll(); ticket != null; ticket = queue.poll()) {
            ticket.outcome.complete(new Outcome.Busy("the service is stopping"));
        }
    }

    /** Places the request in the next round and waits for its outcome. */
    public Outcome place(PlacementRequest request, Policy policy) {
        return place(request, policy, Replacement.NONE);
    }

    /**
     * Places the request in the next round, in place of a failed placement and away from the parents it avoids, and
     * waits for its outcome: a duplicate when the workload has a live placement again by then.
     */
    public Outcome place(PlacementRequest request, Policy policy, Replacement replacement) {
        var ticket = new Ticket(request, policy, replacement);
        if (stopped) {
            return new Outcome.Busy("the service is stopping");
        }
        queue.add(ticket);
        try {
            return ticket.outcome.get(commitWaitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome.Busy("its commit round did not end within " + commitWaitMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Busy("the request was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("A placement round failed: " + e.getCause(), e.getCause());
        }
    }

    private void commitRounds() {
        while (!stopped) {
            var tickets = new ArrayList<>(carried);
            carried.clear();
            try {
                if (tickets.isEmpty()) {
                    tickets.add(queue.take());
                }
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(tickets, Math.max(0, roundMaxRequests - tickets.size()));
            try {
                commit(tickets);
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "A placement round of %d requests failed", tickets.size());
                tickets.forEach(ticket -> ticket.outcome.completeExceptionally(e));
            }
        }
        carried.forEach(ticket -> ticket.outcome.complete(new Outcome.Busy("the service is stopping")));
    }

    private void commit(List<Ticket> tickets) {
        metrics.round(tickets.size());
        var round = new Round();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                tickets.forEach(ticket -> decideAndBook(ticket, round));
                write(round);
            });
        } catch (RuntimeException e) {
            // not committed, or not known to be: nothing this round booked or claimed is trusted
            LOG.warnf(e, "A placement round of %d requests did not commit; they go to the next round",
                    tickets.size());
            round.booked.forEach(booked -> index.forget(booked.hostId(), booked.ticket().request.workload()));
            round.claims.keySet().forEach(index::forget);
            round.answers.clear();
            round.carried.clear();
            round.carried.addAll(tickets);
        }
        if (round.rebuild) {
            sync.rebuild();
        }
        round.answers.forEach((ticket, outcome) -> ticket.outcome.complete(outcome));
        for (var ticket : round.carried) {
            metrics.retry();
            if (++ticket.rounds >= attempts) {
                ticket.outcome.complete(new Outcome.Busy("it went through " + attempts + " commit rounds unwritten"));
            } else {
                carried.add(ticket);
            }
        }
    }

    /** Decides the ticket's parent and books it in the view under its host's lock; or answers it, or carries it. */
    private void decideAndBook(Ticket ticket, Round round) {
        var request = ticket.request;
        for (var decisions = 0; decisions < DECISIONS_PER_ROUND; decisions++) {
            var started = System.nanoTime();
            var decision = index.decide(request, ticket.policy, ticket.replacement.avoided());
            metrics.decision(System.nanoTime() - started);
            if (decision instanceof PlacementDecision.Refused refused) {
                round.answers.put(ticket, new Outcome.Refused(refused.reason()));
                return;
            }
            var placed = (PlacementDecision.Placed) decision;
            var hostId = index.hostId(placed.host());
            var version = hostId == null ? null : claim(hostId, round);
            if (version == null) {
                round.carried.add(ticket);
                return;
            }
            var booking = index.tryBook(hostId, version, request, placed.parent());
            if (booking instanceof Booking.Booked target) {
                round.booked.add(new Booked(ticket, hostId, placed.host(), placed.parent(), new Pending(request,
                        ticket.policy.name(), target.parentId(), UUID.randomUUID(), ticket.replacement)));
                return;
            }
            if (booking instanceof Booking.Duplicate) {
                round.answers.put(ticket, new Outcome.Duplicate());
                return;
            }
            if (booking instanceof Booking.Stale || booking instanceof Booking.Gone) {
                // a sync reloaded the host from committed data, dropping this round's bookings there from the view:
                // the view is trusted again after the round commits and the host is reloaded
                round.rebuild |= booking instanceof Booking.Gone;
                round.carried.add(ticket);
                return;
            }
            // refused by the view of the host just reloaded: decide again
        }
        round.carried.add(ticket);
    }

    /**
     * The books version at which this round holds the host, locking it first if the round does not hold it yet;
     * null when another writer holds it (the request waits for the next round) or it is gone.
     */
    private Long claim(long hostId, Round round) {
        var held = round.claims.get(hostId);
        if (held != null) {
            return held;
        }
        var bumped = round.claims.isEmpty() ? books.lockAndBump(hostId) : books.lockAndBumpUnlessLocked(hostId);
        if (bumped.isEmpty()) {
            round.rebuild |= !books.exists(hostId);
            return null;
        }
        var version = bumped.getAsLong();
        round.claims.put(hostId, version);
        if (!index.claim(hostId, version)) {
            metrics.staleClaim();
            // stale: reload it under the lock; the round has booked nothing there yet, so it is exact at the version
            var loaded = books.load(List.of(hostId));
            if (loaded.isEmpty() || !index.refresh(loaded.get(0))) {
                round.rebuild = true;
                return null;
            }
        }
        return version;
    }

    /** Writes the round's bookings; a workload another replica placed meanwhile is taken back and answered. */
    private void write(Round round) {
        if (round.booked.isEmpty()) {
            return;
        }
        var written = inserts.insert(round.booked.stream().map(Booked::pending).toList());
        for (var booked : round.booked) {
            var request = booked.ticket().request;
            var times = written.get(request.workload());
            if (times == null) {
                index.unbook(booked.hostId(), request.workload());
                round.answers.put(booked.ticket(), new Outcome.Duplicate());
                continue;
            }
            round.answers.put(booked.ticket(), new Outcome.Placed(new PlacementView(request.workload(),
                    booked.host(), booked.parent(), request.type(), request.instances(),
                    booked.pending().uuid().toString(), PlacementState.PENDING.column(), request.priority(),
                    request.antiAffinityGroup(), new TreeMap<>(request.hostSelector()), booked.pending().policy(),
                    null, null, times.createdAt(), times.updatedAt())));
        }
    }
}

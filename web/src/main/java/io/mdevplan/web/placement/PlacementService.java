package io.mdevplan.web.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityNotFoundException;
import jakarta.persistence.LockModeType;

import org.hibernate.exception.ConstraintViolationException;

import io.mdevplan.planner.fleet.FleetValidator;
import io.mdevplan.planner.online.PlacementDecision;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.web.dispatch.HostActions;
import io.mdevplan.web.inventory.HostEntity;
import io.mdevplan.web.inventory.ParentEntity;
import io.mdevplan.web.placement.PlacementCommitter.Outcome;
import io.mdevplan.web.placement.PlacementIndex.ParentRef;
import io.mdevplan.web.policy.PolicyService;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.mdevplan.web.problem.SafeNames;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Online placement for schedulers: one request decided by this replica's in-memory index with the same hard rules
 * and policy formulas as the solver, and committed with the requests arriving with it ({@link PlacementCommitter});
 * a refusal is confirmed against a fresh sync, a repeated request answered with its placement. Also lists and
 * releases placements.
 */
@Singleton
public final class PlacementService {

    /** The partial unique index of V3: one live placement per workload. */
    static final String LIVE_WORKLOAD_UNIQUE = "placements_workload_live_unique";

    private final EntityManager em;
    private final PlacementIndex index;
    private final PlacementIndexSync sync;
    private final PlacementCommitter committer;
    private final HostBooks books;
    private final PolicyService policies;
    private final PlacementMetrics metrics;
    private final HostActions actions;

    PlacementService(EntityManager em, PlacementIndex index, PlacementIndexSync sync, PlacementCommitter committer,
            HostBooks books, PolicyService policies, PlacementMetrics metrics, HostActions actions) {
        this.em = em;
        this.index = index;
        this.sync = sync;
        this.committer = committer;
        this.books = books;
        this.policies = policies;
        this.metrics = metrics;
        this.actions = actions;
    }

    /** The answer to a POST: the placement, and whether this request made it (or found it made before). */
    public record Answer(PlacementView placement, boolean created) {
    }

    /** How placing a workload again after a failed create ended. */
    public sealed interface Again {

        /** Placed, pending, with its host's create action. */
        record Placed(PlacementView placement) implements Again {
        }

        /** Not placed, and why. */
        record NotPlaced(String why) implements Again {
        }
    }

    /**
     * Places one request: 201 with a new pending placement, the existing placement for the same request again, or a
     * problem (invalid request, nothing fits with the planner's reason, another request for the workload).
     */
    public Answer place(PlacementBody body) {
        var started = System.nanoTime();
        var outcome = "error";
        try {
            var answer = placeOnce(body);
            outcome = answer.created() ? "placed" : "existing";
            return answer;
        } catch (ProblemException e) {
            outcome = switch (e.type()) {
                case NO_CAPACITY -> "no-capacity";
                case CONFLICT -> "conflict";
                case BUSY -> "busy";
                default -> "invalid";
            };
            throw e;
        } finally {
            metrics.request(outcome, System.nanoTime() - started);
        }
    }

    private Answer placeOnce(PlacementBody body) {
        sync.ensureBuilt();
        try {
            validate(List.of(body), index.maxAggregationByType(), i -> "$");
        } catch (ProblemException e) {
            // a type this view does not offer may be on a host that registered since its last sync (at another
            // replica, or here a moment ago): refused only by a view no older than a refusal may be
            if (!sync.syncIfOlderThanRefusalAge()) {
                throw e;
            }
            validate(List.of(body), index.maxAggregationByType(), i -> "$");
        }
        var policy = policies.cached(body.policy());
        var request = body.toRequest();
        var confirmed = false;
        // at most one sync before a refusal and one stale booking dropped: three outcomes at most
        for (var asked = 0; asked < 3; asked++) {
            var outcome = committer.place(request, policy);
            if (outcome instanceof Outcome.Placed placed) {
                return new Answer(placed.placement(), true);
            }
            if (outcome instanceof Outcome.Busy busy) {
                throw busy(body, busy.why());
            }
            if (outcome instanceof Outcome.Refused refused) {
                if (!confirmed) {
                    confirmed = true;
                    if (sync.syncIfOlderThanRefusalAge()) {
                        continue;
                    }
                }
                // asked again for a workload placed when there was room: the answer is its placement
                var existing = livePlacement(body.workload());
                if (existing.isPresent()) {
                    return new Answer(sameOrConflict(existing.get(), body, policy.name()), false);
                }
                throw new ProblemException(ProblemType.NO_CAPACITY, "Nothing can take " + body.workload() + " ("
                        + body.type() + " x" + request.instances() + "): " + refused.reason(),
                        List.of(new ProblemItem("$.type", body.type(), refused.reason())));
            }
            var winner = livePlacement(body.workload());
            if (winner.isPresent()) {
                return new Answer(sameOrConflict(winner.get(), body, policy.name()), false);
            }
            // the view holds the workload, the database has no live placement of it: that booking is stale
            index.dropStale(body.workload());
        }
        throw busy(body, "its answers kept changing under it");
    }

    /**
     * Where the request would go now, or the planner's reason why nothing takes it, by this replica's view: the
     * decision a POST would make, booked nowhere. A refusal is confirmed against a sync no older than a refusal may
     * be, as a POST confirms it.
     */
    public Explanation explain(PlacementBody body) {
        sync.ensureBuilt();
        validate(List.of(body), index.maxAggregationByType(), i -> "$");
        var policy = policies.cached(body.policy());
        var request = body.toRequest();
        var decision = index.decide(request, policy, Set.of());
        if (decision instanceof PlacementDecision.Refused && sync.syncIfOlderThanRefusalAge()) {
            decision = index.decide(request, policy, Set.of());
        }
        var accepting = index.accepting(request);
        if (decision instanceof PlacementDecision.Placed placed) {
            return new Explanation(body.workload(), body.type(), request.instances(), policy.name(), "fits",
                    placed.host(), placed.parent(), null, accepting);
        }
        var reason = ((PlacementDecision.Refused) decision).reason();
        return new Explanation(body.workload(), body.type(), request.instances(), policy.name(), "refused", null,
                null, "Nothing can take " + body.workload() + " (" + body.type() + " x" + request.instances() + "): "
                        + reason, accepting);
    }

    /**
     * Places the workload of a failed create again, through the commit rounds as a request is placed, in place of the
     * failed placement and away from the parents its creates failed on. A refusal is confirmed against a fresh sync;
     * a workload its scheduler placed again meanwhile is left as it is.
     */
    public Again placeAgain(PlacementRequest request, String policyName, Replacement replacement) {
        sync.ensureBuilt();
        Policy policy;
        try {
            policy = policies.cached(policyName);
        } catch (ProblemException e) {
            return new Again.NotPlaced(e.getMessage());
        }
        var confirmed = false;
        for (var asked = 0; asked < 3; asked++) {
            var outcome = committer.place(request, policy, replacement);
            if (outcome instanceof Outcome.Placed placed) {
                return new Again.Placed(placed.placement());
            }
            if (outcome instanceof Outcome.Busy busy) {
                return new Again.NotPlaced("placing it did not commit: " + busy.why());
            }
            if (outcome instanceof Outcome.Refused refused) {
                if (!confirmed) {
                    confirmed = true;
                    if (sync.syncIfOlderThanRefusalAge()) {
                        continue;
                    }
                }
                return new Again.NotPlaced("no parent but " + replacement.avoided().stream().map(ParentRef::toString)
                        .sorted().collect(Collectors.joining(", ")) + ", where its creates failed, can take it: "
                        + refused.reason());
            }
            if (livePlacement(request.workload()).isPresent()) {
                return new Again.NotPlaced("it was placed again meanwhile");
            }
            // the view holds the workload, the database has no live placement of it: that booking is stale
            index.dropStale(request.workload());
        }
        return new Again.NotPlaced("its answers kept changing under it");
    }

    private ProblemException busy(PlacementBody body, String why) {
        return new ProblemException(ProblemType.BUSY, "Placing " + body.workload() + " did not commit: " + why
                + ". Other writers kept the chosen hosts locked or changed. Maybe retry, or raise"
                + " mdevplan.placement.attempts.");
    }

    private Optional<PlacementView> livePlacement(String workload) {
        return QuarkusTransaction.requiringNew().call(() -> live(workload).map(PlacementView::of));
    }

    /**
     * A new pending placement of the request on the parent, with a fresh device UUID, and its host's create action;
     * flushed, not committed.
     */
    PlacementEntity insert(PlacementRequest request, String policy, long parentId) {
        var placement = persistNew(request, policy, parentId, null, PlacementState.PENDING);
        em.flush();
        actions.create(List.of(placement.id));
        return placement;
    }

    /**
     * A new placement of the request on the parent, pending (the caller flushes, then writes the create actions of
     * every such placement at once: {@link HostActions#create}) or reserved (no device will be made), with a fresh
     * device UUID; persisted, not flushed. {@code scenarioId} names the scenario whose commit makes it, or is null.
     */
    public PlacementEntity persistNew(PlacementRequest request, String policy, long parentId, Long scenarioId,
            PlacementState state) {
        var placement = new PlacementEntity();
        placement.workload = request.workload();
        placement.typeId = request.type();
        placement.instances = request.instances();
        placement.priority = request.priority();
        placement.antiAffinityGroup = request.antiAffinityGroup();
        placement.hostSelector = new HashMap<>(request.hostSelector());
        placement.policy = policy;
        placement.parent = em.getReference(ParentEntity.class, parentId);
        placement.deviceUuid = UUID.randomUUID();
        placement.state = state;
        placement.scenarioId = scenarioId;
        placement.persist();
        return placement;
    }

    /**
     * Marks a live placement released and writes the remove of its device (or withdraws its create not handed out
     * yet), in the caller's transaction under its host's lock; the caller books the host and its index.
     */
    public void markReleased(PlacementEntity placement) {
        var was = placement.state;
        placement.state = PlacementState.RELEASED;
        em.flush();
        actions.released(placement.id, was);
    }

    /** The workload's live placement, or its latest one (released or failed), or 404. */
    public PlacementView get(String workload) {
        checkWorkload(workload);
        return QuarkusTransaction.requiringNew().call(() -> live(workload)
                .or(() -> latest(workload))
                .map(PlacementView::of)
                .orElseThrow(() -> notFound(workload)));
    }

    /** The placement made in place of the failed one, if any; in the caller's transaction. */
    public Optional<PlacementView> replacementOf(long failedId) {
        return em.createQuery("select p from PlacementEntity p left join fetch p.parent pa left join fetch pa.host"
                + " where p.replacementOf = :failed", PlacementEntity.class)
                .setParameter("failed", failedId)
                .getResultStream().findFirst().map(PlacementView::of);
    }

    /** Placements, oldest first: the live ones, or those in {@code state}; of one host when {@code host} is set. */
    public List<PlacementView> list(String host, String state) {
        var states = state == null ? PlacementState.LIVE : Set.of(parseState(state));
        return QuarkusTransaction.requiringNew().call(() -> {
            var jpql = new StringBuilder("select p from PlacementEntity p left join fetch p.parent pa"
                    + " left join fetch pa.host h where p.state in :states");
            if (host != null) {
                checkHost(host);
                jpql.append(" and h.name = :host");
            }
            var query = em.createQuery(jpql.append(" order by p.id").toString(), PlacementEntity.class)
                    .setParameter("states", states);
            if (host != null) {
                query.setParameter("host", host);
            }
            return query.getResultList().stream().map(PlacementView::of).toList();
        });
    }

    /**
     * Releases the workload's live placement: its capacity is free for the next request at once. A create its host
     * has not been handed yet is cancelled; a device the host may have created is to be removed (a remove action),
     * and holds its pools until the host reports it gone.
     */
    public PlacementView release(String workload) {
        checkWorkload(workload);
        sync.ensureBuilt();
        var view = QuarkusTransaction.requiringNew().call(() -> {
            var placement = live(workload).orElseThrow(() -> notFound(workload));
            var hostId = placement.parent == null ? null : placement.parent.host.id;
            var version = hostId == null ? 0 : books.lock(hostId).orElse(0);
            // under the host's lock (every writer of the host's books takes it first), the row is what it is. Read
            // afresh under the row's lock: locking the entity read above would check its version, and fail when a
            // hand-out moved it to applying meanwhile.
            try {
                em.refresh(placement, LockModeType.PESSIMISTIC_WRITE);
            } catch (EntityNotFoundException e) {
                // a fleet import deleted it
                throw notFound(workload);
            }
            if (!PlacementState.LIVE.contains(placement.state)) {
                throw notFound(workload);
            }
            markReleased(placement);
            if (hostId != null) {
                books.bump(hostId);
                index.release(hostId, version, workload);
            }
            return PlacementView.of(placement);
        });
        metrics.released();
        return view;
    }

    /**
     * Checks requests by the planner's rules for workloads, against the types the fleet offers; every problem comes
     * back at once, before anything is written.
     */
    static void validate(List<PlacementBody> bodies, Map<String, Integer> maxAggregationByType,
            IntFunction<String> pathOf) {
        var problems = new ArrayList<ProblemItem>();
        FleetValidator.validateRequests(bodies.stream().map(PlacementBody::toWorkload).toList(), maxAggregationByType,
                pathOf).forEach(problem -> problems.add(new ProblemItem(
                        // the body calls the workload's id "workload"
                        problem.path().endsWith(".id") ? problem.path().substring(0, problem.path().length() - 3)
                                + ".workload" : problem.path(), problem.value(), problem.message())));
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_PLACEMENT, "The placement request has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "; nothing was placed. Maybe fix "
                    + (problems.size() == 1 ? "it" : "them") + " as each message says.", problems);
        }
    }

    /** The placement when the body asks for exactly it again; otherwise 409 naming what differs. */
    static PlacementView sameOrConflict(PlacementView placement, PlacementBody body, String policy) {
        var differences = differences(placement, body, policy, "$");
        if (differences.isEmpty()) {
            return placement;
        }
        throw new ProblemException(ProblemType.CONFLICT, conflict(placement), differences);
    }

    /** Why the workload's placement is not what the body asks for; empty when it is exactly that. */
    static List<ProblemItem> differences(PlacementView placement, PlacementBody body, String policy, String path) {
        var differences = new ArrayList<ProblemItem>();
        var workload = body.toWorkload();
        differ(differences, path + ".type", body.type(), placement.type());
        differ(differences, path + ".instances", workload.instancesOrOne(), placement.instances());
        differ(differences, path + ".priority", workload.priorityOrDefault(), placement.priority());
        differ(differences, path + ".antiAffinityGroup", body.antiAffinityGroup(), placement.antiAffinityGroup());
        differ(differences, path + ".hostSelector", new TreeMap<>(body.hostSelector()), placement.hostSelector());
        differ(differences, path + ".policy", policy, placement.policy());
        return differences;
    }

    static String conflict(PlacementView placement) {
        return "Workload " + placement.workload() + " is placed already (" + placement.type() + " x"
                + placement.instances() + " on " + placement.host() + "/" + placement.parent() + ", "
                + placement.state() + ") and this request differs. Maybe DELETE /api/v1/placements/"
                + placement.workload() + " first, or use another workload id.";
    }

    private static void differ(List<ProblemItem> differences, String path, Object asked, Object placed) {
        if (!Objects.equals(asked, placed)) {
            differences.add(new ProblemItem(path, asked == null ? null : String.valueOf(asked),
                    "the placement has " + placed));
        }
    }

    /** The live placements of these workloads, by workload. */
    Map<String, PlacementView> live(List<String> workloads) {
        var live = new HashMap<String, PlacementView>();
        em.createQuery("select p from PlacementEntity p left join fetch p.parent pa left join fetch pa.host"
                + " where p.workload in :workloads and p.state in :live", PlacementEntity.class)
                .setParameter("workloads", workloads)
                .setParameter("live", PlacementState.LIVE)
                .getResultStream().forEach(placement -> live.put(placement.workload, PlacementView.of(placement)));
        return live;
    }

    private Optional<PlacementEntity> live(String workload) {
        return em.createQuery("select p from PlacementEntity p left join fetch p.parent pa left join fetch pa.host"
                + " where p.workload = :workload and p.state in :live", PlacementEntity.class)
                .setParameter("workload", workload)
                .setParameter("live", PlacementState.LIVE)
                .getResultStream().findFirst();
    }

    private Optional<PlacementEntity> latest(String workload) {
        return em.createQuery("select p from PlacementEntity p left join fetch p.parent pa left join fetch pa.host"
                + " where p.workload = :workload order by p.id desc", PlacementEntity.class)
                .setParameter("workload", workload)
                .setMaxResults(1)
                .getResultStream().findFirst();
    }

    static boolean violates(Throwable e, String constraint) {
        for (var cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation
                    && constraint.equals(violation.getConstraintName())) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException notFound(String workload) {
        return new ProblemException(ProblemType.NOT_FOUND, "Workload " + workload + " has no live placement. Maybe"
                + " it was released already, or never placed: GET /api/v1/placements lists the live ones.",
                List.of(new ProblemItem("{workload}", workload, "no live placement")));
    }

    private static void checkWorkload(String workload) {
        SafeNames.check("the workload id", "{workload}", workload);
    }

    private static void checkHost(String host) {
        SafeNames.check("the host name", "host", host);
        if (HostEntity.count("name", host) == 0) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No host is named " + host + ". Maybe GET /api/v1/hosts"
                    + " for the names.", List.of(new ProblemItem("host", host, "no such host")));
        }
    }

    private static PlacementState parseState(String state) {
        for (var known : PlacementState.values()) {
            if (known.column().equals(state)) {
                return known;
            }
        }
        throw new ProblemException(ProblemType.INVALID_PLACEMENT, "No placement state is called " + state
                + ". Maybe use one of: pending, applying, active, failed, released, reserved.",
                List.of(new ProblemItem("state", state, "unknown state")));
    }
}

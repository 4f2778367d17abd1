package io.mdevplan.web.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.hibernate.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.placement.HostBooks;
import io.mdevplan.web.placement.PlacementEntity;
import io.mdevplan.web.placement.PlacementIndex;
import io.mdevplan.web.placement.PlacementIndexSync;
import io.mdevplan.web.placement.PlacementService;
import io.mdevplan.web.placement.PlacementState;
import io.mdevplan.web.placement.PlacementView;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.mdevplan.web.problem.SafeNames;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Hands hosts their pending actions and stores what the hosts did, each in its own transaction. An action stays
 * pending until its result is stored, so one handed out and never answered is handed out again (the executor is
 * idempotent). Handing out a create moves its placement from pending to applying; its result makes the placement
 * active, or failed (its capacity freed, as a release frees it).
 *
 * <p>Locks are taken in the order every writer of a placement takes them: the host's row, the placement's, the
 * action's. Handing out takes only placements' rows, in id order.
 */
@Singleton
public final class DispatchService {

    static final String DONE = "done";
    static final String FAILED = "failed";
    private static final String PENDING = "pending";
    private static final String CANCELLED = "cancelled";
    private static final String CREATE = "create";

    private static final String PENDING_ACTIONS = "SELECT id, op, placement_id, device_uuid, parent_address, type_id,"
            + " instances, attrs::text FROM host_actions WHERE host_id = ? AND state = 'pending' ORDER BY id LIMIT ?";

    /** In id order, so that two hand-outs to one host never wait for each other's placements. */
    private static final String TO_APPLYING = "UPDATE placements SET state = 'applying', updated_at = now(),"
            + " version = version + 1 WHERE id IN (SELECT id FROM placements WHERE id = ANY(?) AND state = 'pending'"
            + " ORDER BY id FOR UPDATE)";

    private static final String STILL_PENDING = "SELECT id FROM host_actions WHERE id = ANY(?) AND state = 'pending'";

    private static final String HOSTS_WITH_PENDING = "SELECT DISTINCT host_id FROM host_actions"
            + " WHERE host_id = ANY(?) AND state = 'pending'";

    private static final String ACTION = "SELECT op, placement_id, device_uuid, state, result_errno, result_message,"
            + " updated_at FROM host_actions WHERE id = ? AND host_id = ?";

    private static final String STORE = "UPDATE host_actions SET state = ?, result_errno = ?, result_message = ?,"
            + " updated_at = now() WHERE id = ? RETURNING updated_at";

    private static final TypeReference<List<Map<String, String>>> ATTRS = new TypeReference<>() {
    };

    /** A stored action, as far as its result is concerned. */
    private record StoredAction(long id, String op, long placementId, String uuid, String state, String errno,
            String message, Instant updatedAt) {
    }

    /** A valid result: its status, and the error of a failed action. */
    private record Result(String status, ActionError error) {
    }

    /** What a result's transaction did: its answer, whether it stored the result now, and what is to follow. */
    private record Stored(ActionResultView view, boolean now, FailedCreates.Next next) {
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final HostBooks books;
    private final PlacementIndex index;
    private final PlacementIndexSync sync;
    private final PlacementService placements;
    private final FailedCreates failures;
    private final DispatchMetrics metrics;
    private final int maxActions;

    DispatchService(EntityManager em, ObjectMapper json, HostBooks books, PlacementIndex index,
            PlacementIndexSync sync, PlacementService placements, FailedCreates failures, DispatchMetrics metrics,
            MdevplanConfig config) {
        this.em = em;
        this.json = json;
        this.books = books;
        this.index = index;
        this.sync = sync;
        this.placements = placements;
        this.failures = failures;
        this.metrics = metrics;
        this.maxActions = config.dispatch().maxActions();
    }

    /** The host's id; 400 for an unsafe name, 404 for an unknown host. */
    public long hostId(String name) {
        SafeNames.check("the host name", "{name}", name);
        return QuarkusTransaction.requiringNew().call(() -> findHost(name))
                .orElseThrow(() -> unknownHost(name));
    }

    /**
     * The host's pending actions in order, at most {@code max-actions} and each device once; the creates' placements
     * move from pending to applying. A create cancelled meanwhile (its placement released under its row lock before
     * this took it) is left out.
     */
    public HostPlan handOut(long hostId, String name) {
        var plan = QuarkusTransaction.requiringNew().call(() -> new HostPlan(name,
                session().doReturningWork(connection -> handOut(connection, hostId))));
        metrics.handedOut(plan.actions().size());
        return plan;
    }

    private List<HostPlan.Action> handOut(Connection connection, long hostId) throws SQLException {
        var pending = onePerDevice(pending(connection, hostId));
        if (pending.isEmpty()) {
            return List.of();
        }
        var creates = new ArrayList<Long>();
        pending.forEach(action -> {
            if (CREATE.equals(action.op())) {
                creates.add(action.placementId());
            }
        });
        if (!creates.isEmpty()) {
            try (var statement = connection.prepareStatement(TO_APPLYING)) {
                statement.setArray(1, connection.createArrayOf("bigint", creates.toArray()));
                statement.executeUpdate();
            }
        }
        var still = ids(connection, STILL_PENDING,
                pending.stream().map(action -> Long.valueOf(action.action().id())).toList());
        return pending.stream().filter(action -> still.contains(Long.valueOf(action.action().id())))
                .map(PendingAction::action).toList();
    }

    /**
     * The actions up to the first one on a device an earlier one is on: the executor refuses a plan naming a device
     * twice, so a remove queued behind its unanswered create waits for the next plan.
     */
    private static List<PendingAction> onePerDevice(List<PendingAction> pending) {
        var devices = new HashSet<String>();
        var plan = new ArrayList<PendingAction>();
        for (var action : pending) {
            if (!devices.add(action.action().uuid())) {
                break;
            }
            plan.add(action);
        }
        return plan;
    }

    /** Of these hosts, those with pending actions. */
    public Set<Long> withPendingActions(Collection<Long> hostIds) {
        return QuarkusTransaction.requiringNew().call(() -> session().doReturningWork(connection ->
                ids(connection, HOSTS_WITH_PENDING, hostIds)));
    }

    /**
     * Stores the result of the host's action in one transaction and moves its placement on: a create done makes it
     * active, a create failed makes it failed (its capacity freed); a remove's result changes nothing more. The same
     * result again answers the stored one; another result for a finished action is a conflict. Once a failed create
     * is committed, its workload is placed again if its policy says so ({@link FailedCreates}).
     */
    public ActionResultView result(String name, String actionId, ActionResultBody body) {
        SafeNames.check("the host name", "{name}", name);
        var result = checked(body);
        var id = parseId(name, actionId);
        sync.ensureBuilt();
        var stored = QuarkusTransaction.requiringNew().call(() -> {
            var hostId = findHost(name).orElseThrow(() -> unknownHost(name));
            var found = action(id, hostId).orElseThrow(() -> unknownAction(name, actionId));
            var failsCreate = CREATE.equals(found.op()) && FAILED.equals(result.status());
            // a failed create frees capacity: the host's books change under its lock, taken first as every writer does
            var version = failsCreate ? books.lock(hostId).orElse(0) : 0;
            var placement = em.find(PlacementEntity.class, found.placementId(), LockModeType.PESSIMISTIC_WRITE);
            // under the placement's lock the action is what it is; a fleet import may have deleted both meanwhile
            var action = (placement == null ? Optional.<StoredAction>empty() : lockedAction(id, hostId))
                    .orElseThrow(() -> unknownAction(name, actionId));
            if (!PENDING.equals(action.state())) {
                return new Stored(repeated(name, action, result, placement), false, FailedCreates.Next.RELEASE);
            }
            var updatedAt = store(id, result);
            var next = FailedCreates.Next.RELEASE;
            if (CREATE.equals(action.op()) && (placement.state == PlacementState.PENDING
                    || placement.state == PlacementState.APPLYING)) {
                if (failsCreate) {
                    placement.state = PlacementState.FAILED;
                    placement.reason = reason(result.error());
                    next = failures.next(placement);
                    em.flush();
                    books.bump(hostId);
                    index.release(hostId, version, placement.workload);
                } else {
                    placement.state = PlacementState.ACTIVE;
                }
            }
            return new Stored(view(name, action, result.status(), result.error(), placement, null, updatedAt), true,
                    next);
        });
        if (!stored.now()) {
            return stored.view();
        }
        metrics.stored(stored.view().op(), stored.view().status());
        // after the commit: placing again takes the commit rounds' host locks, this transaction held one
        var followed = failures.follow(stored.next(), stored.view().placementReason());
        return stored.view().followedBy(followed.reason(), followed.replacement());
    }

    /** The answer to a result for an action that is not pending: the stored result when it is the same. */
    private ActionResultView repeated(String name, StoredAction action, Result result, PlacementEntity placement) {
        if (CANCELLED.equals(action.state())) {
            throw new ProblemException(ProblemType.CONFLICT, "Action " + action.id() + " of host " + name + " was"
                    + " cancelled: its placement (workload " + placement.workload + ") was released before the"
                    + " action was handed out. Maybe drop it; GET /api/v1/hosts/" + name + "/actions lists what is"
                    + " pending.", List.of(new ProblemItem("{id}", String.valueOf(action.id()), "cancelled")));
        }
        var stored = action.errno() == null && action.message() == null ? null
                : new ActionError(action.errno(), action.message());
        if (action.state().equals(result.status()) && Objects.equals(stored, result.error())) {
            var replacement = placement.state == PlacementState.FAILED && CREATE.equals(action.op())
                    ? placements.replacementOf(placement.id).orElse(null) : null;
            return view(name, action, action.state(), stored, placement, replacement, action.updatedAt());
        }
        var problems = new ArrayList<ProblemItem>();
        if (!action.state().equals(result.status())) {
            problems.add(new ProblemItem("$.status", result.status(), "the action is " + action.state()));
        }
        if (!Objects.equals(stored, result.error())) {
            problems.add(new ProblemItem("$.error", result.error() == null ? null : reason(result.error()),
                    "the stored error is " + (stored == null ? "none" : reason(stored))));
        }
        throw new ProblemException(ProblemType.CONFLICT, "Action " + action.id() + " of host " + name + " is "
                + action.state() + " already, with another result. Maybe post the stored result again, or GET"
                + " /api/v1/hosts/" + name + "/actions for the pending actions.", problems);
    }

    private static ActionResultView view(String name, StoredAction action, String status, ActionError error,
            PlacementEntity placement, PlacementView replacement, Instant updatedAt) {
        return new ActionResultView(String.valueOf(action.id()), name, action.op(), action.uuid(), status, error,
                placement.workload, placement.state.column(), placement.reason, replacement, updatedAt);
    }

    /** Why a create failed, as the placement keeps it: "errno: message", or the message alone without errno. */
    private static String reason(ActionError error) {
        return error.errno() == null ? error.message() : error.errno() + ": " + error.message();
    }

    private static Result checked(ActionResultBody body) {
        var problems = new ArrayList<ProblemItem>();
        var status = body.status();
        if (!DONE.equals(status) && !FAILED.equals(status)) {
            problems.add(new ProblemItem("$.status", status, "the status is done or failed. Maybe send \"done\""
                    + " when the host is as the action asks, \"failed\" with the error otherwise."));
        }
        var error = body.error();
        if (FAILED.equals(status) && (error == null || error.message() == null || error.message().isBlank())) {
            problems.add(new ProblemItem("$.error.message", error == null ? null : error.message(), "a failed"
                    + " action says why. Maybe send \"error\": {\"errno\": \"ENOSPC\", \"message\": \"...\"}."));
        }
        if (DONE.equals(status) && error != null) {
            problems.add(new ProblemItem("$.error", error.message(), "an action that is done has no error."
                    + " Maybe leave error out, or send status failed."));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The result has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "; nothing was stored. Maybe fix "
                    + (problems.size() == 1 ? "it" : "them") + " as each message says.", problems);
        }
        return new Result(status, error);
    }

    private static long parseId(String name, String actionId) {
        try {
            return Long.parseLong(actionId);
        } catch (NumberFormatException e) {
            throw unknownAction(name, actionId);
        }
    }

    private Optional<Long> findHost(String name) {
        return em.createQuery("select h.id from HostEntity h where h.name = :name", Long.class)
                .setParameter("name", name).getResultStream().findFirst();
    }

    /** A pending action as handed out, with the placement it is for. */
    private record PendingAction(HostPlan.Action action, long placementId) {

        String op() {
            return action.op();
        }
    }

    private List<PendingAction> pending(Connection connection, long hostId) throws SQLException {
        var pending = new ArrayList<PendingAction>();
        try (var statement = connection.prepareStatement(PENDING_ACTIONS)) {
            statement.setLong(1, hostId);
            statement.setInt(2, maxActions);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    var op = rows.getString(2);
                    var create = CREATE.equals(op);
                    pending.add(new PendingAction(new HostPlan.Action(String.valueOf(rows.getLong(1)), op,
                            rows.getString(4), create ? rows.getString(5) : null, create ? rows.getString(6) : null,
                            create ? rows.getInt(7) : null, create ? attrs(rows.getString(8)) : null),
                            rows.getLong(3)));
                }
            }
        }
        return pending;
    }

    private List<Map<String, String>> attrs(String stored) {
        try {
            return json.readValue(stored, ATTRS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored action attributes are not a list of one-key objects: " + stored,
                    e);
        }
    }

    private static Set<Long> ids(Connection connection, String sql, Collection<Long> ids) throws SQLException {
        var found = new HashSet<Long>();
        try (var statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getLong(1));
                }
            }
        }
        return found;
    }

    private Optional<StoredAction> action(long id, long hostId) {
        return session().doReturningWork(connection -> read(connection, ACTION, id, hostId));
    }

    /** The action under its row lock, taken after its placement's (see the class comment). */
    private Optional<StoredAction> lockedAction(long id, long hostId) {
        return session().doReturningWork(connection -> read(connection, ACTION + " FOR UPDATE", id, hostId));
    }

    private static Optional<StoredAction> read(Connection connection, String sql, long id, long hostId)
            throws SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            statement.setLong(2, hostId);
            try (var rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredAction(id, rows.getString(1), rows.getLong(2), rows.getString(3),
                        rows.getString(4), rows.getString(5), rows.getString(6),
                        rows.getTimestamp(7).toInstant()));
            }
        }
    }

    private Instant store(long id, Result result) {
        return session().doReturningWork(connection -> {
            try (var statement = connection.prepareStatement(STORE)) {
                statement.setString(1, result.status());
                statement.setString(2, result.error() == null ? null : result.error().errno());
                statement.setString(3, result.error() == null ? null : result.error().message());
                statement.setLong(4, id);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getTimestamp(1).toInstant();
                }
            }
        });
    }

    private Session session() {
        return em.unwrap(Session.class);
    }

    private static ProblemException unknownHost(String name) {
        return new ProblemException(ProblemType.NOT_FOUND, "No host is named " + name + ". Maybe GET /api/v1/hosts"
                + " for the names; a host appears once it PUTs its inventory.",
                List.of(new ProblemItem("{name}", name, "no such host")));
    }

    private static ProblemException unknownAction(String name, String actionId) {
        return new ProblemException(ProblemType.NOT_FOUND, "Host " + name + " has no action " + actionId + ". Maybe"
                + " use an id from GET /api/v1/hosts/" + name + "/actions, and post to the host that was given it.",
                List.of(new ProblemItem("{id}", actionId, "no such action of host " + name)));
    }
}

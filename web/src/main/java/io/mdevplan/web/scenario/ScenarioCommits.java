package io.mdevplan.web.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.SysfsNames;
import io.mdevplan.planner.online.FleetIndex;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.dispatch.HostActions;
import io.mdevplan.web.placement.HostBooks;
import io.mdevplan.web.placement.HostBooks.IndexedHost;
import io.mdevplan.web.placement.PlacementEntity;
import io.mdevplan.web.placement.PlacementIndexSync;
import io.mdevplan.web.placement.PlacementMetrics;
import io.mdevplan.web.placement.PlacementService;
import io.mdevplan.web.placement.PlacementState;
import io.mdevplan.web.placement.PlacementView;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.mdevplan.web.scenario.CommitPlan.Step;
import io.mdevplan.web.scenario.ScenarioStore.Locked;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Commits a done scenario's plan to the live fleet, in one transaction holding every host it touches (locked in id
 * order, as every writer of several hosts locks them), after checking that today's placements the plan moves or
 * removes are where the run found them and that every target parent can still take its workload by the books as they
 * are under those locks; otherwise 409 naming each step that no longer applies, and nothing is written.
 * <ul>
 * <li><b>dispatch</b>: moves and removes release the workload's placement (its create cancelled or a remove action
 * queued, as DELETE /api/v1/placements does); creates and moves' targets become pending placements with their
 * create actions, as the placement path writes them; the hosts the scenario drained or removed are cordoned.</li>
 * <li><b>reserve</b>: the targets become reserved placements: they hold their capacity for every placement path (the
 * index, batches, scenarios) until DELETE of the commit or its expiry deletes them. Nothing else changes.</li>
 * </ul>
 * Locks: the scenario's row, then hosts, then placements, as no other writer takes them in another order.
 */
@Singleton
public final class ScenarioCommits {

    private static final Logger LOG = Logger.getLogger(ScenarioCommits.class);

    /** The check index books a reservation under this key and the step's index: no workload id has a '/'. */
    private static final String RESERVATION_KEY = "reservation/";

    /** The rows of the workloads' live placements, locked in id order (as a hand-out locks them). */
    private static final String LOCK_LIVE = "SELECT id FROM placements WHERE workload = ANY(?)"
            + " AND state IN ('pending', 'applying', 'active') ORDER BY id FOR UPDATE";

    private static final String CORDON = "UPDATE hosts SET schedulable = false, version = version + 1"
            + " WHERE id = ANY(?) AND schedulable RETURNING name";

    private final EntityManager em;
    private final ScenarioStore store;
    private final PlacementService placements;
    private final HostBooks books;
    private final HostActions actions;
    private final PlacementIndexSync sync;
    private final PlacementMetrics metrics;
    private final ObjectMapper json;
    private final MdevplanConfig.Scenarios config;

    ScenarioCommits(EntityManager em, ScenarioStore store, PlacementService placements, HostBooks books,
            HostActions actions, PlacementIndexSync sync, PlacementMetrics metrics, ObjectMapper json,
            MdevplanConfig config) {
        this.em = em;
        this.store = store;
        this.placements = placements;
        this.books = books;
        this.actions = actions;
        this.sync = sync;
        this.metrics = metrics;
        this.json = json;
        this.config = config.scenarios();
    }

    /** Commits the scenario's plan as the body says; this replica's index takes the changed hosts in at once. */
    public CommitView commit(String idText, CommitBody body) {
        var id = ScenarioStore.id(idText);
        var dispatch = dispatch(body);
        var prefix = prefix(body, id);
        var ttlSeconds = ttlSeconds(body, dispatch);
        sync.ensureBuilt();
        var touched = new TreeSet<Long>();
        var view = QuarkusTransaction.requiringNew().call(() -> commit(id, dispatch, prefix, ttlSeconds, touched));
        sync.reload(touched);
        view.released().forEach(workload -> metrics.released());
        return view;
    }

    /** Ends a reserve commit's reservations: their capacity is free for every placement at once. */
    public CommitView release(String idText) {
        var id = ScenarioStore.id(idText);
        var touched = new TreeSet<Long>();
        var view = QuarkusTransaction.requiringNew().call(() -> {
            var scenario = store.lock(id).orElseThrow(() -> ScenarioStore.notFound(idText));
            if (scenario.commitMode() == null) {
                throw new ProblemException(ProblemType.CONFLICT, "Scenario " + id + "'s plan is not committed;"
                        + " there is nothing to release. Maybe POST /api/v1/scenarios/" + id + "/commit first.",
                        List.of(new ProblemItem("{id}", idText, "not committed")));
            }
            if (CommitBody.DISPATCH.equals(scenario.commitMode())) {
                throw new ProblemException(ProblemType.CONFLICT, "Scenario " + id + "'s plan was dispatched: its"
                        + " placements are their workloads' own now. Maybe release them one by one with DELETE"
                        + " /api/v1/placements/{workload}.", List.of(new ProblemItem("{id}", idText, "dispatched")));
            }
            return releaseHeld(scenario, touched);
        });
        sync.reload(touched);
        return view;
    }

    /** Ends the reservations of reserve commits past their expiry, on whichever replica gets there first. */
    @Scheduled(every = "${mdevplan.scenarios.poll-interval:1s}", delayed = "${mdevplan.scenarios.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireReservations() {
        try {
            for (var id : QuarkusTransaction.requiringNew().call(store::expiredReservations)) {
                var touched = new TreeSet<Long>();
                var released = QuarkusTransaction.requiringNew().call(() -> store.lock(id)
                        .filter(Locked::reservationHeld)
                        .map(scenario -> releaseHeld(scenario, touched).reservationsReleased()).orElse(0));
                sync.reload(touched);
                if (released > 0) {
                    LOG.infof("Scenario %d's reservations expired: %d released", id, released);
                }
            }
        } catch (RuntimeException e) {
            // a scheduled run that throws is tried again at the next interval
            LOG.warnf(e, "Cannot release expired reservations");
        }
    }

    private CommitView commit(long id, boolean dispatch, String prefix, Long ttlSeconds, SortedSet<Long> touched) {
        var scenario = store.lock(id).orElseThrow(() -> ScenarioStore.notFound(String.valueOf(id)));
        checkCommittable(scenario, dispatch);
        var plan = plan(scenario.commitPlan());
        var workloads = plan.steps().stream().filter(Step::touchesToday).map(Step::workload).toList();
        var hostNames = new HashSet<String>();
        plan.steps().stream().filter(Step::hasTarget).forEach(step -> hostNames.add(CommitPlan.host(step.to())));
        if (dispatch) {
            hostNames.addAll(plan.drained());
        }
        var hostIds = hostIds(hostNames);
        touched.addAll(hostIds.values());
        touched.addAll(hostsOf(workloads));
        if (scenario.reservationHeld()) {
            touched.addAll(reservationHosts(id));
        }
        // in id order, as every writer that locks more than one host does: no deadlock
        touched.forEach(books::lock);
        var today = lockedLivePlacements(workloads);

        var problems = new ArrayList<ProblemItem>();
        for (var step : plan.steps()) {
            if (step.touchesToday() && (dispatch || step.hasTarget())) {
                var why = changed(step, today.get(step.workload()));
                if (why != null) {
                    problems.add(new ProblemItem(path(step), step.workload(), why));
                }
            }
        }
        if (dispatch) {
            problems.addAll(namesTaken(plan, prefix));
        }
        if (!problems.isEmpty()) {
            throw changed(id, problems);
        }

        var reservationsReleased = scenario.reservationHeld() ? deleteReservations(id) : 0;
        var released = new ArrayList<String>();
        var skipped = new ArrayList<CommitView.Skipped>();
        if (dispatch) {
            for (var step : plan.steps()) {
                if (step.touchesToday()) {
                    placements.markReleased(today.get(step.workload()));
                    released.add(step.workload());
                } else if (step.workload() == null) {
                    skipped.add(new CommitView.Skipped(path(step), step.uuid(), "no workload owns device "
                            + step.uuid() + " on " + step.from() + ", so no placement releases it. Maybe remove it"
                            + " on its host (mdevctl stop and undefine), or leave it."));
                }
            }
        }
        em.flush();
        var placed = place(id, plan, dispatch, prefix, touched, problems);
        if (!problems.isEmpty()) {
            throw changed(id, problems);
        }
        var cordoned = dispatch ? cordon(plan.drained(), hostIds) : List.<String>of();
        touched.forEach(books::bump);
        var expiresAt = store.committed(id, dispatch ? CommitBody.DISPATCH : CommitBody.RESERVE, placed.size(),
                ttlSeconds);
        return new CommitView(String.valueOf(id), dispatch ? CommitBody.DISPATCH : CommitBody.RESERVE, placed,
                released, cordoned, reservationsReleased, expiresAt, null, skipped);
    }

    /**
     * Places (dispatch) or reserves each step's target, re-checked against the touched hosts' books as they are now
     * under their locks, with what this commit released already gone and what it placed already booked; a target that
     * no longer takes its workload is a problem. The placements are written together (one flush, the create actions
     * in one statement).
     */
    private List<PlacementView> place(long id, CommitPlan plan, boolean dispatch, String prefix, Set<Long> touched,
            List<ProblemItem> problems) {
        var loaded = books.load(touched);
        var check = FleetIndex.of(new FleetDocument(loaded.stream().map(IndexedHost::host).toList(),
                loaded.stream().flatMap(host -> host.owners().stream()).toList()));
        var parentIds = new HashMap<String, Map<String, Long>>();
        loaded.forEach(host -> parentIds.put(host.host().name(), host.parentIds()));
        var written = new ArrayList<PlacementEntity>();
        var targets = new ArrayList<Step>();
        for (var step : plan.steps()) {
            if (!step.hasTarget()) {
                continue;
            }
            var host = CommitPlan.host(step.to());
            var address = CommitPlan.address(step.to());
            var name = step.added() ? prefix + step.workload() : step.workload();
            var parents = parentIds.get(host);
            if (parents == null) {
                problems.add(new ProblemItem(path(step), step.to(), "host " + host + " does not exist (the scenario"
                        + " may have added it). Maybe register it first: PUT /api/v1/hosts/" + host + "/inventory."));
                continue;
            }
            var request = new PlacementRequest(dispatch ? name : RESERVATION_KEY + step.action(), step.type(),
                    step.instances(), step.priority(), step.antiAffinityGroup(), step.hostSelector());
            var why = check.whyNot(request, host, address);
            if (why.isPresent()) {
                problems.add(new ProblemItem(path(step), step.to(), "cannot take " + name + " (" + step.type()
                        + " x" + step.instances() + ") now: " + why.get()));
                continue;
            }
            check.book(request, host, address);
            var parentId = parents.get(address);
            written.add(placements.persistNew(new PlacementRequest(name, step.type(), step.instances(),
                    step.priority(), step.antiAffinityGroup(), step.hostSelector()), plan.policy(), parentId, id,
                    dispatch ? PlacementState.PENDING : PlacementState.RESERVED));
            targets.add(step);
        }
        if (!problems.isEmpty()) {
            return List.of();
        }
        em.flush();
        if (dispatch) {
            actions.create(written.stream().map(placement -> placement.id).toList());
        }
        var placed = new ArrayList<PlacementView>(written.size());
        for (var i = 0; i < written.size(); i++) {
            var to = targets.get(i).to();
            placed.add(PlacementView.of(written.get(i), CommitPlan.host(to), CommitPlan.address(to)));
        }
        return placed;
    }

    /** Deletes a held reserve commit's reservations under their hosts' locks. */
    private CommitView releaseHeld(Locked scenario, SortedSet<Long> touched) {
        if (!scenario.reservationHeld()) {
            // released before: the same answer again, nothing more to do
            return new CommitView(String.valueOf(scenario.id()), CommitBody.RESERVE, List.of(), List.of(),
                    List.of(), 0, null, null, List.of());
        }
        touched.addAll(reservationHosts(scenario.id()));
        touched.forEach(books::lock);
        var released = deleteReservations(scenario.id());
        touched.forEach(books::bump);
        var at = store.released(scenario.id());
        return new CommitView(String.valueOf(scenario.id()), CommitBody.RESERVE, List.of(), List.of(), List.of(),
                released, null, at, List.of());
    }

    /** Why today's placement is not what the run planned from, or null when it is. */
    private static String changed(Step step, PlacementEntity placement) {
        var workload = step.workload();
        if (placement == null) {
            return "workload " + workload + " has no live placement any more (released since the scenario ran)";
        }
        var at = placement.parent == null ? null : placement.parent.host.name + "/" + placement.parent.address;
        if (CommitPlan.CREATE.equals(step.op())) {
            return at == null ? null : "workload " + workload + " has a device on " + at + " now; the scenario gave"
                    + " it one because it had none";
        }
        var uuid = placement.deviceUuid == null ? null : placement.deviceUuid.toString();
        if (step.from().equals(at) && step.uuid().equalsIgnoreCase(String.valueOf(uuid))) {
            return null;
        }
        return "workload " + workload + " is on " + (at == null ? "no parent" : at) + " (device " + uuid + ") now;"
                + " the scenario found it on " + step.from() + " (device " + step.uuid() + ")";
    }

    /** The added workloads' names that have a live placement already. */
    private List<ProblemItem> namesTaken(CommitPlan plan, String prefix) {
        var names = new HashMap<String, Step>();
        plan.steps().stream().filter(step -> step.added() && step.hasTarget())
                .forEach(step -> names.put(prefix + step.workload(), step));
        if (names.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select p.workload from PlacementEntity p where p.workload in :names"
                + " and p.state in :live order by p.workload", String.class)
                .setParameter("names", names.keySet())
                .setParameter("live", PlacementState.LIVE)
                .getResultStream()
                .map(name -> new ProblemItem(path(names.get(name)), name, "workload " + name + " is placed already."
                        + " Maybe commit with another \"workloadPrefix\"."))
                .toList();
    }

    /** The hosts of these workloads' live placements, read without loading them, so that they are locked first. */
    private List<Long> hostsOf(List<String> workloads) {
        if (workloads.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select p.parent.host.id from PlacementEntity p where p.workload in :workloads"
                + " and p.state in :live and p.parent is not null", Long.class)
                .setParameter("workloads", workloads)
                .setParameter("live", PlacementState.LIVE)
                .getResultList();
    }

    /**
     * The live placements of these workloads, by workload, as they are under their row locks (taken in id order,
     * after their hosts' locks): a hand-out may have moved one to applying meanwhile, a release ended it.
     */
    private Map<String, PlacementEntity> lockedLivePlacements(List<String> workloads) {
        var live = new HashMap<String, PlacementEntity>();
        if (workloads.isEmpty()) {
            return live;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (var statement = connection.prepareStatement(LOCK_LIVE)) {
                statement.setArray(1, connection.createArrayOf("text", workloads.toArray()));
                statement.executeQuery().close();
            }
        });
        // loaded after the locks, for the first time in this transaction: as the rows are now
        em.createQuery("select p from PlacementEntity p left join fetch p.parent pa left join fetch pa.host"
                + " where p.workload in :workloads and p.state in :live", PlacementEntity.class)
                .setParameter("workloads", workloads)
                .setParameter("live", PlacementState.LIVE)
                .getResultStream().forEach(placement -> live.put(placement.workload, placement));
        return live;
    }

    private Map<String, Long> hostIds(Set<String> names) {
        var ids = new HashMap<String, Long>();
        if (!names.isEmpty()) {
            em.createQuery("select h.name, h.id from HostEntity h where h.name in :names", Object[].class)
                    .setParameter("names", names)
                    .getResultStream().forEach(row -> ids.put((String) row[0], (Long) row[1]));
        }
        return ids;
    }

    private List<Long> reservationHosts(long scenarioId) {
        return em.createQuery("select distinct pa.host.id from PlacementEntity p join p.parent pa"
                + " where p.scenarioId = :scenario and p.state = :reserved", Long.class)
                .setParameter("scenario", scenarioId)
                .setParameter("reserved", PlacementState.RESERVED)
                .getResultList();
    }

    private int deleteReservations(long scenarioId) {
        return em.createQuery("delete from PlacementEntity p where p.scenarioId = :scenario and p.state = :reserved")
                .setParameter("scenario", scenarioId)
                .setParameter("reserved", PlacementState.RESERVED)
                .executeUpdate();
    }

    /** Makes the drained and removed hosts that exist unschedulable; answers those it changed. */
    private List<String> cordon(List<String> drained, Map<String, Long> hostIds) {
        var ids = drained.stream().map(hostIds::get).filter(hostId -> hostId != null).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return em.unwrap(Session.class).doReturningWork(connection -> {
            var names = new ArrayList<String>();
            try (var statement = connection.prepareStatement(CORDON)) {
                statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
            }
            names.sort(null);
            return names;
        });
    }

    private void checkCommittable(Locked scenario, boolean dispatch) {
        var id = scenario.id();
        if (scenario.state() != ScenarioState.DONE) {
            throw new ProblemException(ProblemType.CONFLICT, "Scenario " + id + " is " + scenario.state().column()
                    + "; only a done scenario's plan can be committed. Maybe " + (scenario.state().isOver()
                            ? "post the scenario again." : "wait for it: GET /api/v1/scenarios/" + id + "/events."),
                    List.of(new ProblemItem("{id}", String.valueOf(id), scenario.state().column())));
        }
        if (!scenario.liveBase()) {
            throw new ProblemException(ProblemType.CONFLICT, "Scenario " + id + " plans on a fleet it embeds, not on"
                    + " the service's: its plan names that fleet's hosts. Maybe post it again with \"base\": \"live\".",
                    List.of(new ProblemItem("{id}", String.valueOf(id), "embedded base")));
        }
        if (CommitBody.DISPATCH.equals(scenario.commitMode())) {
            throw new ProblemException(ProblemType.CONFLICT, "Scenario " + id + "'s plan was dispatched already."
                    + " Maybe post the scenario again to plan on the fleet as it is now.",
                    List.of(new ProblemItem("{id}", String.valueOf(id), "dispatched")));
        }
        if (scenario.reservationHeld() && !dispatch) {
            throw new ProblemException(ProblemType.CONFLICT, "Scenario " + id + " reserves its plan's capacity"
                    + " already. Maybe DELETE /api/v1/scenarios/" + id + "/commit first, or commit with mode dispatch"
                    + " to turn the reservations into placements.", List.of(new ProblemItem("$.mode",
                            CommitBody.RESERVE, "reserved already")));
        }
    }

    private CommitPlan plan(String text) {
        try {
            return json.readValue(text, CommitPlan.class);
        } catch (IOException e) {
            throw new UncheckedIOException("A scenario's stored commit plan does not parse: " + e.getMessage()
                    + ". Maybe the row was edited by hand; post the scenario again.", e);
        }
    }

    private static ProblemException changed(long id, List<ProblemItem> problems) {
        return new ProblemException(ProblemType.CONFLICT, "The fleet changed since scenario " + id + " ran: "
                + problems.size() + (problems.size() == 1 ? " step of its plan no longer applies"
                        : " steps of its plan no longer apply") + "; nothing was committed. Maybe post the scenario"
                + " again to plan on the fleet as it is now.", problems);
    }

    private static String path(Step step) {
        return "$.result.plan.actions[" + step.action() + "]";
    }

    private static boolean dispatch(CommitBody body) {
        if (CommitBody.DISPATCH.equals(body.mode())) {
            return true;
        }
        if (CommitBody.RESERVE.equals(body.mode())) {
            return false;
        }
        throw new ProblemException(ProblemType.UNPROCESSABLE, (body.mode() == null ? "A commit needs a mode"
                : "The commit mode " + body.mode() + " is unknown") + ". Maybe send {\"mode\": \"dispatch\"}"
                + " (placements and host actions) or {\"mode\": \"reserve\"} (capacity held until released).",
                List.of(new ProblemItem("$.mode", body.mode(), "dispatch or reserve")));
    }

    private static String prefix(CommitBody body, long id) {
        if (body.workloadPrefix() == null) {
            return "s" + id + "-";
        }
        var unsafe = SysfsNames.whyUnsafe(body.workloadPrefix() + "new");
        if (body.workloadPrefix().isEmpty() || unsafe.isPresent()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The workload prefix " + body.workloadPrefix()
                    + " cannot begin a workload id. Maybe use letters, digits, '-', '_', '.' and ':' only, e.g."
                    + " \"q3-\".", List.of(new ProblemItem("$.workloadPrefix", body.workloadPrefix(),
                            unsafe.orElse("empty"))));
        }
        return body.workloadPrefix();
    }

    private Long ttlSeconds(CommitBody body, boolean dispatch) {
        var max = config.reservationMaxTtl().toSeconds();
        if (body.ttlSeconds() == null) {
            return dispatch ? null : config.reservationTtl().toSeconds();
        }
        if (dispatch) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "A dispatch does not expire: its placements are"
                    + " their workloads' own. Maybe leave ttlSeconds out, or commit with mode reserve.",
                    List.of(new ProblemItem("$.ttlSeconds", String.valueOf(body.ttlSeconds()), "reserve only")));
        }
        if (body.ttlSeconds() < 1 || body.ttlSeconds() > max) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The reservations' ttlSeconds "
                    + body.ttlSeconds() + " is out of range. Maybe use 1 to " + max
                    + " (mdevplan.scenarios.reservation-max-ttl).", List.of(new ProblemItem("$.ttlSeconds",
                            String.valueOf(body.ttlSeconds()), "between 1 and " + max)));
        }
        return body.ttlSeconds();
    }
}

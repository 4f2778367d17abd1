package io.mdevplan.web.placement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import io.mdevplan.planner.domain.PlacementPlan;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.online.FleetIndex;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.report.PlacementLine;
import io.mdevplan.planner.report.SolveReports;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.planner.solver.PlacementSolver;
import io.mdevplan.planner.solver.SolveOptions;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.placement.BatchAnswer.BatchResult;
import io.mdevplan.web.placement.HostBooks.IndexedHost;
import io.mdevplan.web.policy.PolicyService;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Many requests placed together by the solver (POST /api/v1/placements:batch): the fleet is read, the requests are
 * solved against it with the live placements pinned, and the plan is committed with every target host locked (in id
 * order) and every placement re-checked against those hosts' books as they are then. What other replicas took
 * meanwhile sends its requests to another round.
 */
@Singleton
public final class BatchPlacementService {

    /** Solve-and-commit rounds before requests still refused at commit come back unplaced (or the batch busy). */
    private static final int ROUNDS = 3;

    private final PlacementService placements;
    private final PlacementIndex index;
    private final PlacementIndexSync sync;
    private final HostBooks books;
    private final PolicyService policies;
    private final PlacementMetrics metrics;
    private final MdevplanConfig.Placement config;

    BatchPlacementService(PlacementService placements, PlacementIndex index,
            PlacementIndexSync sync, HostBooks books, PolicyService policies, PlacementMetrics metrics,
            MdevplanConfig config) {
        this.placements = placements;
        this.index = index;
        this.sync = sync;
        this.books = books;
        this.policies = policies;
        this.metrics = metrics;
        this.config = config.placement();
    }

    public BatchAnswer place(BatchBody body) {
        sync.ensureBuilt();
        var requests = checkedRequests(body);
        var all = checkedMode(body.mode());
        var timeLimit = checkedTimeLimit(body.timeLimitMillis());
        PlacementService.validate(requests, index.maxAggregationByType(), i -> "$.requests[" + i + "]");
        var policy = policies.policy(body.policy());
        checkPolicies(requests, body.policy());

        var results = new BatchResult[requests.size()];
        List<Integer> todo = new ArrayList<>();
        for (var i = 0; i < requests.size(); i++) {
            todo.add(i);
        }
        String score = null;
        var solveMillis = 0L;
        for (var round = 0; round < ROUNDS && !todo.isEmpty(); round++) {
            todo = withoutPlaced(requests, todo, results, policy.name(), all);
            if (todo.isEmpty()) {
                break;
            }
            var hosts = QuarkusTransaction.requiringNew().call(books::loadAll);
            var started = System.nanoTime();
            var solved = PlacementSolver.solve(problem(hosts, requests, todo), SolveOptions.defaults()
                    .withPolicy(policy).withTimeLimit(timeLimit));
            var millis = (System.nanoTime() - started) / 1_000_000;
            solveMillis += millis;
            var report = SolveReports.of(solved, policy.name(), millis);
            score = report.score();
            var planned = new HashMap<String, PlacementLine>();
            report.placements().forEach(line -> planned.put(line.workload(), line));
            var unplaced = new HashMap<String, String>();
            report.unplaced().forEach(line -> unplaced.put(line.workload(), line.reason()));
            if (all && todo.stream().anyMatch(i -> !planned.containsKey(requests.get(i).workload()))) {
                metrics.solverRun("none", System.nanoTime() - started);
                throw notAllFit(requests, todo, unplaced);
            }
            metrics.solverRun(todo.stream().allMatch(i -> planned.containsKey(requests.get(i).workload()))
                    ? "all" : "some", System.nanoTime() - started);
            var refused = new ArrayList<Integer>();
            for (var i : todo) {
                var reason = unplaced.get(requests.get(i).workload());
                if (reason != null) {
                    results[i] = new BatchResult(requests.get(i).workload(), BatchResult.UNPLACED, null, reason);
                }
            }
            var toCommit = todo.stream().filter(i -> planned.containsKey(requests.get(i).workload())).toList();
            todo = commit(requests, toCommit, planned, policy.name(), all, results, refused) ? refused : toCommit;
        }
        for (var i : todo) {
            if (all) {
                throw new ProblemException(ProblemType.BUSY, "The batch did not commit in " + ROUNDS + " rounds:"
                        + " other placements kept taking the planned parents. Maybe retry.");
            }
            results[i] = new BatchResult(requests.get(i).workload(), BatchResult.UNPLACED, null, "other placements"
                    + " took the planned capacity in each of " + ROUNDS + " rounds. Maybe retry the request.");
        }
        return answer(policy, all, score, solveMillis, results);
    }

    /**
     * Marks the requests whose workload is placed already (existing when asked exactly so, conflict otherwise) and
     * returns those left to place. With all, a conflict refuses the whole batch.
     */
    private List<Integer> withoutPlaced(List<PlacementBody> requests, List<Integer> todo, BatchResult[] results,
            String policy, boolean all) {
        var workloads = todo.stream().map(i -> requests.get(i).workload()).toList();
        var live = QuarkusTransaction.requiringNew().call(() -> placements.live(workloads));
        var left = new ArrayList<Integer>();
        var conflicts = new ArrayList<ProblemItem>();
        for (var i : todo) {
            var found = live.get(requests.get(i).workload());
            if (found == null) {
                left.add(i);
                continue;
            }
            var differences = PlacementService.differences(found, requests.get(i), policy, "$.requests[" + i + "]");
            if (differences.isEmpty()) {
                results[i] = new BatchResult(found.workload(), BatchResult.EXISTING, found, null);
            } else {
                results[i] = new BatchResult(found.workload(), BatchResult.CONFLICT, found,
                        PlacementService.conflict(found));
                conflicts.addAll(differences);
            }
        }
        if (all && !conflicts.isEmpty()) {
            throw new ProblemException(ProblemType.CONFLICT, conflicts.size() + " requests differ from their"
                    + " workloads' placements; nothing was placed. Maybe DELETE those placements first, or leave the"
                    + " requests out.", conflicts);
        }
        return left;
    }

    /** The fleet as read, its live placements pinned, and the requests to place. */
    private static PlacementPlan problem(List<IndexedHost> hosts,
            List<PlacementBody> requests, List<Integer> todo) {
        var fleetHosts = new ArrayList<FleetHost>(hosts.size());
        var workloads = new ArrayList<FleetWorkload>();
        for (var host : hosts) {
            fleetHosts.add(host.host());
            workloads.addAll(host.owners());
        }
        todo.forEach(i -> workloads.add(requests.get(i).toWorkload()));
        return PlacementPlans.fromFleet(new FleetDocument(fleetHosts, workloads), PlanningMode.PLACE);
    }

    /**
     * Commits the planned requests in one transaction holding every target host's lock, each re-checked against the
     * books as they are now. False when all was asked and something no longer fits (nothing is written then);
     * otherwise true, with the requests that no longer fit in {@code refused}.
     */
    private boolean commit(List<PlacementBody> requests, List<Integer> toCommit, Map<String, PlacementLine> planned,
            String policy, boolean all, BatchResult[] results, List<Integer> refused) {
        if (toCommit.isEmpty()) {
            return true;
        }
        var touched = new TreeSet<Long>();
        var written = new HashMap<Integer, PlacementView>();
        boolean committed;
        try {
            committed = QuarkusTransaction.requiringNew().call(() -> {
                var ids = new HashMap<String, Long>();
                for (var line : toCommit.stream().map(i -> planned.get(requests.get(i).workload())).toList()) {
                    var id = index.hostId(line.host());
                    if (id != null) {
                        ids.put(line.host(), id);
                        touched.add(id);
                    }
                }
                // in id order, as every writer that locks more than one host does: no deadlock
                touched.forEach(books::lock);
                var loaded = books.load(touched);
                var check = FleetIndex.of(new FleetDocument(loaded.stream().map(IndexedHost::host).toList(),
                        loaded.stream().flatMap(host -> host.owners().stream()).toList()));
                var parentIds = new HashMap<String, Map<String, Long>>();
                loaded.forEach(host -> parentIds.put(host.host().name(), host.parentIds()));
                for (var i : toCommit) {
                    var request = requests.get(i).toRequest();
                    var line = planned.get(request.workload());
                    var parents = parentIds.get(line.host());
                    var parentId = parents == null ? null : parents.get(line.parent());
                    if (parentId == null || check.whyNot(request, line.host(), line.parent()).isPresent()) {
                        if (all) {
                            throw new NoLongerFits();
                        }
                        refused.add(i);
                        continue;
                    }
                    check.book(request, line.host(), line.parent());
                    var placement = placements.insert(request, policy, parentId);
                    written.put(i, PlacementView.of(placement, line.host(), line.parent()));
                }
                touched.forEach(books::bump);
                return true;
            });
        } catch (NoLongerFits e) {
            committed = false;
        } catch (RuntimeException e) {
            if (PlacementService.violates(e, PlacementService.LIVE_WORKLOAD_UNIQUE)) {
                // another request placed one of these workloads meanwhile: the next round sorts them out
                refused.clear();
                refused.addAll(toCommit);
                return true;
            }
            throw e;
        }
        if (committed) {
            written.forEach((i, view) -> results[i] = new BatchResult(view.workload(), BatchResult.PLACED, view, null));
            sync.reload(touched);
        } else {
            refused.clear();
        }
        return committed;
    }

    /** Rolls back a batch of mode all: a planned placement no longer fits (QuarkusTransaction rolls back on it). */
    private static final class NoLongerFits extends RuntimeException {

        NoLongerFits() {
            super(null, null, false, false);
        }
    }

    private static ProblemException notAllFit(List<PlacementBody> requests, List<Integer> todo,
            Map<String, String> unplaced) {
        var problems = new ArrayList<ProblemItem>();
        for (var i : todo) {
            var reason = unplaced.get(requests.get(i).workload());
            if (reason != null) {
                problems.add(new ProblemItem("$.requests[" + i + "]", requests.get(i).workload(), reason));
            }
        }
        return new ProblemException(ProblemType.NO_CAPACITY, problems.size() + " of " + todo.size() + " requests do"
                + " not fit; with mode all nothing was placed. Maybe use mode as-many-as-fit, or free capacity as"
                + " each reason says.", problems);
    }

    private static BatchAnswer answer(Policy policy, boolean all, String score, long solveMillis,
            BatchResult[] results) {
        var counts = new HashMap<String, Integer>();
        for (var result : results) {
            counts.merge(result.outcome(), 1, Integer::sum);
        }
        return new BatchAnswer(policy.name(), all ? BatchBody.ALL : BatchBody.AS_MANY_AS_FIT,
                counts.getOrDefault(BatchResult.PLACED, 0), counts.getOrDefault(BatchResult.EXISTING, 0),
                counts.getOrDefault(BatchResult.UNPLACED, 0), counts.getOrDefault(BatchResult.CONFLICT, 0), score,
                solveMillis, List.of(results));
    }

    private List<PlacementBody> checkedRequests(BatchBody body) {
        if (body.requests() == null || body.requests().isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_PLACEMENT, "The batch has no requests. Maybe send"
                    + " {\"requests\": [{\"workload\": \"vm-1\", \"type\": \"mtty-1\"}]}.",
                    List.of(new ProblemItem("$.requests", null, "at least one request")));
        }
        if (body.requests().size() > config.batchMaxRequests()) {
            throw new ProblemException(ProblemType.INVALID_PLACEMENT, "The batch has " + body.requests().size()
                    + " requests, more than " + config.batchMaxRequests() + ". Maybe split it, or raise"
                    + " mdevplan.placement.batch-max-requests.", List.of(new ProblemItem("$.requests",
                            String.valueOf(body.requests().size()), "at most " + config.batchMaxRequests())));
        }
        return body.requests();
    }

    private static boolean checkedMode(String mode) {
        if (mode == null || BatchBody.AS_MANY_AS_FIT.equals(mode)) {
            return false;
        }
        if (BatchBody.ALL.equals(mode)) {
            return true;
        }
        throw new ProblemException(ProblemType.INVALID_PLACEMENT, "The batch mode " + mode + " is unknown. Maybe use "
                + BatchBody.AS_MANY_AS_FIT + " (the default) or " + BatchBody.ALL + ".",
                List.of(new ProblemItem("$.mode", mode, "unknown mode")));
    }

    private Duration checkedTimeLimit(Long millis) {
        if (millis == null) {
            return config.batchTimeLimit();
        }
        var max = config.batchMaxTimeLimit().toMillis();
        if (millis < 1 || millis > max) {
            throw new ProblemException(ProblemType.INVALID_PLACEMENT, "The time limit " + millis + " ms is out of"
                    + " range. Maybe use 1 to " + max + " ms.", List.of(new ProblemItem("$.timeLimitMillis",
                            String.valueOf(millis), "between 1 and " + max)));
        }
        return Duration.ofMillis(millis);
    }

    /** One solve, one policy: a request may name only the batch's own. */
    private static void checkPolicies(List<PlacementBody> requests, String batchPolicy) {
        var problems = new ArrayList<ProblemItem>();
        for (var i = 0; i < requests.size(); i++) {
            var named = requests.get(i).policy();
            if (named != null && !named.equals(batchPolicy)) {
                problems.add(new ProblemItem("$.requests[" + i + "].policy", named, "a batch is solved under one"
                        + " policy. Maybe leave it out and set the batch's \"policy\"."));
            }
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_PLACEMENT, problems.size() + " requests name their own"
                    + " policy; nothing was placed. Maybe set one policy for the batch.", problems);
        }
    }
}

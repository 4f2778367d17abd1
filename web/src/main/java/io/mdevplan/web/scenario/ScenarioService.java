package io.mdevplan.web.scenario;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.mdevplan.planner.whatif.InvalidScenarioException;
import io.mdevplan.planner.whatif.ScenarioDocument;
import io.mdevplan.planner.whatif.ScenarioJson;
import io.mdevplan.web.config.MdevplanConfig;
import io.mdevplan.web.http.QueryDurations;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemItem;
import io.mdevplan.web.problem.ProblemType;
import io.mdevplan.web.scenario.ScenarioStore.Figures;
import io.mdevplan.web.scenario.ScenarioStore.Snapshot;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What-if scenarios through the API: a posted scenario is checked against its base with the planner's rules before
 * it is queued; the queue's workers ({@link ScenarioWorkers}) solve it on any replica. Lists, shows, cancels and
 * compares them.
 */
@Singleton
public final class ScenarioService {

    private static final String SOURCE = "request body";

    /** The answer to a DELETE: the scenario, and whether its run was still to stop (asked, not done yet). */
    public record Cancelled(ScenarioView scenario, boolean stopping) {
    }

    private final ScenarioPreparer preparer;
    private final ScenarioQueue queue;
    private final ScenarioStore store;
    private final ScenarioWorkers workers;
    private final MdevplanConfig.Scenarios config;

    ScenarioService(ScenarioPreparer preparer, ScenarioQueue queue, ScenarioStore store, ScenarioWorkers workers,
            MdevplanConfig config) {
        this.preparer = preparer;
        this.queue = queue;
        this.store = store;
        this.workers = workers;
        this.config = config.scenarios();
    }

    /**
     * Queues the scenario once the planner accepts it against its base (the live fleet now, or the embedded one):
     * 400 for a body that is not a scenario document, 422 naming every problem by its JSON path.
     */
    public ScenarioView submit(byte[] body, String timeLimit) {
        var timeLimitMillis = timeLimitMillis(timeLimit);
        ScenarioDocument document;
        try {
            document = ScenarioJson.read(new ByteArrayInputStream(body), SOURCE);
        } catch (InvalidScenarioException e) {
            throw problems(ProblemType.INVALID_BODY, "The request body has", "", e);
        }
        try {
            preparer.prepare(document, SOURCE);
        } catch (InvalidScenarioException e) {
            throw problems(ProblemType.INVALID_SCENARIO, "The scenario has", "; nothing was queued", e);
        }
        var name = document.name() == null || document.name().isBlank() ? null : document.name();
        var queued = queue.enqueue(name, new String(body, StandardCharsets.UTF_8), document.base().isLive(),
                timeLimitMillis);
        workers.wake();
        return queued;
    }

    /** Every scenario, oldest first, without results. */
    public List<ScenarioView> list() {
        return QuarkusTransaction.requiringNew().call(store::list);
    }

    /** The scenario, with its result when done; 404 for an unknown id. */
    public ScenarioView get(String id) {
        return view(ScenarioStore.id(id));
    }

    /**
     * Cancels a queued scenario at once; asks the worker running one to stop (its replica sees it at its next
     * heartbeat, this one at once). A cancelled one answers as it is; a done or failed one is a conflict.
     */
    public Cancelled cancel(String idText) {
        var id = ScenarioStore.id(idText);
        var state = queue.cancel(id);
        if (state.isPresent()) {
            if (state.get() == ScenarioState.RUNNING) {
                workers.cancelHere(id);
            }
            return new Cancelled(view(id), state.get() == ScenarioState.RUNNING);
        }
        var scenario = view(id);
        if (ScenarioState.CANCELLED.column().equals(scenario.state())) {
            return new Cancelled(scenario, false);
        }
        throw new ProblemException(ProblemType.CONFLICT, "Scenario " + id + " is " + scenario.state() + " already;"
                + " there is no run to cancel. Maybe leave it: a scenario changes nothing until its plan is committed.",
                List.of(new ProblemItem("{id}", idText, scenario.state())));
    }

    /** Where the scenario stands, for its events; 404 for an unknown id. */
    public Snapshot snapshot(long id) {
        return QuarkusTransaction.requiringNew().call(() -> store.snapshot(id))
                .orElseThrow(() -> ScenarioStore.notFound(String.valueOf(id)));
    }

    /** The scenarios' key figures side by side, in the order asked; 404 for an unknown id, 422 for a bad list. */
    public Comparison compare(String idList) {
        var ids = compareIds(idList);
        var found = new LinkedHashMap<Long, Figures>();
        QuarkusTransaction.requiringNew().call(() -> store.figures(List.copyOf(ids)))
                .forEach(figures -> found.put(figures.id(), figures));
        var compared = new ArrayList<Comparison.Compared>();
        var rows = new LinkedHashMap<String, Comparison.HeadroomRow>();
        for (var id : ids) {
            var figures = found.get(id);
            if (figures == null) {
                throw ScenarioStore.notFound(String.valueOf(id));
            }
            compared.add(new Comparison.Compared(String.valueOf(id), figures.name(), figures.state().column(),
                    figures.policy(), figures.workloads(), figures.placed(), figures.unplaced(), figures.plan(),
                    figures.exhaustion(), figures.headroom()));
            if (figures.headroom() != null) {
                figures.headroom().forEach(headroom -> addHeadroom(rows, String.valueOf(id), headroom));
            }
        }
        return new Comparison(compared, List.copyOf(rows.values()));
    }

    private static void addHeadroom(Map<String, Comparison.HeadroomRow> rows, String id, JsonNode headroom) {
        var selector = new TreeMap<String, String>();
        headroom.path("hostSelector").fields().forEachRemaining(entry -> selector.put(entry.getKey(),
                entry.getValue().asText()));
        var type = headroom.path("type").asText();
        var instances = headroom.path("instances").asInt(1);
        var row = rows.computeIfAbsent(type + " x" + instances + " " + selector, key -> new Comparison.HeadroomRow(
                type, instances, selector, new LinkedHashMap<>(), new LinkedHashMap<>()));
        row.total().put(id, headroom.path("total").asLong());
        row.hosts().put(id, headroom.path("hosts").asInt());
    }

    private LinkedHashSet<Long> compareIds(String idList) {
        if (idList == null || idList.isBlank()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "No scenarios to compare. Maybe ask for"
                    + " ?ids=1,2 (ids as GET /api/v1/scenarios lists them).", List.of(new ProblemItem("ids", idList,
                            "at least one id")));
        }
        var ids = new LinkedHashSet<Long>();
        for (var part : idList.split(",")) {
            ids.add(ScenarioStore.id(part.strip()));
        }
        if (ids.size() > config.compareMax()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The comparison asks for " + ids.size()
                    + " scenarios, more than " + config.compareMax() + ". Maybe compare fewer at a time, or raise"
                    + " mdevplan.scenarios.compare-max.", List.of(new ProblemItem("ids", idList, "at most "
                            + config.compareMax() + " ids")));
        }
        return ids;
    }

    private ScenarioView view(long id) {
        return QuarkusTransaction.requiringNew().call(() -> store.get(id))
                .orElseThrow(() -> ScenarioStore.notFound(String.valueOf(id)));
    }

    private long timeLimitMillis(String timeLimit) {
        var max = config.maxTimeLimit().toMillis();
        if (timeLimit == null || timeLimit.isEmpty()) {
            return config.timeLimit().toMillis();
        }
        var millis = QueryDurations.millis(timeLimit);
        if (millis.isEmpty() || millis.getAsLong() < 1 || millis.getAsLong() > max) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The time limit " + timeLimit + " is not a duration"
                    + " from 1ms to " + max / 1000 + "s. Maybe use timeLimit=30s (a whole number of ms, s or m),"
                    + " at most mdevplan.scenarios.max-time-limit.", List.of(new ProblemItem("timeLimit", timeLimit,
                            "a duration from 1ms to " + max / 1000 + "s")));
        }
        return millis.getAsLong();
    }

    private static ProblemException problems(ProblemType type, String header, String what,
            InvalidScenarioException e) {
        var count = e.problems().size();
        return new ProblemException(type, header + " " + count + (count == 1 ? " problem" : " problems") + what
                + ". Maybe fix " + (count == 1 ? "it" : "them") + " as each message says.",
                e.problems().stream().map(ProblemItem::of).toList());
    }
}

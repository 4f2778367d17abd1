package io.mdevplan.planner.whatif;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.mdevplan.planner.report.PlanMetrics;
import io.mdevplan.planner.report.UnplacedLine;

/**
 * What a scenario comes to: what its changes did, how much of it is placed (and why the rest is not), how many more of
 * each headroom profile fit and what free capacity cannot take one, when growth runs out of room, what would have to
 * change on the hosts against today, and how full the fleet would be. See docs/whatif.md for how each figure is made.
 *
 * @param state {@link #DONE}: a run that is cancelled throws instead of answering
 * @param workloads the scenario's workloads: the fleet's, less those removed, plus those added
 * @param placed those of them with a device in the scenario
 * @param unplaced those without, each with the explainer's reason
 * @param metrics the plan's totals, and every pool name's use across the fleet
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhatIfResult(String name, String state, String policy, String mode, List<ChangeEffect> changes,
        int workloads, int placed, List<UnplacedLine> unplaced, List<ProfileCount> profiles, List<Headroom> headroom,
        List<Fragmentation> fragmentation, Exhaustion exhaustion, Plan plan, PlanMetrics metrics, Use use,
        Solve solve) {

    public static final String DONE = "done";

    /**
     * What one change did: {@code workloads} added, removed, or made to move (drain, removed hosts), and the hosts it
     * added, removed or drained.
     */
    public record ChangeEffect(String op, String summary, int workloads, List<String> hosts) {
    }

    /** The scenario's workloads of one type and size, placed or not. */
    public record ProfileCount(String type, int instances, int workloads, int placed, int unplaced) {
    }

    /** How many more workloads of the profile fit, exactly, and on how many hosts at least one does. */
    public record Headroom(String type, int instances, Map<String, String> hostSelector, long total, int hosts) {
    }

    /**
     * Free capacity that cannot take one more workload of the profile: of the {@code parents} that could take it (type
     * offered with enough aggregation, schedulable host, selector matched), {@code parentsWithoutRoom} cannot take even
     * one now (pools too short, or holding another type without mixing); per pool the profile's type draws on, the
     * free units on all those parents and on the ones without room.
     */
    public record Fragmentation(String type, int instances, Map<String, String> hostSelector, int parents,
            int parentsWithoutRoom, List<StrandedPool> pools) {
    }

    /** Free units of one pool name: on every parent that could take the profile, and stranded on those without room. */
    public record StrandedPool(String pool, long free, long stranded, double strandedShare) {
    }

    /**
     * The first month (1 = one month of growth from now) in which a grown workload no longer fits, and which profile's;
     * null when all fit for {@code horizonMonths}. {@code reason} says why it no longer fits, or that all did.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Exhaustion(Integer month, WorkloadProfile profile, String reason, int horizonMonths,
            List<GrowthLine> growth) {
    }

    /** One growth rate: how many of its profile fit after the scenario, and how many grown ones were placed. */
    public record GrowthLine(WorkloadProfile profile, int perMonth, long headroom, long placed) {
    }

    /**
     * The scenario against today, device by device: {@code creates} (a workload without a device today gets one),
     * {@code moves} (its device is on another parent), {@code removes} (a device of today is gone: its workload or
     * host removed, or its workload left unplaced), {@code keeps} (same parent, same device; not listed), and
     * {@code unmovable} (on a drained host, owned by no listed workload, so it stays).
     */
    public record Plan(int creates, int moves, int removes, int keeps, int unmovable, List<PlanAction> actions) {
    }

    /**
     * One change on the hosts: {@code action} is create, move, remove or unmovable; {@code from} and {@code to} are
     * parents as host/address; {@code uuid} is today's device.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlanAction(String action, String workload, String type, int instances, String uuid, String from,
            String to, String reason) {
    }

    /** Use per type, host and parent (per pool name: in {@link PlanMetrics#pools()}). */
    public record Use(List<TypeUse> types, List<HostUse> hosts, List<ParentUse> parents) {
    }

    /** Devices and instances of a type, and how many parents offer and hold it. */
    public record TypeUse(String type, int devices, long instances, int parentsOffering, int parentsHolding) {
    }

    /** A host's devices and, per pool name, what its parents use and have free. */
    public record HostUse(String host, boolean schedulable, int parents, int parentsInUse, int devices,
            Map<String, Long> used, Map<String, Long> free) {
    }

    /** A parent's devices, the types they are of, its pools' use and free units, and its fullest pool's share. */
    public record ParentUse(String host, String parent, int devices, List<String> types, Map<String, Long> used,
            Map<String, Long> free, double usedShare) {
    }

    /**
     * How the plan was made: whether local search ran (in place mode only when construction left workloads unplaced
     * that some parent offers; always in replan mode), on how many hosts, the score it reached there (in place mode
     * the hosts left out would only add constants to the soft score), and where the time went.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Solve(boolean localSearch, String score, int searchedHosts, long buildMillis, long constructionMillis,
            long localSearchMillis, long analysisMillis, long growthMillis, long totalMillis) {
    }
}

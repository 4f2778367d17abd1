package io.mdevplan.planner.whatif;

import static io.mdevplan.planner.testing.Fleets.device;
import static io.mdevplan.planner.testing.Fleets.fleet;
import static io.mdevplan.planner.testing.Fleets.host;
import static io.mdevplan.planner.testing.Fleets.mtty;
import static io.mdevplan.planner.testing.Fleets.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mdevplan.planner.bench.WhatIfBenchmark;
import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.report.PoolUse;
import io.mdevplan.planner.report.UnplacedLine;
import io.mdevplan.planner.whatif.ScenarioChange.AddHosts;
import io.mdevplan.planner.whatif.ScenarioChange.AddWorkloads;
import io.mdevplan.planner.whatif.ScenarioChange.DrainHosts;
import io.mdevplan.planner.whatif.ScenarioChange.RemoveHosts;
import io.mdevplan.planner.whatif.ScenarioChange.RemoveWorkloads;
import io.mdevplan.planner.whatif.ScenarioChange.SetPolicy;
import io.mdevplan.planner.whatif.WhatIfResult.PlanAction;
import org.junit.jupiter.api.Test;

/**
 * What-if figures on fleets small enough to work out by hand. Fleet A: three hosts with one mtty parent each (24
 * ports shared by mtty-1 at 1 port, mtty-2 at 2, and agg-4 at 3 per instance, up to 4 instances per device).
 * node-01 (zone a) holds vm-a (mtty-2), vm-b (mtty-1) and a device of the unlisted ext-1 (mtty-2): 5 ports used,
 * 19 free. node-02 (zone a) is empty: 24 free. node-03 (zone b) holds vm-c (mtty-2): 22 free.
 */
class WhatIfEngineTest {

    private static final Duration LIMIT = Duration.ofSeconds(2);
    private static final String EXT_DEVICE = "00000000-0000-4000-8000-000000000003";

    static FleetDocument fleetA() {
        return fleet(List.of(
                host("node-01", Map.of("zone", "a"), true, mtty("mtty", true, device(1, "mtty-2", 1, "vm-a"),
                        device(2, "mtty-1", 1, "vm-b"), device(3, "mtty-2", 1, "ext-1"))),
                host("node-02", Map.of("zone", "a"), true, mtty("mtty", true)),
                host("node-03", Map.of("zone", "b"), true, mtty("mtty", true, device(4, "mtty-2", 1, "vm-c")))),
                List.of(workload("vm-a", "mtty-2", 1), workload("vm-b", "mtty-1", 1), workload("vm-c", "mtty-2", 1)));
    }

    @Test
    void sharedPoolsGiveExactHeadroomFragmentationAndPlacements() {
        // Pack puts the 5 mtty-2 on node-01, the busy host of zone a: 10 more ports used there, 9 left.
        var result = run(fleetA(), List.of(new AddWorkloads(5, profile("mtty-2", 1, Map.of("zone", "a")))), List.of(),
                List.of(WorkloadProfile.of("mtty-1", 1), WorkloadProfile.of("mtty-2", 1),
                        WorkloadProfile.of("agg-4", 4)));

        assertThat(result.state()).isEqualTo("done");
        assertThat(result.workloads()).isEqualTo(8);
        assertThat(result.placed()).isEqualTo(8);
        assertThat(result.unplaced()).isEmpty();
        assertThat(result.profiles()).containsExactly(new WhatIfResult.ProfileCount("mtty-1", 1, 1, 1, 0),
                new WhatIfResult.ProfileCount("mtty-2", 1, 7, 7, 0));
        // Free ports 9, 24, 22: mtty-1 takes 1 each, mtty-2 2, agg-4 x4 12.
        assertThat(result.headroom()).extracting(WhatIfResult.Headroom::total).containsExactly(55L, 27L, 3L);
        assertThat(result.headroom()).extracting(WhatIfResult.Headroom::hosts).containsExactly(3, 3, 2);
        // agg-4 x4 needs 12 ports: node-01's 9 free ports take none; mtty-2 fits everywhere.
        var agg = result.fragmentation().get(2);
        assertThat(agg.parents()).isEqualTo(3);
        assertThat(agg.parentsWithoutRoom()).isEqualTo(1);
        assertThat(agg.pools()).containsExactly(new WhatIfResult.StrandedPool("ports", 55, 9, 0.1636));
        assertThat(result.fragmentation().get(1).pools()).containsExactly(new WhatIfResult.StrandedPool("ports", 55, 0,
                0.0));
        assertThat(result.plan().creates()).isEqualTo(5);
        assertThat(result.plan().keeps()).isEqualTo(3);
        assertThat(result.plan().moves()).isZero();
        assertThat(result.plan().actions()).allSatisfy(action -> {
            assertThat(action.action()).isEqualTo("create");
            assertThat(action.to()).isEqualTo("node-01/mtty");
            assertThat(action.reason()).isEqualTo("added by change 0");
        });
        assertThat(result.metrics().pools()).containsExactly(new PoolUse("ports", 17, 72, 0.2361));
        assertThat(result.use().parents()).extracting(WhatIfResult.ParentUse::devices).containsExactly(8, 0, 1);
        assertThat(result.use().parents().get(0).free()).containsExactly(Map.entry("ports", 9L));
        assertThat(result.use().types()).filteredOn(type -> type.type().equals("mtty-2")).singleElement()
                .isEqualTo(new WhatIfResult.TypeUse("mtty-2", 8, 8, 3, 2));
        assertThat(result.changes()).singleElement().satisfies(change -> {
            assertThat(change.op()).isEqualTo("addWorkloads");
            assertThat(change.summary()).contains("5 workloads of mtty-2 x1 zone=a", "new-0-1 to new-0-5");
        });
        assertThat(result.solve().localSearch()).isFalse();
    }

    @Test
    void aggregationOnGvtgPoolsLeavesTheThirdWorkloadUnplacedWithTheExplainersReason() {
        // Two GVTg_V5_8 x3 devices take 384 of 512 low_gm, 2,304 of 3,072 high_gm and 24 of 32 fences: 128, 768 and
        // 8 stay free, room for 2 more instances of V5_8 (64, 384, 4 each), not 3.
        var fleet = fleet(List.of(host("desk-01", gvtg())), List.of());
        var result = run(fleet, List.of(new AddWorkloads(3, WorkloadProfile.of("i915-GVTg_V5_8", 3))), List.of(),
                List.of(WorkloadProfile.of("i915-GVTg_V5_4", 1), WorkloadProfile.of("i915-GVTg_V5_8", 1),
                        WorkloadProfile.of("i915-GVTg_V5_8", 2), WorkloadProfile.of("i915-GVTg_V5_8", 3)));

        assertThat(result.placed()).isEqualTo(2);
        assertThat(result.unplaced()).singleElement().satisfies(unplaced -> {
            assertThat(unplaced.workload()).isEqualTo("new-0-3");
            assertThat(unplaced.reason()).contains("the most free is 2, on desk-01/0000:00:02.0",
                    "Maybe ask for at most 2 instances");
        });
        assertThat(result.profiles()).containsExactly(new WhatIfResult.ProfileCount("i915-GVTg_V5_8", 3, 3, 2, 1));
        // V5_4 (128, 512, 4): 1. V5_8 x1: 2 by every pool. x2: 1. x3: none.
        assertThat(result.headroom()).extracting(WhatIfResult.Headroom::total).containsExactly(1L, 2L, 1L, 0L);
        var stranded = result.fragmentation().get(3);
        assertThat(stranded.parentsWithoutRoom()).isEqualTo(1);
        assertThat(stranded.pools()).containsExactly(new WhatIfResult.StrandedPool("fence", 8, 8, 1.0),
                new WhatIfResult.StrandedPool("high_gm", 768, 768, 1.0),
                new WhatIfResult.StrandedPool("low_gm", 128, 128, 1.0));
        assertThat(result.fragmentation().get(0).parentsWithoutRoom()).isZero();
        assertThat(result.solve().localSearch()).isTrue();
        assertThat(result.solve().score()).startsWith("0hard/-3medium/");
    }

    @Test
    void exhaustionOfOneProfileFollowsFromItsHeadroom() {
        // mtty-2 in zone a: node-01 takes 9 (19 free ports), node-02 12: 21 in all.
        assertThat(exhaustion(fleetA(), growth("mtty-2", Map.of("zone", "a"), 4)).month()).isEqualTo(6);
        // 7 a month fill exactly 21 in 3 months: the 22nd, in month 4, is refused.
        assertThat(exhaustion(fleetA(), growth("mtty-2", Map.of("zone", "a"), 7)).month()).isEqualTo(4);
        assertThat(exhaustion(fleetA(), growth("mtty-2", Map.of("zone", "a"), 1)).month()).isEqualTo(22);
        var exhausted = exhaustion(fleetA(), growth("mtty-2", Map.of("zone", "a"), 4));
        assertThat(exhausted.profile()).isEqualTo(profile("mtty-2", null, Map.of("zone", "a")));
        assertThat(exhausted.reason()).contains("room for 21 more mtty-2 x1 zone=a", "month 6", "Maybe");
        assertThat(exhausted.growth()).singleElement().isEqualTo(new WhatIfResult.GrowthLine(
                profile("mtty-2", null, Map.of("zone", "a")), 4, 21, 21));
        // mtty-1 anywhere: 55 fit, 36 months of 1 a month do not reach them.
        var lasting = exhaustion(fleetA(), growth("mtty-1", Map.of(), 1));
        assertThat(lasting.month()).isNull();
        assertThat(lasting.profile()).isNull();
        assertThat(lasting.horizonMonths()).isEqualTo(36);
        assertThat(lasting.reason()).isEqualTo("all 36 grown workloads fit for 36 months");
        assertThat(exhaustion(fleetA()).reason()).isEqualTo("the scenario gives no growth");
    }

    @Test
    void growthOfSeveralProfilesIsPlacedMonthByMonthInTurns() {
        // Zone a runs out of mtty-2 room at the 22nd (month 6) as above; zone b's one mtty-1 a month is unaffected:
        // in month 6 mtty-2's 21st goes first, then mtty-1's 6th, then mtty-2's 22nd is refused.
        var exhausted = exhaustion(fleetA(), growth("mtty-2", Map.of("zone", "a"), 4),
                growth("mtty-1", Map.of("zone", "b"), 1));
        assertThat(exhausted.month()).isEqualTo(6);
        assertThat(exhausted.profile().type()).isEqualTo("mtty-2");
        assertThat(exhausted.reason()).contains("mtty-2 x1 zone=a: no schedulable parent on hosts with zone=a",
                "Maybe");
        assertThat(exhausted.growth()).extracting(WhatIfResult.GrowthLine::placed).containsExactly(21L, 6L);
        // Two profiles on one parent's 24 ports: 2 mtty-1 and 1 mtty-2 take 4 ports a month, 24 in 6 months; month
        // 7's first arrival, an mtty-1, finds none.
        var shared = exhaustion(fleet(List.of(host("node-01", mtty("mtty", true))), List.of()),
                growth("mtty-1", Map.of(), 2), growth("mtty-2", Map.of(), 1));
        assertThat(shared.month()).isEqualTo(7);
        assertThat(shared.profile().type()).isEqualTo("mtty-1");
        assertThat(shared.growth()).extracting(WhatIfResult.GrowthLine::placed).containsExactly(12L, 6L);
        // The same rate split over two entries is simulated, and agrees with the closed form for one entry.
        assertThat(exhaustion(fleetA(), growth("mtty-2", Map.of("zone", "a"), 2),
                growth("mtty-2", Map.of("zone", "a"), 2)).month()).isEqualTo(6);
    }

    @Test
    void growthInAnAntiAffinityGroupTakesOneHostEach() {
        // Three hosts, one of them already running the group: two more fit, the third (month 3) is refused.
        var fleet = fleet(List.of(host("node-01", mtty("mtty", true, device(1, "mtty-1", 1, "web-1"))),
                host("node-02", mtty("mtty", true)), host("node-03", mtty("mtty", true))),
                List.of(workload("web-1", "mtty-1", 1, 1, "web", Map.of())));
        var exhausted = exhaustion(fleet, new Growth(new WorkloadProfile("mtty-2", 1, null, null, "web"), 1));
        assertThat(exhausted.month()).isEqualTo(3);
        assertThat(exhausted.reason()).contains("already running group web");
    }

    @Test
    void drainedHostsWorkloadsMoveAndUnlistedDevicesStay() {
        var result = run(fleetA(), List.of(new DrainHosts(List.of("node-01"))), List.of(), List.of());

        // Pack moves both to node-03, the other busy host.
        assertThat(result.plan().moves()).isEqualTo(2);
        assertThat(result.plan().actions()).filteredOn(action -> action.action().equals("move"))
                .extracting(PlanAction::workload, PlanAction::from, PlanAction::to, PlanAction::reason)
                .containsExactlyInAnyOrder(
                        tuple("vm-a", "node-01/mtty", "node-03/mtty",
                                "host node-01 drained by change 0"),
                        tuple("vm-b", "node-01/mtty", "node-03/mtty",
                                "host node-01 drained by change 0"));
        assertThat(result.plan().unmovable()).isEqualTo(1);
        assertThat(result.plan().actions()).filteredOn(action -> action.action().equals("unmovable")).singleElement()
                .satisfies(action -> {
                    assertThat(action.uuid()).isEqualTo(EXT_DEVICE);
                    assertThat(action.workload()).isEqualTo("ext-1");
                });
        assertThat(result.plan().keeps()).isEqualTo(1);
        assertThat(result.plan().creates()).isZero();
        assertThat(result.use().hosts().get(0)).satisfies(node01 -> {
            assertThat(node01.schedulable()).isFalse();
            assertThat(node01.devices()).isEqualTo(1);
        });
        assertThat(result.changes()).singleElement().satisfies(change -> {
            assertThat(change.workloads()).isEqualTo(2);
            assertThat(change.hosts()).containsExactly("node-01");
            assertThat(change.summary()).contains("2 workloads move", "1 device that no listed workload owns stays");
        });
    }

    @Test
    void removedHostsWorkloadsFindANewHomeAndTheirOtherDevicesGo() {
        var result = run(fleetA(), List.of(new RemoveHosts(List.of("node-01"))), List.of(), List.of());

        assertThat(result.metrics().hosts()).isEqualTo(2);
        assertThat(result.placed()).isEqualTo(3);
        assertThat(result.plan().actions()).extracting(PlanAction::action, PlanAction::workload, PlanAction::to,
                PlanAction::reason).containsExactlyInAnyOrder(
                        tuple("move", "vm-a", "node-03/mtty",
                                "host node-01 removed by change 0"),
                        tuple("move", "vm-b", "node-03/mtty",
                                "host node-01 removed by change 0"),
                        tuple("remove", "ext-1", null, "host node-01 removed by change 0"));
        assertThat(result.plan().removes()).isEqualTo(1);
        assertThat(result.changes().get(0).summary()).contains("removed host node-01 with 3 devices",
                "2 workloads need a new home");
    }

    @Test
    void changesToOneHostComposeInOrder() {
        // Drained, then vm-b removed, then the host removed: vm-a moves because its host is gone, vm-b's device goes
        // with its workload, ext-1's with the host.
        var drainedFirst = run(fleetA(), List.of(new DrainHosts(List.of("node-01")),
                new RemoveWorkloads(selector("mtty-1", null, Map.of())), new RemoveHosts(List.of("node-01"))),
                List.of(), List.of());
        assertThat(drainedFirst.changes()).extracting(WhatIfResult.ChangeEffect::summary).containsExactly(
                "drained host node-01: 2 workloads move, 1 device that no listed workload owns stays",
                "removed 1 workload (1 with a device today)",
                "removed host node-01 with 3 devices; 0 workloads need a new home");
        assertThat(drainedFirst.plan().actions()).extracting(PlanAction::action, PlanAction::workload,
                PlanAction::reason).containsExactly(
                        tuple("move", "vm-a", "host node-01 removed by change 2"),
                        tuple("remove", "vm-b", "workload removed by change 1"),
                        tuple("remove", "ext-1", "host node-01 removed by change 2"));
        // Removed before the drain, vm-b's device is no longer one that stays.
        var removedFirst = run(fleetA(), List.of(new RemoveWorkloads(selector("mtty-1", null, Map.of())),
                new DrainHosts(List.of("node-01"))), List.of(), List.of());
        assertThat(removedFirst.changes().get(1).summary())
                .isEqualTo("drained host node-01: 1 workload moves, 1 device that no listed workload owns stays");
        assertThat(removedFirst.plan().actions()).extracting(PlanAction::action, PlanAction::workload)
                .containsExactly(tuple("move", "vm-a"), tuple("remove", "vm-b"), tuple("unmovable", "ext-1"));
        // Moved off the drained host, vm-a no longer matches by its host's labels.
        var byLabels = run(fleetA(), List.of(new DrainHosts(List.of("node-01")),
                new RemoveWorkloads(selector(null, null, Map.of("zone", "a")))), List.of(), List.of());
        assertThat(byLabels.changes().get(1).summary()).isEqualTo("removed 0 workloads (0 with a device today)");
    }

    @Test
    void addedHostsAreEmptySchedulableCopiesWithFreshNames() {
        var result = run(fleetA(), List.of(new AddHosts(2, "node-03", Map.of("zone", "c")),
                new AddWorkloads(3, profile("mtty-2", 1, Map.of("zone", "c")))), List.of(),
                List.of(profile("mtty-2", null, Map.of("zone", "c"))));

        assertThat(result.changes().get(0).hosts()).containsExactly("node-03-new-1", "node-03-new-2");
        // The copies have no devices: pack puts the three on the first, which keeps 18 ports, so 9 + 12 more fit.
        assertThat(result.plan().actions()).extracting(PlanAction::to).containsOnly("node-03-new-1/mtty");
        assertThat(result.headroom()).singleElement().satisfies(headroom -> {
            assertThat(headroom.total()).isEqualTo(21);
            assertThat(headroom.hosts()).isEqualTo(2);
        });
        assertThat(result.use().hosts()).extracting(WhatIfResult.HostUse::host).containsExactly("node-01", "node-02",
                "node-03", "node-03-new-1", "node-03-new-2");
        assertThat(result.use().hosts().get(4).free()).containsExactly(Map.entry("ports", 24L));
    }

    @Test
    void removeWorkloadsMatchesBySelectorInChangeOrder() {
        var byType = run(fleetA(), List.of(new RemoveWorkloads(selector("mtty-1", null, Map.of()))), List.of(),
                List.of());
        assertThat(byType.workloads()).isEqualTo(2);
        assertThat(byType.plan().actions()).singleElement().satisfies(action -> {
            assertThat(action.action()).isEqualTo("remove");
            assertThat(action.workload()).isEqualTo("vm-b");
            assertThat(action.reason()).isEqualTo("workload removed by change 0");
        });
        var byHost = run(fleetA(), List.of(new RemoveWorkloads(selector(null, null, Map.of("zone", "b")))), List.of(),
                List.of());
        assertThat(byHost.plan().actions()).extracting(PlanAction::workload).containsExactly("vm-c");
        // Added workloads are removed too when the removal comes after them.
        var both = run(fleetA(), List.of(new AddWorkloads(2, WorkloadProfile.of("mtty-2", 1)),
                new RemoveWorkloads(selector("mtty-2", null, Map.of()))), List.of(), List.of());
        assertThat(both.workloads()).isEqualTo(1);
        assertThat(both.plan().creates()).isZero();
        assertThat(both.plan().removes()).isEqualTo(2);
        assertThat(both.changes().get(1).summary()).isEqualTo("removed 4 workloads (2 with a device today)");
        var byPrefix = run(fleetA(), List.of(new RemoveWorkloads(selector(null, "vm-", Map.of()))), List.of(),
                List.of());
        assertThat(byPrefix.workloads()).isZero();
    }

    @Test
    void aSwitchedPolicyPlacesUnderItsOwnRules() {
        var changes = List.<ScenarioChange>of(new AddWorkloads(1, WorkloadProfile.of("mtty-1", 1)));
        var packed = run(fleetA(), changes, List.of(), List.of());
        assertThat(packed.policy()).isEqualTo("pack");
        assertThat(packed.plan().actions()).extracting(PlanAction::to).containsExactly("node-01/mtty");
        // Spread: the emptiest pool, node-02's.
        var spread = run(fleetA(), List.of(new SetPolicy("spread"), changes.get(0)), List.of(), List.of());
        assertThat(spread.policy()).isEqualTo("spread");
        assertThat(spread.plan().actions()).extracting(PlanAction::to).containsExactly("node-02/mtty");
        assertThat(spread.changes().get(0).summary()).isEqualTo("plans under spread");
    }

    @Test
    void replanMovesADeviceWhenThatPlacesMore() {
        // Two parents, each holding one agg-4 x1 (3 ports, 21 free): in place mode only one agg-4 x4 (12 ports) fits
        // on each, so the third stays out. Moving one small device next to the other frees a whole parent: all fit.
        var fleet = fleet(List.of(host("node-01", mtty("mtty", true, device(1, "agg-4", 1, "small-1"))),
                host("node-02", mtty("mtty", true, device(2, "agg-4", 1, "small-2")))),
                List.of(workload("small-1", "agg-4", 1), workload("small-2", "agg-4", 1)));
        var changes = List.<ScenarioChange>of(new AddWorkloads(3, WorkloadProfile.of("agg-4", 4)));
        assertThat(run(fleet, changes, List.of(), List.of()).placed()).isEqualTo(4);
        // Local search stops after a fifth of the limit without improving: 4 s here, plenty for five devices.
        var replanned = run(new ScenarioDocument(null, null, null, "replan", changes, List.of(), List.of()), fleet,
                Duration.ofSeconds(20));
        assertThat(replanned.mode()).isEqualTo("replan");
        assertThat(replanned.placed()).isEqualTo(5);
        assertThat(replanned.plan().moves()).isEqualTo(1);
    }

    static FleetParent gvtg() {
        return new FleetParent("0000:00:02.0", "i915", true, Map.of("low_gm", 512L, "high_gm", 3072L, "fence", 32L),
                List.of(new FleetType("i915-GVTg_V5_8", "GVTg_V5_8", "vfio-pci",
                        Map.of("low_gm", 64L, "high_gm", 384L, "fence", 4L), Aggregation.ATTRIBUTE, 8),
                        new FleetType("i915-GVTg_V5_4", "GVTg_V5_4", "vfio-pci",
                                Map.of("low_gm", 128L, "high_gm", 512L, "fence", 4L), Aggregation.NONE, null)),
                List.of());
    }

    static WorkloadProfile profile(String type, Integer instances, Map<String, String> selector) {
        return new WorkloadProfile(type, instances, null, selector, null);
    }

    static WorkloadSelector selector(String type, String idPrefix, Map<String, String> hostLabels) {
        return new WorkloadSelector(type, idPrefix, null, null, hostLabels);
    }

    static Growth growth(String type, Map<String, String> selector, int perMonth) {
        return new Growth(profile(type, null, selector), perMonth);
    }

    static WhatIfResult.Exhaustion exhaustion(FleetDocument fleet, Growth... growth) {
        return run(fleet, List.of(), List.of(growth), List.of()).exhaustion();
    }

    static WhatIfResult run(FleetDocument fleet, List<ScenarioChange> changes, List<Growth> growth,
            List<WorkloadProfile> headroom) {
        return run(new ScenarioDocument("test", null, null, null, changes, growth, headroom), fleet);
    }

    /**
     * Prepares and runs the scenario, and audits the plan: today's devices that stay, plus the plan's creates and
     * moves, must break no hard rule on the scenario's fleet; every unplaced workload's reason must say what to do.
     */
    static WhatIfResult run(ScenarioDocument scenario, FleetDocument fleet) {
        return run(scenario, fleet, LIMIT);
    }

    static WhatIfResult run(ScenarioDocument scenario, FleetDocument fleet, Duration timeLimit) {
        var prepared = WhatIfEngine.prepare(scenario, "test", fleet);
        var result = WhatIfEngine.run(prepared, timeLimit, WhatIfListener.NONE, WhatIfCancellation.none());
        assertThat(WhatIfBenchmark.audit(prepared, result)).isEmpty();
        assertThat(result.unplaced()).extracting(UnplacedLine::reason).allSatisfy(reason -> assertThat(reason)
                .contains("Maybe"));
        return result;
    }
}

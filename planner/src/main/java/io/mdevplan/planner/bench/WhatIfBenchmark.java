package io.mdevplan.planner.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.sun.management.OperatingSystemMXBean;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.placement.GreedyConstruction;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.planner.whatif.Growth;
import io.mdevplan.planner.whatif.PreparedScenario;
import io.mdevplan.planner.whatif.ScenarioBase;
import io.mdevplan.planner.whatif.ScenarioChange;
import io.mdevplan.planner.whatif.ScenarioDocument;
import io.mdevplan.planner.whatif.WhatIfCancellation;
import io.mdevplan.planner.whatif.WhatIfEngine;
import io.mdevplan.planner.whatif.WhatIfListener;
import io.mdevplan.planner.whatif.WhatIfResult;
import io.mdevplan.planner.whatif.WorkloadProfile;
import io.mdevplan.planner.whatif.WorkloadSelector;

/**
 * Ten what-if scenarios, one after the other, on a generated fleet as it would stand live: {@link FleetGenerator}'s
 * fleet with its workloads placed by the pack policy's greedy construction and written down as devices (the ones that
 * did not fit dropped), so that every listed workload owns a device, as in the service's export. Each scenario is timed
 * from {@link WhatIfEngine#prepare} to the end of {@link WhatIfEngine#run}, and its plan audited by {@link PlanAuditor}
 * (no code shared with the engine): today's devices that stay, plus every create and move, must break no hard rule on
 * the scenario's fleet. Scenario sizes scale with the fleet (the counts below are for 10,000 hosts).
 */
public final class WhatIfBenchmark {

    public static final double DEFAULT_FILL = 0.6;
    /** The target for the ten scenarios on 10,000 hosts. */
    public static final Duration TARGET = Duration.ofSeconds(60);
    private static final int REFERENCE_HOSTS = 10_000;
    private static final long MIB = 1024 * 1024;
    private static final OperatingSystemMXBean OPERATING_SYSTEM =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final List<WorkloadProfile> HEADROOM_PROFILES = List.of(WorkloadProfile.of("nvidia-46", 1),
            WorkloadProfile.of("nvidia-49", 1), WorkloadProfile.of("i915-GVTg_V5_4", 1), WorkloadProfile.of("mtty-2", 1),
            WorkloadProfile.of("idxd-dsa-1swq-v1", 2));

    /** The live fleet the scenarios start from, and what making it took. */
    public record Base(int hosts, int parents, int devices, int workloads, long setupMillis) {
    }

    /**
     * One scenario: its changes, the figures it came to and where its time went. {@code cpuMillis} is the CPU time
     * the whole process spent meanwhile: the engine's thread, and the JIT compiler and garbage collector beside it (on
     * two cores it can exceed the wall time; when other processes take the cores, the wall time grows instead).
     */
    public record ScenarioRun(String name, String changes, int workloads, int placed, int unplaced, int creates,
            int moves, int removes, long headroomNvidia46, Integer exhaustionMonth, String exhaustionProfile,
            long prepareMillis, WhatIfResult.Solve solve, long totalMillis, long cpuMillis, int violations) {
    }

    public record Result(long seed, double fill, long timeLimitMillis, Base base, List<ScenarioRun> scenarios,
            long totalMillis, long cpuMillis, double loadAverageBefore, double loadAverageAfter, long peakHeapMiB) {
    }

    public record Report(PlannerBenchmark.Machine machine, Result result) {
    }

    private WhatIfBenchmark() {
    }

    public static Result run(int hosts, long seed, double fill, Duration timeLimit) {
        var started = System.nanoTime();
        var live = liveFleet(hosts, seed, fill);
        var base = new Base(live.hosts().size(), (int) live.hosts().stream().mapToLong(host -> host.parents().size())
                .sum(), devices(live), live.workloads().size(), millis(started, System.nanoTime()));
        try (var heap = HeapMonitor.start()) {
            var runs = new ArrayList<ScenarioRun>();
            var loadBefore = OPERATING_SYSTEM.getSystemLoadAverage();
            var scenariosStarted = System.nanoTime();
            var cpuStarted = OPERATING_SYSTEM.getProcessCpuTime();
            for (var scenario : scenarios(live)) {
                runs.add(run(scenario, live, timeLimit));
            }
            var total = millis(scenariosStarted, System.nanoTime());
            var cpu = millis(cpuStarted, OPERATING_SYSTEM.getProcessCpuTime());
            return new Result(seed, fill, timeLimit.toMillis(), base, runs, total, cpu, loadBefore,
                    OPERATING_SYSTEM.getSystemLoadAverage(), heap.peak().peakUsedBytes() / MIB);
        }
    }

    private static ScenarioRun run(ScenarioDocument scenario, FleetDocument live, Duration timeLimit) {
        var cpuStarted = OPERATING_SYSTEM.getProcessCpuTime();
        var started = System.nanoTime();
        var prepared = WhatIfEngine.prepare(scenario, scenario.name(), live);
        var preparedAt = System.nanoTime();
        var result = WhatIfEngine.run(prepared, timeLimit, WhatIfListener.NONE, WhatIfCancellation.none());
        var ended = System.nanoTime();
        var changes = scenario.changes().stream().map(ScenarioChange::op).collect(Collectors.joining(", "));
        var exhaustion = result.exhaustion();
        return new ScenarioRun(scenario.name(), changes, result.workloads(), result.placed(), result.unplaced().size(),
                result.plan().creates(), result.plan().moves(), result.plan().removes(), result.headroom().get(0).total(),
                exhaustion.month(), exhaustion.profile() == null ? null : exhaustion.profile().label(),
                millis(started, preparedAt), result.solve(), millis(started, ended),
                millis(cpuStarted, OPERATING_SYSTEM.getProcessCpuTime()), audit(prepared, result).size());
    }

    /**
     * The fleet as it would stand live: the generator's workloads placed greedily under pack, each placed one owning a
     * device where it went, the others dropped. Device UUIDs come from the seed.
     */
    public static FleetDocument liveFleet(int hosts, long seed, double fill) {
        var generated = FleetGenerator.generate(hosts, seed, fill);
        var plan = PlacementPlans.fromFleet(generated, PlanningMode.PLACE);
        GreedyConstruction.construct(plan, PolicyCatalog.defaultPolicy());
        var newDevices = new HashMap<Integer, List<DeviceAllocation>>();
        var unplaced = new HashSet<String>();
        for (var allocation : plan.getAllocations()) {
            if (allocation.isNew() && allocation.getParent() != null) {
                newDevices.computeIfAbsent(allocation.getParent().getIndex(), index -> new ArrayList<>()).add(allocation);
            } else if (allocation.getParent() == null) {
                unplaced.add(allocation.getId());
            }
        }
        var uuids = new Uuids(generated, seed);
        var index = 0;
        var liveHosts = new ArrayList<FleetHost>(generated.hosts().size());
        for (var host : generated.hosts()) {
            var parents = new ArrayList<FleetParent>(host.parents().size());
            for (var parent : host.parents()) {
                var placed = newDevices.getOrDefault(index++, List.of());
                var devices = new ArrayList<>(parent.devices());
                placed.forEach(allocation -> devices.add(new FleetDevice(uuids.next(), allocation.getTypeId(),
                        allocation.getInstances() == 1 ? null : allocation.getInstances(), allocation.getId())));
                parents.add(new FleetParent(parent.address(), parent.driver(), parent.mixedTypes(), parent.pools(),
                        parent.types(), devices));
            }
            liveHosts.add(new FleetHost(host.name(), host.labels(), host.schedulable(), parents));
        }
        var workloads = generated.workloads().stream().filter(workload -> !unplaced.contains(workload.id())).toList();
        return new FleetDocument(liveHosts, workloads);
    }

    /** The ten scenarios, sized for the fleet. */
    public static List<ScenarioDocument> scenarios(FleetDocument live) {
        var hosts = live.hosts();
        var gpuModel = hosts.stream().filter(FleetHost::isSchedulable)
                .max((a, b) -> Integer.compare(nvidiaParents(a), nvidiaParents(b))).orElseThrow().name();
        var scale = hosts.size() / (double) REFERENCE_HOSTS;
        return List.of(
                // More than zone b's GPUs hold: construction leaves some out, and local search gets its turn.
                scenario("gpu-wave", null, List.of(add(scale, 3_000, new WorkloadProfile("nvidia-47", 1, 5,
                        Map.of("zone", "a"), null)), add(scale, 6_000, new WorkloadProfile("nvidia-49", 1, null,
                                Map.of("zone", "b"), null))), List.of(grow(scale, 100, new WorkloadProfile("nvidia-47",
                                        1, null, Map.of("zone", "a"), null)))),
                scenario("mixed-arrivals", null, List.of(add(scale, 2_000, WorkloadProfile.of("mtty-1", 1)),
                        add(scale, 1_000, WorkloadProfile.of("i915-GVTg_V5_4", 1)),
                        add(scale, 1_000, WorkloadProfile.of("idxd-dsa-1swq-v1", 2))),
                        List.of(grow(scale, 200, WorkloadProfile.of("mtty-1", 1)),
                                grow(scale, 50, WorkloadProfile.of("i915-GVTg_V5_4", 1)),
                                grow(scale, 50, WorkloadProfile.of("idxd-dsa-1swq-v1", 2)))),
                scenario("retire-nvidia-49", null, List.of(remove(new WorkloadSelector("nvidia-49", null, null, null,
                        null)), add(scale, 2_000, WorkloadProfile.of("nvidia-46", 1))),
                        List.of(grow(scale, 500, WorkloadProfile.of("nvidia-46", 1)))),
                scenario("more-gpu-hosts", null, List.of(new ScenarioChange.AddHosts(count(scale, 200), gpuModel, null),
                        add(scale, 5_000, WorkloadProfile.of("nvidia-48", 1))),
                        List.of(grow(scale, 300, WorkloadProfile.of("nvidia-48", 1)))),
                scenario("decommission", null, List.of(new ScenarioChange.RemoveHosts(names(hosts, 0,
                        count(scale, 100)))), List.of(grow(scale, 100, WorkloadProfile.of("nvidia-46", 1)),
                                grow(scale, 50, WorkloadProfile.of("mtty-2", 1)))),
                scenario("drain-racks", null, List.of(new ScenarioChange.DrainHosts(names(hosts, hosts.size() / 10,
                        count(scale, 200)))), List.of(grow(scale, 100, WorkloadProfile.of("idxd-dsa-1dwq-v1", 1)))),
                scenario("spread", null, List.of(new ScenarioChange.SetPolicy("spread"),
                        add(scale, 2_000, WorkloadProfile.of("nvidia-46", 1))),
                        List.of(grow(scale, 200, WorkloadProfile.of("nvidia-46", 1)))),
                scenario("one-type-per-parent", "one-type-per-parent", List.of(
                        add(scale, 1_000, WorkloadProfile.of("nvidia-46", 1)),
                        add(scale, 1_000, WorkloadProfile.of("nvidia-49", 1))),
                        List.of(grow(scale, 100, WorkloadProfile.of("nvidia-46", 1)),
                                grow(scale, 50, WorkloadProfile.of("nvidia-49", 1)))),
                scenario("anti-affinity", null, List.of(add(scale, 500, new WorkloadProfile("mtty-2", 1, null, null,
                        "web"))), List.of(grow(scale, 30, new WorkloadProfile("mtty-2", 1, null, null, "web")))),
                scenario("combined", null, List.of(
                        remove(new WorkloadSelector(null, "vm-001", null, null, null)),
                        new ScenarioChange.AddHosts(count(scale, 50), gpuModel, Map.of("zone", "d")),
                        new ScenarioChange.RemoveHosts(names(hosts, hosts.size() / 5, count(scale, 50))),
                        new ScenarioChange.DrainHosts(names(hosts, hosts.size() / 4, count(scale, 50))),
                        new ScenarioChange.SetPolicy("headroom"),
                        add(scale, 2_000, WorkloadProfile.of("nvidia-46", 1)),
                        add(scale, 500, WorkloadProfile.of("i915-GVTg_V5_8", 1))),
                        List.of(grow(scale, 100, WorkloadProfile.of("nvidia-46", 1)),
                                grow(scale, 50, WorkloadProfile.of("i915-GVTg_V5_8", 1)),
                                grow(scale, 50, WorkloadProfile.of("mtty-1", 1)))));
    }

    private static ScenarioDocument scenario(String name, String policy, List<ScenarioChange> changes,
            List<Growth> growth) {
        return new ScenarioDocument(name, ScenarioBase.live(), policy, null, changes, growth, HEADROOM_PROFILES);
    }

    private static ScenarioChange add(double scale, int count, WorkloadProfile profile) {
        return new ScenarioChange.AddWorkloads(count(scale, count), profile);
    }

    private static ScenarioChange remove(WorkloadSelector selector) {
        return new ScenarioChange.RemoveWorkloads(selector);
    }

    private static Growth grow(double scale, int perMonth, WorkloadProfile profile) {
        return new Growth(profile, count(scale, perMonth));
    }

    private static int count(double scale, int atReference) {
        return (int) Math.max(1, Math.round(atReference * scale));
    }

    private static List<String> names(List<FleetHost> hosts, int from, int count) {
        return hosts.subList(from, Math.min(hosts.size(), from + count)).stream().map(FleetHost::name).toList();
    }

    private static int nvidiaParents(FleetHost host) {
        return (int) host.parents().stream().filter(parent -> "nvidia".equals(parent.driver())).count();
    }

    /**
     * Every hard rule the scenario's plan breaks on its fleet: the devices it keeps where they are, and every create
     * and move, rebuilt from the result alone and checked by {@link PlanAuditor}.
     */
    public static List<PlanAuditor.Violation> audit(PreparedScenario scenario, WhatIfResult result) {
        var listed = new HashSet<String>();
        scenario.fleet().workloads().forEach(workload -> listed.add(workload.id()));
        var placements = new HashMap<String, PlanAuditor.Placement>();
        for (var host : scenario.fleet().hosts()) {
            for (var parent : host.parents()) {
                for (var device : parent.devices()) {
                    if (device.workload() != null && listed.contains(device.workload())) {
                        placements.put(device.workload(), new PlanAuditor.Placement(device.workload(), host.name(),
                                parent.address()));
                    }
                }
            }
        }
        for (var action : result.plan().actions()) {
            if (action.to() != null) {
                var slash = action.to().indexOf('/');
                placements.put(action.workload(), new PlanAuditor.Placement(action.workload(),
                        action.to().substring(0, slash), action.to().substring(slash + 1)));
            } else if (action.workload() != null && listed.contains(action.workload())) {
                placements.remove(action.workload());
            }
        }
        return PlanAuditor.audit(scenario.fleet(), List.copyOf(placements.values()));
    }

    /** The report as Markdown: the base fleet, then one row per scenario and the total. */
    public static String markdown(Report report) {
        var machine = report.machine();
        var result = report.result();
        var base = result.base();
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Machine: %d processors, %s, %s, max heap %d MiB, %s.%n%n",
                machine.processors(), machine.cpu(), machine.java(), machine.maxHeapMiB(), machine.os()));
        out.append(String.format(Locale.ROOT, "Base fleet (seed %d, fill %.2f, placed by pack): %,d hosts, %,d parents, "
                + "%,d devices, %,d workloads; made in %s (not counted). Time limit %s per scenario.%n%n", result.seed(),
                result.fill(), base.hosts(), base.parents(), base.devices(), base.workloads(),
                seconds(base.setupMillis()), seconds(result.timeLimitMillis())));
        out.append("| scenario | changes | workloads | placed | unplaced | creates | moves | removes | local search "
                + "| headroom nvidia-46 | exhaustion | prepare | build | construct | local search time | figures "
                + "| growth | total | CPU | audit |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (var run : result.scenarios()) {
            var solve = run.solve();
            out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %,d | %,d | %s | %,d | %s | %s "
                    + "| %s | %s | %s | %s | %s | %s | %s | %s |%n", run.name(), run.changes(), run.workloads(),
                    run.placed(), run.unplaced(), run.creates(), run.moves(), run.removes(), solve.localSearch()
                            ? String.format(Locale.ROOT, "%,d hosts", solve.searchedHosts()) : "no",
                    run.headroomNvidia46(), run.exhaustionMonth() == null
                            ? "none in " + WhatIfEngine.HORIZON_MONTHS + " months"
                            : "month " + run.exhaustionMonth() + " (" + run.exhaustionProfile() + ")",
                    seconds(run.prepareMillis()), seconds(solve.buildMillis()), seconds(solve.constructionMillis()),
                    seconds(solve.localSearchMillis()), seconds(solve.analysisMillis()), seconds(solve.growthMillis()),
                    seconds(run.totalMillis()), seconds(run.cpuMillis()),
                    run.violations() == 0 ? "clean" : run.violations() + " broken"));
        }
        out.append(String.format(Locale.ROOT, "%nTen scenarios in %s (target: under %d s), %s of CPU time; load average "
                + "%.2f before, %.2f after; peak heap %,d MiB.%n", seconds(result.totalMillis()), TARGET.toSeconds(),
                seconds(result.cpuMillis()), result.loadAverageBefore(), result.loadAverageAfter(),
                result.peakHeapMiB()));
        return out.toString();
    }

    private static int devices(FleetDocument fleet) {
        return fleet.hosts().stream().flatMap(host -> host.parents().stream())
                .mapToInt(parent -> parent.devices().size()).sum();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /** Version-4 UUIDs drawn from the seed, none of them one the fleet has. */
    private static final class Uuids {

        private final Random random;
        private final Set<UUID> taken = new HashSet<>();

        Uuids(FleetDocument fleet, long seed) {
            this.random = new Random(seed);
            for (var host : fleet.hosts()) {
                for (var parent : host.parents()) {
                    parent.devices().forEach(device -> taken.add(UUID.fromString(device.uuid())));
                }
            }
        }

        String next() {
            while (true) {
                var most = (random.nextLong() & ~0xF000L) | 0x4000L;
                var least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
                var uuid = new UUID(most, least);
                if (taken.add(uuid)) {
                    return uuid.toString();
                }
            }
        }
    }
}

package io.mdevplan.planner.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.planner.online.FleetIndex;
import io.mdevplan.planner.online.PlacementDecision;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.planner.policy.Policy;
import io.mdevplan.planner.policy.PolicyCatalog;

/**
 * How fast online placement decides, in process: a generated fleet with the same number of parents on every host goes
 * into a {@link FleetIndex}, and one thread asks it for one request after another ({@link RequestMix}), booking each
 * placed decision as a scheduler would, until the fleet is full ({@value #FULL_AFTER_REFUSALS} refusals in a row), the
 * request limit is reached or the time is up. Each {@code decide} is timed alone; refusals are timed apart, since they
 * also explain themselves. Optionally the fleet is first filled, untimed, with requests booked on random parents that
 * accept them, so that a large fleet can be measured near full. Afterwards {@link PlanAuditor}, which shares no code
 * with the index, checks every booking against the fleet document. The JIT is warmed up first on a separate, smaller
 * index.
 */
public final class OnlineBenchmark {

    /** Refusals in a row after which the fleet counts as full and the run stops. */
    public static final int FULL_AFTER_REFUSALS = 500;
    public static final String WORKLOAD_PREFIX = "ob-";
    public static final String PREFILL_PREFIX = "pre-";
    public static final int DEFAULT_REQUESTS = 100_000;
    /** With the default request limit: 1,000 hosts fill up well within it, 10,000 hosts run for it. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(25);
    /** A fill no prefill can reach: requests would mostly be skipped. */
    public static final double MAX_PREFILL = 0.99;
    private static final int WARMUP_HOSTS = 300;
    private static final int WARMUP_DECISIONS = 15_000;
    private static final Duration WARMUP_DURATION = Duration.ofSeconds(3);
    /** Random parents a prefill request tries before it is skipped, and skips in a row before the prefill gives up. */
    private static final int PREFILL_TRIES = 20;
    private static final int PREFILL_GIVE_UP = 10_000;
    private static final long WARMUP_SEED_OFFSET = 7_919;
    private static final int VIOLATION_SAMPLES = 5;
    private static final long MIB = 1024 * 1024;

    /** When a run stops: the most requests, the longest time, and the fill to reach untimed first (0 for none). */
    public record Limits(int requests, long durationMillis, double prefill) {

        public Limits {
            if (requests < 1) {
                throw new IllegalArgumentException("A request limit of " + requests + " measures nothing. "
                        + "Maybe use 100000.");
            }
            if (durationMillis < 1) {
                throw new IllegalArgumentException("A duration of " + durationMillis + " ms measures nothing. Maybe use "
                        + DEFAULT_DURATION.toSeconds() + "s.");
            }
            if (!(prefill >= 0 && prefill <= MAX_PREFILL)) {
                throw new IllegalArgumentException("A prefill of " + prefill + " is outside 0 to " + MAX_PREFILL
                        + ". Maybe use 0.9 to measure a nearly full fleet.");
            }
        }
    }

    /** Why a run stopped. */
    public enum Stop {
        /** {@value #FULL_AFTER_REFUSALS} refusals in a row. */
        FULL,
        REQUESTS,
        TIME
    }

    /** The JIT warm-up: decisions on a separate fleet of {@code hosts}, not counted anywhere else. */
    public record Warmup(int hosts, int decisions, long millis) {
    }

    /**
     * One policy on one fleet. Fill is the mean over parents of their fullest pool's share, before the measured requests
     * (after existing devices and the prefill) and after them. Latencies are in microseconds: every decision, the placed
     * and the refused ones apart, and booking a placed one. {@code decisionsPerSecond} counts the whole measured loop
     * (making the request, deciding, booking) on one thread; {@code indexHeapMiB} is what the built index keeps on the
     * heap. The audit covers the prefill's bookings too.
     */
    public record Run(String policy, long buildMillis, long indexHeapMiB, int prefilled, long prefillMillis,
            double fillBefore, double fillAfter, int decisions, int placed, int refused, long instancesPlaced, Stop stop,
            Latencies.Summary decide, Latencies.Summary decidePlaced, Latencies.Summary decideRefused,
            Latencies.Summary book, double decisionsPerSecond, long peakHeapMiB, int violations,
            List<String> violationSamples) {
    }

    /** One fleet size: the fleet and one run per policy, each on a freshly built index. */
    public record Result(int hosts, int parents, int parentsPerHost, int existingDevices, long seed, Limits limits,
            long generateMillis, List<Run> runs) {
    }

    public record Report(PlannerBenchmark.Machine machine, Warmup warmup, List<Result> results) {
    }

    private OnlineBenchmark() {
    }

    /** Decides on a small fleet until the JIT has compiled the decision path, for every policy to be measured. */
    public static Warmup warmUp(int parentsPerHost, long seed, List<Policy> policies) {
        var fleet = indexFleet(FleetGenerator.generate(WARMUP_HOSTS, seed + WARMUP_SEED_OFFSET, 0, parentsPerHost));
        var started = System.nanoTime();
        var deadline = started + WARMUP_DURATION.toNanos();
        var decisions = 0;
        var round = 0;
        while (decisions < WARMUP_DECISIONS && System.nanoTime() - deadline < 0) {
            var index = FleetIndex.of(fleet);
            var mix = RequestMix.of(fleet, seed + round, "warm-");
            var refusedInARow = 0;
            while (decisions < WARMUP_DECISIONS && refusedInARow < FULL_AFTER_REFUSALS
                    && System.nanoTime() - deadline < 0) {
                var request = mix.next();
                // Every policy in turn: a run of one would leave the others' code paths cold.
                var policy = policies.get(decisions++ % policies.size());
                if (index.decide(request, policy) instanceof PlacementDecision.Placed placed) {
                    index.book(request, placed.host(), placed.parent());
                    refusedInARow = 0;
                } else {
                    refusedInARow++;
                }
            }
            round++;
        }
        return new Warmup(WARMUP_HOSTS, decisions, (System.nanoTime() - started) / 1_000_000);
    }

    /** Generates the fleet and measures each policy on it, in the order given. */
    public static Result run(int hosts, int parentsPerHost, long seed, Limits limits, List<Policy> policies) {
        var started = System.nanoTime();
        var generated = FleetGenerator.generate(hosts, seed, 0, parentsPerHost);
        var generateMillis = (System.nanoTime() - started) / 1_000_000;
        var fleet = indexFleet(generated);
        var runs = new ArrayList<Run>();
        for (var policy : policies) {
            runs.add(run(fleet, seed, limits, policy));
        }
        var parents = fleet.hosts().stream().mapToInt(host -> host.parents().size()).sum();
        var devices = fleet.hosts().stream().flatMap(host -> host.parents().stream())
                .mapToInt(parent -> parent.devices().size()).sum();
        return new Result(hosts, parents, parentsPerHost, devices, seed, limits, generateMillis, List.copyOf(runs));
    }

    /** The policies measured by default: the default one (pack) first, then spread. */
    public static List<Policy> defaultPolicies() {
        return List.of(PolicyCatalog.defaultPolicy(), PolicyCatalog.byName("spread"));
    }

    /**
     * The fleet's hosts without its workloads: the devices that exist already hold their capacity whoever owns them, and
     * the only workloads are the benchmark's requests.
     */
    private static FleetDocument indexFleet(FleetDocument generated) {
        return new FleetDocument(generated.hosts(), List.of());
    }

    private static Run run(FleetDocument fleet, long seed, Limits limits, Policy policy) {
        var heapBefore = heapAfterGc();
        var buildStarted = System.nanoTime();
        var index = FleetIndex.of(fleet);
        var buildMillis = (System.nanoTime() - buildStarted) / 1_000_000;
        var indexHeap = Math.max(0, heapAfterGc() - heapBefore);

        var fill = new FleetFill(fleet);
        var booked = new Booked(fill);
        var prefillStarted = System.nanoTime();
        prefill(index, fleet, fill, seed, limits.prefill(), booked);
        var prefillMillis = (System.nanoTime() - prefillStarted) / 1_000_000;
        var prefilled = booked.placements.size();
        var fillBefore = fill.fill();

        var mix = RequestMix.of(fleet, seed, WORKLOAD_PREFIX);
        var placedLatencies = new Latencies();
        var refusedLatencies = new Latencies();
        var bookLatencies = new Latencies();
        var instancesPlaced = 0L;
        var refusedInARow = 0;
        var decisions = 0;
        Stop stop;
        long loopNanos;
        long peakHeap;
        try (var heap = HeapMonitor.start()) {
            var loopStarted = System.nanoTime();
            var deadline = loopStarted + limits.durationMillis() * 1_000_000;
            while (true) {
                if (refusedInARow >= FULL_AFTER_REFUSALS) {
                    stop = Stop.FULL;
                    break;
                }
                if (decisions >= limits.requests()) {
                    stop = Stop.REQUESTS;
                    break;
                }
                var request = mix.next();
                var before = System.nanoTime();
                if (before - deadline >= 0) {
                    stop = Stop.TIME;
                    break;
                }
                var decision = index.decide(request, policy);
                var decided = System.nanoTime();
                decisions++;
                if (decision instanceof PlacementDecision.Placed placed) {
                    placedLatencies.add(decided - before);
                    index.book(request, placed.host(), placed.parent());
                    bookLatencies.add(System.nanoTime() - decided);
                    booked.add(request, placed.host(), placed.parent());
                    instancesPlaced += request.instances();
                    refusedInARow = 0;
                } else {
                    refusedLatencies.add(decided - before);
                    refusedInARow++;
                }
            }
            loopNanos = System.nanoTime() - loopStarted;
            peakHeap = heap.peak().peakUsedBytes() / MIB;
        }
        var violations = PlanAuditor.audit(new FleetDocument(fleet.hosts(), booked.workloads), booked.placements);
        var all = new Latencies();
        all.addAll(placedLatencies);
        all.addAll(refusedLatencies);
        return new Run(policy.name(), buildMillis, indexHeap / MIB, prefilled, prefillMillis, fillBefore, fill.fill(),
                decisions, placedLatencies.count(), refusedLatencies.count(), instancesPlaced, stop,
                all.summary(TimeUnit.MICROSECONDS), placedLatencies.summary(TimeUnit.MICROSECONDS),
                refusedLatencies.summary(TimeUnit.MICROSECONDS), bookLatencies.summary(TimeUnit.MICROSECONDS),
                loopNanos == 0 ? 0 : decisions * 1e9 / loopNanos, peakHeap, violations.size(),
                violations.stream().limit(VIOLATION_SAMPLES).map(Object::toString).toList());
    }

    /**
     * Fills the fleet to {@code target}, untimed and without a policy: each request is booked on the first of up to
     * {@value #PREFILL_TRIES} random parents offering its type that the index accepts it on, or skipped. Gives up when
     * {@value #PREFILL_GIVE_UP} requests in a row are skipped.
     */
    private static void prefill(FleetIndex index, FleetDocument fleet, FleetFill fill, long seed, double target,
            Booked booked) {
        if (fill.fill() >= target) {
            return;
        }
        var random = new Random(seed + WARMUP_SEED_OFFSET);
        var mix = RequestMix.of(fleet, seed + 1, PREFILL_PREFIX);
        var skippedInARow = 0;
        while (fill.fill() < target && skippedInARow < PREFILL_GIVE_UP) {
            var request = mix.next();
            var offering = fill.offering(request.type());
            FleetFill.Slot chosen = null;
            for (var t = 0; t < PREFILL_TRIES && chosen == null && !offering.isEmpty(); t++) {
                var slot = offering.get(random.nextInt(offering.size()));
                if (index.whyNot(request, slot.host().name(), slot.parent().address()).isEmpty()) {
                    chosen = slot;
                }
            }
            if (chosen == null) {
                skippedInARow++;
                continue;
            }
            skippedInARow = 0;
            index.book(request, chosen.host().name(), chosen.parent().address());
            booked.add(request, chosen.host().name(), chosen.parent().address());
        }
    }

    /** Every booking of a run, as the auditor wants them, counted into the fill as it goes. */
    private static final class Booked {

        private final FleetFill fill;
        private final List<FleetWorkload> workloads = new ArrayList<>();
        private final List<PlanAuditor.Placement> placements = new ArrayList<>();

        Booked(FleetFill fill) {
            this.fill = fill;
        }

        void add(PlacementRequest request, String host, String parent) {
            workloads.add(workload(request));
            placements.add(new PlanAuditor.Placement(request.workload(), host, parent));
            fill.add(host, parent, request.type(), request.instances());
        }
    }

    private static FleetWorkload workload(PlacementRequest request) {
        return new FleetWorkload(request.workload(), request.type(), request.instances(), request.priority(),
                request.antiAffinityGroup(), request.hostSelector());
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The report as Markdown: one row per fleet size and policy. */
    public static String markdown(Report report) {
        var machine = report.machine();
        var warmup = report.warmup();
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Machine: %d processors, %s, %s, max heap %d MiB, %s. JIT warm-up: %,d "
                + "decisions on %,d hosts in %.2f s, not counted.%n%n", machine.processors(), machine.cpu(),
                machine.java(), machine.maxHeapMiB(), machine.os(), warmup.decisions(), warmup.hosts(),
                warmup.millis() / 1000.0));
        out.append("| hosts | parents | policy | index build | index heap | prefilled | fill before | decisions "
                + "| placed | refused | stopped by | fill after | decisions/s | peak heap | audit |\n");
        out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|\n");
        for (var result : report.results()) {
            for (var run : result.runs()) {
                out.append(String.format(Locale.ROOT, "| %,d | %,d | %s | %.2f s | %,d MiB | %,d | %.0f%% | %,d | %,d "
                        + "| %,d | %s | %.0f%% | %,.0f | %,d MiB | %s |%n", result.hosts(), result.parents(),
                        run.policy(), run.buildMillis() / 1000.0, run.indexHeapMiB(), run.prefilled(),
                        run.fillBefore() * 100, run.decisions(), run.placed(), run.refused(), stop(run, result.limits()),
                        run.fillAfter() * 100, run.decisionsPerSecond(), run.peakHeapMiB(),
                        run.violations() == 0 ? "clean" : run.violations() + " broken"));
            }
        }
        out.append("\nDecision latency in microseconds (`FleetIndex.decide`, one thread; booking apart):\n\n");
        out.append("| hosts | policy | p50 | p90 | p99 | p99.9 | max | placed p50 | placed p99 | refused p50 "
                + "| refused p99 | refused max | book p50 | book p99 |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var result : report.results()) {
            for (var run : result.runs()) {
                var all = run.decide();
                var refused = run.decideRefused();
                out.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s "
                        + "| %s | %s |%n", result.hosts(), run.policy(), micros(all.p50()), micros(all.p90()),
                        micros(all.p99()), micros(all.p999()), micros(all.max()), micros(run.decidePlaced().p50()),
                        micros(run.decidePlaced().p99()), refused.count() == 0 ? "-" : micros(refused.p50()),
                        refused.count() == 0 ? "-" : micros(refused.p99()),
                        refused.count() == 0 ? "-" : micros(refused.max()), micros(run.book().p50()),
                        micros(run.book().p99())));
            }
        }
        for (var result : report.results()) {
            for (var run : result.runs()) {
                if (run.violations() > 0) {
                    out.append(String.format(Locale.ROOT, "%nBroken at %,d hosts under %s: %s%n", result.hosts(),
                            run.policy(), String.join("; ", run.violationSamples())));
                }
            }
        }
        return out.toString();
    }

    private static String stop(Run run, Limits limits) {
        return switch (run.stop()) {
            case FULL -> "full";
            case REQUESTS -> String.format(Locale.ROOT, "%,d requests", limits.requests());
            case TIME -> String.format(Locale.ROOT, "%.0f s limit", limits.durationMillis() / 1000.0);
        };
    }

    private static String micros(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}

package io.mdevplan.executor.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mdevplan.executor.apply.ApplyReport;
import io.mdevplan.executor.apply.Plan;
import io.mdevplan.executor.apply.PlanAction;
import io.mdevplan.executor.apply.PlanApplier;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.simulation.SimulatedType;
import io.mdevplan.executor.sysfs.AggregationDialect;
import io.mdevplan.executor.sysfs.SysfsLayout;

/**
 * How many plan actions per second {@link PlanApplier} applies, the executor's own cost with the kernel taken out:
 * against a {@link SimulatedKernel} with mdevctl definitions written in memory, each run applies {@code plans} plans
 * of creates (plain, aggregated through the attribute and through the create parameter, with an attribute) and then
 * as many plans removing the devices again. Warm-up runs let the JIT compile first; the median of the measured runs
 * is the answer.
 */
public final class ApplyBenchmark {

    private static final Path ROOT = Path.of("/bench");
    private static final String HOST = "bench-host";
    private static final String PLAIN = "bench-plain";
    private static final String ATTRIBUTE = "bench-attribute";
    private static final String CREATE_PARAMETER = "bench-parameter";
    private static final int MAX_AGGREGATION = 4;

    /** What one benchmark runs: a host of {@code parents}, {@code plans} plans of {@code actionsPerPlan} each way. */
    public record Settings(int parents, int plans, int actionsPerPlan, int warmups, int runs) {

        public Settings {
            if (parents < 1 || parents > 255 || plans < 1 || actionsPerPlan < 1 || warmups < 0 || runs < 1) {
                throw new IllegalArgumentException("The benchmark settings " + parents + " parents, " + plans
                        + " plans of " + actionsPerPlan + " actions, " + warmups + " warm-up and " + runs + " measured"
                        + " runs are out of range. Maybe give 1 to 255 parents, and 1 or more of everything else"
                        + " (0 or more warm-ups).");
            }
        }

        /** Creates and removes of one run. */
        public long actionsPerRun() {
            return 2L * plans * actionsPerPlan;
        }
    }

    /** The measured runs' speeds in actions per second, in run order. */
    public record Result(Settings settings, List<Double> actionsPerSecond) {

        public Result {
            actionsPerSecond = List.copyOf(actionsPerSecond);
        }

        public double median() {
            var sorted = actionsPerSecond.stream().sorted().toList();
            var middle = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        }

        /** The result as a markdown section: what ran, and the median, slowest and fastest run. */
        public String markdown() {
            var slowest = actionsPerSecond.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            var fastest = actionsPerSecond.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            return "### Plan actions applied per second (SimulatedKernel)\n\n"
                    + settings.parents() + " parents; a run applies " + settings.plans() + " plans of "
                    + settings.actionsPerPlan() + " creates, then " + settings.plans() + " plans removing them ("
                    + settings.actionsPerRun() + " actions: plain, aggregated through the attribute and through the"
                    + " create parameter, with an attribute), mdevctl definitions written in memory; "
                    + settings.warmups() + " warm-up runs, " + settings.runs() + " measured.\n\n"
                    + "| actions/s (median) | slowest run | fastest run | µs per action (median) |\n"
                    + "|---:|---:|---:|---:|\n"
                    + String.format(Locale.ROOT, "| %,.0f | %,.0f | %,.0f | %.1f |%n", median(), slowest, fastest,
                            1_000_000 / median());
        }
    }

    private ApplyBenchmark() {
    }

    public static Result run(Settings settings) {
        var creates = new ArrayList<Plan>();
        var removes = new ArrayList<Plan>();
        for (var p = 0; p < settings.plans(); p++) {
            var create = new ArrayList<PlanAction>();
            var remove = new ArrayList<PlanAction>();
            for (var a = 0; a < settings.actionsPerPlan(); a++) {
                var uuid = String.format(Locale.ROOT, "%08x-0000-4000-8000-%012x", p, a);
                create.add(create("c" + a, uuid, String.format(Locale.ROOT, "0000:%02x:00.0",
                        (p * settings.actionsPerPlan() + a) % settings.parents()), a));
                remove.add(new PlanAction("r" + a, "remove", uuid, null, null, null, null));
            }
            creates.add(new Plan(HOST, create));
            removes.add(new Plan(HOST, remove));
        }
        for (var i = 0; i < settings.warmups(); i++) {
            run(settings, creates, removes);
        }
        var speeds = new ArrayList<Double>();
        for (var i = 0; i < settings.runs(); i++) {
            speeds.add(settings.actionsPerRun() / (run(settings, creates, removes) / 1e9));
        }
        return new Result(settings, speeds);
    }

    /** One of four kinds in turn: plain, aggregated in either dialect, and with an attribute. */
    private static PlanAction create(String id, String uuid, String parent, int index) {
        switch (index % 4) {
            case 0:
                return new PlanAction(id, "create", uuid, parent, PLAIN, null, null);
            case 1:
                return new PlanAction(id, "create", uuid, parent, ATTRIBUTE, 2 + index % (MAX_AGGREGATION - 1),
                        List.of(Map.of("mdev/weight", "4")));
            case 2:
                return new PlanAction(id, "create", uuid, parent, CREATE_PARAMETER, 2, null);
            default:
                return new PlanAction(id, "create", uuid, parent, ATTRIBUTE, null,
                        List.of(Map.of("mdev/weight", "2")));
        }
    }

    /** Nanoseconds to apply every plan to a fresh host; a plan not done means the benchmark measured nothing. */
    private static long run(Settings settings, List<Plan> creates, List<Plan> removes) {
        var kernel = host(settings);
        var applier = new PlanApplier(new SysfsLayout(ROOT), kernel, true);
        var start = System.nanoTime();
        for (var plans : List.of(creates, removes)) {
            for (var plan : plans) {
                var report = applier.apply(plan);
                if (report.exitCode() != ApplyReport.EXIT_DONE) {
                    throw new IllegalStateException("A benchmark plan was not applied: " + report.results().stream()
                            .filter(result -> result.error() != null).findFirst().orElseThrow().error().message()
                            + " Maybe the pools are too small for the plans: give fewer actions.");
                }
            }
        }
        return System.nanoTime() - start;
    }

    /** Parents whose one pool holds every device of the run, so that no create meets a full parent. */
    private static SimulatedKernel host(Settings settings) {
        var kernel = new SimulatedKernel(ROOT);
        var units = (long) settings.plans() * settings.actionsPerPlan() * MAX_AGGREGATION;
        for (var i = 0; i < settings.parents(); i++) {
            var address = String.format(Locale.ROOT, "0000:%02x:00.0", i);
            kernel.addParent(address, "sys/devices/pci0000:00/" + address, Map.of("units", units),
                    SimulatedKernel.NO_DEVICE_LIMIT, List.of(
                            SimulatedType.of(PLAIN, "plain", Map.of("units", 1L)),
                            SimulatedType.of(ATTRIBUTE, "attribute", Map.of("units", 1L))
                                    .withAggregation(AggregationDialect.ATTRIBUTE, MAX_AGGREGATION)
                                    .withAttributes("mdev/weight"),
                            SimulatedType.of(CREATE_PARAMETER, "create parameter", Map.of("units", 1L))
                                    .withAggregation(AggregationDialect.CREATE_PARAMETER, MAX_AGGREGATION)));
        }
        try {
            kernel.writeRegularFile(new SysfsLayout(ROOT).hostnameFile(), HOST + "\n");
        } catch (SysfsWriteException e) {
            throw new IllegalStateException("The simulated kernel refused its host name. Maybe etc/ is no longer"
                    + " a plain directory in the simulation.", e);
        }
        return kernel;
    }
}

package io.mdevplan.planner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.planner.report.SolveReports;
import io.mdevplan.planner.solver.PlacementPlans;
import io.mdevplan.planner.solver.PlacementSolver;
import io.mdevplan.planner.solver.SolveOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "solve", mixinStandardHelpOptions = true,
        description = "Places the fleet document's workloads under a policy and writes placements, unplaced workloads "
                + "with their reasons, moves and metrics as JSON.")
final class SolveCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--fleet", required = true, paramLabel = "F.json", description = "The fleet document.")
    private Path fleet;

    @Option(names = "--policy", defaultValue = PolicyCatalog.DEFAULT, paramLabel = "NAME",
            description = "pack, spread, headroom, one-type-per-parent or minimal-moves (default: ${DEFAULT-VALUE}).")
    private String policy;

    @Option(names = "--mode", defaultValue = "place", paramLabel = "place|replan",
            description = "place: existing devices stay; replan: devices of listed workloads may move (default: ${DEFAULT-VALUE}).")
    private String mode;

    @Option(names = "--time-limit", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long local search may improve the plan, e.g. 10s, 500ms (default: ${DEFAULT-VALUE}).")
    private Duration timeLimit;

    @Option(names = "--out", paramLabel = "R.json", description = "Write the result here instead of standard output.")
    private Path out;

    @Override
    public Integer call() {
        var options = SolveOptions.defaults()
                .withPolicy(PolicyCatalog.byName(policy))
                .withMode(parseMode(mode))
                .withTimeLimit(timeLimit);
        var document = FleetJson.read(fleet);
        var started = System.nanoTime();
        var solved = PlacementSolver.solve(PlacementPlans.fromFleet(document, options.mode()), options);
        var millis = (System.nanoTime() - started) / 1_000_000;
        JsonOutput.write(SolveReports.of(solved, options.policy().name(), millis), out, spec.commandLine().getOut());
        return 0;
    }

    static PlanningMode parseMode(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "place" -> PlanningMode.PLACE;
            case "replan" -> PlanningMode.REPLAN;
            default -> throw new IllegalArgumentException("Unknown mode \"" + mode + "\". Maybe use place or replan.");
        };
    }
}

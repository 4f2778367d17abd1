package io.mdevplan.planner.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.mdevplan.planner.domain.PlanningMode;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.headroom.HeadroomCalculator;
import io.mdevplan.planner.solver.PlacementPlans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "headroom", mixinStandardHelpOptions = true,
        description = "Counts exactly how many MORE workloads of one shape fit on the fleet's devices as they are, "
                + "per host and in total.")
final class HeadroomCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--fleet", required = true, paramLabel = "F.json", description = "The fleet document.")
    private Path fleet;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "The mdev type id, e.g. nvidia-46.")
    private String type;

    @Option(names = "--instances", defaultValue = "1", paramLabel = "N",
            description = "Instances aggregated in each workload's device (default: ${DEFAULT-VALUE}).")
    private int instances;

    @Option(names = "--host-selector", paramLabel = "KEY=VALUE", description = "Only hosts with this label; repeatable.")
    private Map<String, String> hostSelector = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "R.json", description = "Write the result here instead of standard output.")
    private Path out;

    @Override
    public Integer call() {
        var document = FleetJson.read(fleet);
        var offered = document.hosts().stream().flatMap(host -> host.parents().stream())
                .flatMap(parent -> parent.types().stream()).anyMatch(fleetType -> fleetType.id().equals(type));
        if (!offered) {
            throw new IllegalArgumentException("--type " + type + ": no parent in " + fleet + " offers this type. "
                    + "Maybe check the spelling against the types of the fleet document.");
        }
        if (instances < 1) {
            throw new IllegalArgumentException("--instances " + instances + ": a workload needs at least 1 instance. "
                    + "Maybe use 1.");
        }
        var plan = PlacementPlans.fromFleet(document, PlanningMode.PLACE);
        JsonOutput.write(HeadroomCalculator.headroom(plan, type, instances, hostSelector), out, spec.commandLine().getOut());
        return 0;
    }
}

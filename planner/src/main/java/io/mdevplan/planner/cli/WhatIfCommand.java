package io.mdevplan.planner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.whatif.ScenarioJson;
import io.mdevplan.planner.whatif.WhatIfCancellation;
import io.mdevplan.planner.whatif.WhatIfEngine;
import io.mdevplan.planner.whatif.WhatIfListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "whatif", mixinStandardHelpOptions = true,
        description = "Applies a what-if scenario (added or removed workloads and hosts, drained hosts, another policy) "
                + "to the fleet, plans it and reports what is placed and why the rest is not, headroom and "
                + "fragmentation per profile, the month growth runs out of room, the plan against today and the "
                + "fleet's use. See docs/whatif.md.")
final class WhatIfCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--fleet", paramLabel = "F.json",
            description = "The fleet as it stands, for a scenario whose base is \"live\" (the default); leave it out "
                    + "when the scenario embeds its base fleet.")
    private Path fleet;

    @Option(names = "--scenario", required = true, paramLabel = "S.json", description = "The scenario document.")
    private Path scenario;

    @Option(names = "--time-limit", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long the solve may take; local search runs only when construction leaves workloads "
                    + "unplaced, or in replan mode (default: ${DEFAULT-VALUE}).")
    private Duration timeLimit;

    @Option(names = "--out", paramLabel = "R.json",
            description = "Write the result here as JSON instead of printing the readable report.")
    private Path out;

    @Override
    public Integer call() {
        var document = ScenarioJson.read(scenario);
        var live = fleet == null ? null : FleetJson.read(fleet);
        var prepared = WhatIfEngine.prepare(document, scenario.toString(), live);
        var result = WhatIfEngine.run(prepared, timeLimit, WhatIfListener.NONE, WhatIfCancellation.none());
        if (out == null) {
            spec.commandLine().getOut().print(WhatIfText.of(result));
            spec.commandLine().getOut().flush();
            return 0;
        }
        JsonOutput.write(result, out, spec.commandLine().getOut());
        var err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "whatif: %,d of %,d workloads placed; %,d creates, %,d moves, %,d removes; "
                + "exhaustion %s; written to %s%n", result.placed(), result.workloads(), result.plan().creates(),
                result.plan().moves(), result.plan().removes(), result.exhaustion().month() == null
                        ? "none within " + result.exhaustion().horizonMonths() + " months"
                        : "in month " + result.exhaustion().month(), out);
        err.flush();
        return 0;
    }
}

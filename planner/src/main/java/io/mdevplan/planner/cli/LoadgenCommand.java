package io.mdevplan.planner.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.mdevplan.planner.bench.PlacementLoadGenerator;
import io.mdevplan.planner.bench.PlannerBenchmark;
import io.mdevplan.planner.service.BearerToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = "Sends placement requests to a running mdevplan service (POST /api/v1/placements) for the types "
                + "its fleet offers, from several threads, until all are sent or the fleet is full; reports "
                + "throughput and latency of placements and refusals, then audits the service's pools "
                + "(GET /api/v1/hosts). Exits 1 if a pool is overbooked, a request failed or the audit could not be made.")
final class LoadgenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The service's base URL, e.g. http://localhost:8080.")
    private String url;

    @Option(names = "--requests", defaultValue = "20000", paramLabel = "N",
            description = "How many placement requests to send at most (default: ${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--concurrency", defaultValue = "16", paramLabel = "C",
            description = "Requests in flight at once, one thread each (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Random seed of the request mix (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--policy", paramLabel = "NAME",
            description = "The policy every request names (default: none, the service's default).")
    private String policy;

    @Option(names = "--stop-after-refusals", defaultValue = "" + PlacementLoadGenerator.DEFAULT_STOP_AFTER_REFUSALS,
            paramLabel = "R", description = "Stop once R requests in a row were refused: the fleet is full "
                    + "(default: ${DEFAULT-VALUE}).")
    private int stopAfterRefusals;

    @Option(names = "--warmup", defaultValue = "" + PlacementLoadGenerator.DEFAULT_WARMUP, paramLabel = "W",
            description = "Requests sent first and not counted, so both JVMs have compiled their hot paths; each one"
                    + " placed is released again (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the token sent with every request (trailing whitespace ignored); an admin "
                    + "token, as loadgen reads the fleet and places. Default: the environment variable "
                    + BearerToken.ENVIRONMENT_VARIABLE + ", else no token (a service started with auth disabled).")
    private Path tokenFile;

    @Option(names = "--out", paramLabel = "R.md|R.json",
            description = "Write the report here, as JSON if the name ends in .json, else as Markdown "
                    + "(default: standard output).")
    private Path out;

    @Override
    public Integer call() {
        var options = new PlacementLoadGenerator.Options(uri(url), requests, concurrency, seed, policy,
                stopAfterRefusals, warmup,
                BearerToken.find(tokenFile, PlannerCli.environment(spec)).orElse(null));
        var result = PlacementLoadGenerator.run(options);
        var err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "loadgen: %,d sent, %,d placed, %,d placed already, %,d refused, %,d errors in %,d ms "
                + "(%,.0f requests/s, %,.0f placements/s); placed p99 %.2f ms, refused p99 %.2f ms; %s%n", result.sent(),
                result.created(), result.alreadyPlaced(), result.refused(), result.errors(), result.wallMillis(),
                result.requestsPerSecond(), result.placementsPerSecond(), result.placedLatency().p99(),
                result.refusedLatency().p99(), result.audit() == null ? "no audit: " + result.auditError()
                        : result.audit().overbookedPools() + " overbooked pools of " + result.audit().pools());
        err.flush();
        ReportOutput.write(new PlacementLoadGenerator.Report(PlannerBenchmark.machine(), result),
                PlacementLoadGenerator::markdown, out, spec.commandLine().getOut());
        if (result.failed()) {
            err.println("loadgen: " + (result.audit() == null ? "the capacity audit could not be made"
                    : result.audit().overbookedPools() > 0 ? "pools are overbooked" : "requests failed")
                    + "; see the report.");
            err.flush();
            return 1;
        }
        return 0;
    }

    private static URI uri(String value) {
        try {
            return new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url " + value + " is not a URL (" + e.getReason() + "). "
                    + "Maybe use http://localhost:8080.", e);
        }
    }
}

package io.mdevplan.executor.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.mdevplan.executor.agent.Agent;
import io.mdevplan.executor.agent.AgentLog;
import io.mdevplan.executor.agent.AgentSettings;
import io.mdevplan.executor.agent.ServiceClient;
import io.mdevplan.executor.agent.ServiceException;
import io.mdevplan.executor.apply.PlanApplier;
import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.inventory.HostInventory;
import io.mdevplan.executor.sysfs.SysfsLayout;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --service URL --host NAME --token T}: the host's agent, until it is stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run as this host's agent: register the inventory with the service, apply the host's actions"
                + " as they come, report each result, heartbeat, and report drift.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped (SIGTERM)", "1:an internal error", "2:bad options, or the service refused this"
                + " agent for good (wrong token, host or inventory)"})
final class RunCommand implements Callable<Integer> {

    private final Function<Path, SysfsFiles> filesForRoot;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--service", paramLabel = "URL", required = true,
            description = "The service's base URL, e.g. https://mdevplan.example:8443")
    private String service;

    @Option(names = "--host", paramLabel = "NAME",
            description = "This host's name at the service (default: the short name in etc/hostname); must be this"
                    + " host's own name.")
    private String host;

    @ArgGroup(exclusive = true)
    private TokenSource token;

    static final class TokenSource {
        @Option(names = "--token", paramLabel = "T", description = "The bearer token (visible in ps; prefer"
                + " --token-file).")
        private String value;

        @Option(names = "--token-file", paramLabel = "FILE", description = "A file that holds the bearer token.")
        private Path file;
    }

    @CommandLine.Mixin
    private RootOption root;

    @Option(names = "--no-persist", description = "Leave etc/mdevctl.d alone.")
    private boolean noPersist;

    @Option(names = "--poll-wait", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class, description = "How long one long poll waits for actions"
                    + " (default: ${DEFAULT-VALUE}).")
    private Duration pollWait;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class, description = "Between heartbeats (default: ${DEFAULT-VALUE}).")
    private Duration heartbeat;

    @Option(names = "--drift-interval", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class, description = "Between re-reads of sysfs; a changed inventory is"
                    + " reported (default: ${DEFAULT-VALUE}).")
    private Duration driftInterval;

    RunCommand(Function<Path, SysfsFiles> filesForRoot) {
        this.filesForRoot = filesForRoot;
    }

    @Override
    public Integer call() {
        var files = root.files(filesForRoot);
        var layout = root.layout();
        var settings = new AgentSettings(serviceUri(), hostName(files, layout), token(), positive("--poll-wait",
                pollWait), positive("--heartbeat", heartbeat), positive("--drift-interval", driftInterval),
                !noPersist);
        var log = new AgentLog(spec.commandLine().getErr());
        var agent = new Agent(settings, new ServiceClient(settings),
                () -> new HostInventory(layout, files).read(settings.host()),
                new PlanApplier(layout, files, settings.persist()), log, spec.root().version()[0]);
        var main = Thread.currentThread();
        var hook = new Thread(() -> {
            agent.stop();
            try {
                main.join(Duration.ofSeconds(20).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            agent.run();
            return 0;
        } catch (ServiceException e) {
            log.error(e.getMessage() + " Maybe check --service, --host and the token: the service will not take"
                    + " this host's inventory.");
            return 2;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and waits for this thread
            }
        }
    }

    private URI serviceUri() {
        try {
            var uri = new URI(service);
            var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && (uri.getRawQuery() == null && uri.getRawFragment() == null)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below with the hint
        }
        throw parameterError("The --service \"" + service + "\" is not an http(s) base URL. Maybe write"
                + " https://mdevplan.example:8443");
    }

    /** The --host, or this host's short name; a plan for another name would be refused, so they must agree. */
    private String hostName(SysfsFiles files, SysfsLayout layout) {
        var own = files.read(layout.hostnameFile()).map(String::strip).map(RunCommand::shortName).orElse("");
        if (host == null) {
            if (own.isEmpty()) {
                throw parameterError("This host has no name in " + layout.hostnameFile() + ". Maybe give --host.");
            }
            return own;
        }
        if (!shortName(host).equalsIgnoreCase(own)) {
            throw parameterError("The --host " + host + " is not this host (" + layout.hostnameFile() + " says \""
                    + own + "\"), so every plan for it would be refused. Maybe --host " + own + ".");
        }
        return host;
    }

    private static String shortName(String name) {
        var dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private String token() {
        if (token == null) {
            return null;
        }
        if (token.value != null) {
            return token.value.strip();
        }
        try {
            var text = Files.readString(token.file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
                throw parameterError("The --token-file " + token.file + " is empty or holds more than one token."
                        + " Maybe write the token alone on one line.");
            }
            return text;
        } catch (IOException e) {
            throw parameterError("Cannot read the --token-file " + token.file + " (" + e.getMessage() + ")."
                    + " Maybe check its path and that root may read it.");
        }
    }

    private Duration positive(String option, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw parameterError("The " + option + " " + value.toMillis() + " ms is not positive. Maybe 30s.");
        }
        return value;
    }

    private CommandLine.ParameterException parameterError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

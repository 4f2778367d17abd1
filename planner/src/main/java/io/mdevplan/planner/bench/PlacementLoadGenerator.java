package io.mdevplan.planner.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.planner.service.BearerToken;

/**
 * Drives a running service's online placement over REST: reads its fleet ({@code GET /api/v1/fleet}), derives requests
 * for the types it offers ({@link RequestMix}), sends them as {@code POST /api/v1/placements} from a number of threads
 * over a keep-alive HTTP/1.1 connection each ({@link KeepAliveConnection}), after a warm-up whose placements it
 * releases again, times each answer, and stops early once the fleet is full (a run of refusals)
 * or the service keeps failing. Then it audits the service's books ({@link HostsAudit} over {@code GET /api/v1/hosts}).
 *
 * <p>Answers: 201 placed, 200 placed already (the same request again), 409 with the problem type
 * {@value #NO_CAPACITY} refused; anything else is an error, tallied by status and problem type.
 */
public final class PlacementLoadGenerator {

    public static final String NO_CAPACITY = "urn:mdevplan:problem:no-capacity";
    public static final String WORKLOAD_PREFIX = "lg-";
    public static final int DEFAULT_STOP_AFTER_REFUSALS = 500;
    public static final String WARMUP_PREFIX = "lg-warmup-";
    public static final int DEFAULT_WARMUP = 5000;
    /** Warm-up requests placed before they are released again. */
    private static final int WARMUP_ROUND = 5000;
    /** Errors in a row after which the service counts as failing and the run stops. */
    public static final int STOP_AFTER_ERRORS = 100;
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);
    private static final int ERROR_SAMPLES = 5;
    private static final int SAMPLE_LENGTH = 300;
    private static final ObjectWriter COMPACT = FleetJson.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to send where: {@code policy} null for the service's default; {@code token} sent with every request, null
     * for none (a service started with auth disabled).
     */
    public record Options(URI url, int requests, int concurrency, long seed, String policy, int stopAfterRefusals,
            int warmup, BearerToken token) {

        public Options {
            if (url == null || url.getScheme() == null || url.getHost() == null || !url.getScheme().equals("http")) {
                throw new IllegalArgumentException("URL " + url + " is not an http URL with a host. "
                        + "Maybe use http://localhost:8080.");
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("A warm-up of " + warmup + " requests is not a count. Maybe use 0 "
                        + "for none, or " + DEFAULT_WARMUP + ".");
            }
            if (requests < 1) {
                throw new IllegalArgumentException(requests + " requests send nothing. Maybe use 20000.");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("A concurrency of " + concurrency + " sends nothing. Maybe use 16.");
            }
            if (stopAfterRefusals < 1) {
                throw new IllegalArgumentException("Stopping after " + stopAfterRefusals + " refusals in a row stops "
                        + "before the first answer. Maybe use " + DEFAULT_STOP_AFTER_REFUSALS + ".");
            }
        }
    }

    /** How one answer counts. */
    enum Kind {
        CREATED, ALREADY_PLACED, REFUSED, ERROR
    }

    /** One answer classified; {@code error} says which error ("500 urn:mdevplan:problem:internal"), else null. */
    record Outcome(Kind kind, String error) {
    }

    /** The body of {@code POST /api/v1/placements}; nulls are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PlacementBody(String workload, String type, int instances, int priority, String antiAffinityGroup,
            Map<String, String> hostSelector, String policy) {
    }

    /**
     * The run. Latencies in milliseconds; throughput over the wall time from the first request sent to the last answer.
     * {@code stoppedBecause} is null when every request was sent; {@code auditError} says why the audit could not be
     * made (then {@code audit} is null).
     */
    public record Result(String url, int hosts, int parents, int typesOffered, int requests, int concurrency, long seed,
            String policy, WarmUp warmUp, int sent, int created, int alreadyPlaced, int refused, int errors,
            Map<String, Integer> errorsByKind, List<String> errorSamples, String stoppedBecause, long wallMillis,
            double requestsPerSecond, double placementsPerSecond, Latencies.Summary placedLatency,
            Latencies.Summary refusedLatency, HostsAudit.Result audit, String auditError) {

        /** Overbooked pools, errors (also in the warm-up) or no audit. */
        public boolean failed() {
            return errors > 0 || warmUp.failed() || audit == null || audit.overbookedPools() > 0;
        }
    }

    /**
     * The requests sent before the measured ones, so that both JVMs have compiled their hot paths: each placed one is
     * released again (DELETE), leaving the fleet as it was.
     */
    public record WarmUp(int sent, int placed, int released, int errors) {

        /** An error, or a placement it could not release. */
        public boolean failed() {
            return errors > 0 || released < placed;
        }
    }

    public record Report(PlannerBenchmark.Machine machine, Result result) {
    }

    private final Options options;
    private final HttpClient client;
    private final String base;
    private final String placementsPath;

    private PlacementLoadGenerator(Options options) {
        this.options = options;
        this.base = options.url().toString().replaceAll("/+$", "");
        this.placementsPath = URI.create(base).getRawPath() + "/api/v1/placements";
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    public static Result run(Options options) {
        return new PlacementLoadGenerator(options).run();
    }

    private Result run() {
        var fleet = fetchFleet();
        var warmUp = warmUp(fleet);
        var mix = RequestMix.of(fleet, options.seed(), WORKLOAD_PREFIX);
        var load = new Load(mix.next(options.requests()));
        var started = System.nanoTime();
        load.send();
        var wallNanos = System.nanoTime() - started;
        HostsAudit.Result audit = null;
        String auditError = null;
        try {
            audit = HostsAudit.audit(get("/api/v1/hosts", READ_TIMEOUT), base + "/api/v1/hosts");
        } catch (IllegalArgumentException e) {
            auditError = e.getMessage();
        }
        var parents = fleet.hosts().stream().mapToInt(host -> host.parents().size()).sum();
        var seconds = wallNanos / 1e9;
        return new Result(base, fleet.hosts().size(), parents, mix.maxAggregationByType().size(), options.requests(),
                options.concurrency(), options.seed(), options.policy(), warmUp, load.sent.get(), load.created.get(),
                load.alreadyPlaced.get(), load.refused.get(), load.errors.get(), new TreeMap<>(load.errorsByKind),
                List.copyOf(load.errorSamples).subList(0, Math.min(ERROR_SAMPLES, load.errorSamples.size())),
                load.stoppedBecause.get(), wallNanos / 1_000_000,
                seconds == 0 ? 0 : load.answered() / seconds, seconds == 0 ? 0 : load.created.get() / seconds,
                load.placedLatencies.summary(TimeUnit.MILLISECONDS), load.refusedLatencies.summary(TimeUnit.MILLISECONDS),
                audit, auditError);
    }

    /**
     * Sends the warm-up requests (another seed, their own workload ids) in rounds of at most {@value #WARMUP_ROUND},
     * releasing what each round placed before the next, so that the warm-up never fills the fleet.
     */
    private WarmUp warmUp(FleetDocument fleet) {
        var mix = RequestMix.of(fleet, options.seed() + 1, WARMUP_PREFIX);
        var sent = 0;
        var placed = 0;
        var released = new AtomicInteger();
        var errors = new AtomicInteger();
        while (sent < options.warmup()) {
            var load = new Load(mix.next(Math.min(WARMUP_ROUND, options.warmup() - sent)));
            load.send();
            sent += load.sent.get();
            errors.addAndGet(load.errors.get());
            var workloads = List.copyOf(load.placedWorkloads);
            placed += workloads.size();
            var next = new AtomicInteger();
            inParallel(() -> {
                try (var connection = new KeepAliveConnection(options.url(), REQUEST_TIMEOUT, options.token())) {
                    for (var i = next.getAndIncrement(); i < workloads.size(); i = next.getAndIncrement()) {
                        try {
                            var answer = connection.exchange("DELETE", placementsPath + "/" + workloads.get(i), null);
                            (answer.status() == 200 ? released : errors).incrementAndGet();
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            if (load.failedInARow.get() >= STOP_AFTER_ERRORS) {
                // the measured run would stop at once too; it reports why
                break;
            }
        }
        return new WarmUp(sent, placed, released.get(), errors.get());
    }

    /** Runs the task on {@code concurrency} threads at once and waits for all of them. */
    private <T> List<T> inParallel(Callable<T> task) {
        var pool = Executors.newFixedThreadPool(options.concurrency(), runnable -> {
            var thread = new Thread(runnable, "loadgen");
            thread.setDaemon(true);
            return thread;
        });
        try {
            var workers = new ArrayList<Future<T>>();
            for (var t = 0; t < options.concurrency(); t++) {
                workers.add(pool.submit(task));
            }
            var results = new ArrayList<T>();
            for (var worker : workers) {
                results.add(worker.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending placements. Maybe the run was cancelled.", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A load thread failed: " + e.getCause() + ". Maybe report it with the "
                    + "service's answers.", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private FleetDocument fetchFleet() {
        var source = base + "/api/v1/fleet";
        return FleetJson.read(new ByteArrayInputStream(get("/api/v1/fleet", READ_TIMEOUT).getBytes(StandardCharsets.UTF_8)),
                source);
    }

    /** The body of a GET that must answer 200; anything else is the user's URL or service to fix. */
    private String get(String path, Duration timeout) {
        var uri = URI.create(base + path);
        try {
            var request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            if (options.token() != null) {
                request.header("Authorization", options.token().header());
            }
            var response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new IllegalArgumentException("GET " + uri + " answered " + response.statusCode() + ": "
                        + abbreviate(response.body()) + ". Maybe pass --token-file (or set "
                        + BearerToken.ENVIRONMENT_VARIABLE + ") with a live admin token: loadgen reads the fleet "
                        + "(planner role) and places (scheduler role), and only an admin token holds both.");
            }
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("GET " + uri + " answered " + response.statusCode() + ": "
                        + abbreviate(response.body()) + ". Maybe --url points at something else than the mdevplan "
                        + "service.");
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot GET " + uri + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "). Maybe start the service or check --url.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + uri + ". Maybe the run was cancelled.", e);
        }
    }

    static String body(PlacementRequest request, String policy) {
        try {
            return COMPACT.writeValueAsString(new PlacementBody(request.workload(), request.type(), request.instances(),
                    request.priority(), request.antiAffinityGroup(), request.hostSelector(), policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write placement request " + request + " as JSON. Maybe a field "
                    + "gained a type Jackson cannot write.", e);
        }
    }

    /** How an answer counts: by status, and for a 409 by its problem type; a 201 must name where it placed. */
    static Outcome classify(int status, String contentType, String body) {
        return switch (status) {
            case 201 -> placedSomewhere(body) ? new Outcome(Kind.CREATED, null)
                    : new Outcome(Kind.ERROR, "201 without host and parent");
            case 200 -> new Outcome(Kind.ALREADY_PLACED, null);
            case 409 -> NO_CAPACITY.equals(problemType(contentType, body)) ? new Outcome(Kind.REFUSED, null)
                    : new Outcome(Kind.ERROR, errorKind(status, contentType, body));
            default -> new Outcome(Kind.ERROR, errorKind(status, contentType, body));
        };
    }

    private static boolean placedSomewhere(String body) {
        var json = parse(body);
        return json != null && json.path("host").isTextual() && json.path("parent").isTextual();
    }

    private static String errorKind(int status, String contentType, String body) {
        var type = problemType(contentType, body);
        return status + " " + (type != null ? type : contentType == null ? "(no content type)" : contentType);
    }

    /** The RFC 7807 problem type of an application/problem+json answer, or null. */
    static String problemType(String contentType, String body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return null;
        }
        var json = parse(body);
        return json != null && json.path("type").isTextual() ? json.get("type").asText() : null;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : FleetJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        var flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return flat.length() <= SAMPLE_LENGTH ? flat : flat.substring(0, SAMPLE_LENGTH) + "...";
    }

    /** The requests in flight: shared counters, one latency record per thread, merged at the end. */
    private final class Load {

        private final List<PlacementRequest> requests;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger sent = new AtomicInteger();
        private final AtomicInteger created = new AtomicInteger();
        private final AtomicInteger alreadyPlaced = new AtomicInteger();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger errors = new AtomicInteger();
        private final AtomicInteger refusedInARow = new AtomicInteger();
        private final AtomicInteger failedInARow = new AtomicInteger();
        private final Map<String, Integer> errorsByKind = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> placedWorkloads = new ConcurrentLinkedQueue<>();
        private final AtomicReference<String> stoppedBecause = new AtomicReference<>();
        private final Latencies placedLatencies = new Latencies();
        private final Latencies refusedLatencies = new Latencies();

        Load(List<PlacementRequest> requests) {
            this.requests = requests;
        }

        int answered() {
            return created.get() + alreadyPlaced.get() + refused.get() + errors.get();
        }

        void send() {
            // bodies written before the clock starts
            var bodies = requests.stream().map(request -> body(request, options.policy())).toList();
            for (var latencies : inParallel(() -> work(bodies))) {
                placedLatencies.addAll(latencies[0]);
                refusedLatencies.addAll(latencies[1]);
            }
        }

        /** Sends requests until none are left or the run stops; returns this thread's placed and refused latencies. */
        private Latencies[] work(List<String> bodies) {
            var placed = new Latencies();
            var refusedHere = new Latencies();
            try (var connection = new KeepAliveConnection(options.url(), REQUEST_TIMEOUT, options.token())) {
                while (stoppedBecause.get() == null) {
                    var i = next.getAndIncrement();
                    if (i >= bodies.size()) {
                        break;
                    }
                    sent.incrementAndGet();
                    var started = System.nanoTime();
                    Outcome outcome;
                    try {
                        var response = connection.exchange("POST", placementsPath, bodies.get(i));
                        outcome = classify(response.status(), response.contentType(), response.body());
                        if (outcome.kind() == Kind.ERROR) {
                            sample(outcome.error() + ": " + abbreviate(response.body()));
                        } else if (outcome.kind() == Kind.CREATED) {
                            placedWorkloads.add(requests.get(i).workload());
                        }
                    } catch (IOException e) {
                        outcome = new Outcome(Kind.ERROR, "I/O " + e.getClass().getSimpleName());
                        sample(outcome.error() + ": " + e.getMessage());
                    }
                    var elapsed = System.nanoTime() - started;
                    count(outcome, elapsed, placed, refusedHere);
                }
            }
            return new Latencies[] { placed, refusedHere };
        }

        private void count(Outcome outcome, long elapsed, Latencies placed, Latencies refusedHere) {
            switch (outcome.kind()) {
                case CREATED, ALREADY_PLACED -> {
                    (outcome.kind() == Kind.CREATED ? created : alreadyPlaced).incrementAndGet();
                    placed.add(elapsed);
                    refusedInARow.set(0);
                    failedInARow.set(0);
                }
                case REFUSED -> {
                    refused.incrementAndGet();
                    refusedHere.add(elapsed);
                    failedInARow.set(0);
                    if (refusedInARow.incrementAndGet() >= options.stopAfterRefusals()) {
                        stoppedBecause.compareAndSet(null, "the fleet is full: " + options.stopAfterRefusals()
                                + " refusals in a row");
                    }
                }
                case ERROR -> {
                    errors.incrementAndGet();
                    errorsByKind.merge(outcome.error(), 1, Integer::sum);
                    if (failedInARow.incrementAndGet() >= STOP_AFTER_ERRORS) {
                        stoppedBecause.compareAndSet(null, "the service is failing: " + STOP_AFTER_ERRORS
                                + " errors in a row");
                    }
                }
            }
        }

        private void sample(String error) {
            if (errorSamples.size() < ERROR_SAMPLES) {
                errorSamples.add(error);
            }
        }
    }

    /** The report as Markdown: counts and throughput, latency of placements and refusals, the capacity audit. */
    public static String markdown(Report report) {
        var machine = report.machine();
        var r = report.result();
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Machine (load generator): %d processors, %s, %s, max heap %d MiB, %s.%n%n",
                machine.processors(), machine.cpu(), machine.java(), machine.maxHeapMiB(), machine.os()));
        out.append(String.format(Locale.ROOT, "Service %s: %,d hosts, %,d parents, %d types offered. %,d requests asked "
                + "(seed %d, policy %s), %d concurrent.%n%n", r.url(), r.hosts(), r.parents(), r.typesOffered(),
                r.requests(), r.seed(), r.policy() == null ? "the service's default" : r.policy(), r.concurrency()));
        var warmUp = r.warmUp();
        if (warmUp.sent() > 0) {
            out.append(String.format(Locale.ROOT, "Warm-up first, not counted: %,d requests (seed %d, workloads %s*),"
                    + " %,d placed, %,d released again, %,d errors.%n%n", warmUp.sent(), r.seed() + 1, WARMUP_PREFIX,
                    warmUp.placed(), warmUp.released(), warmUp.errors()));
        }
        out.append("| sent | placed (201) | placed already (200) | refused (409) | errors | wall time | requests/s "
                + "| placements/s | pools audited | overbooked pools |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        out.append(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d | %,d | %.2f s | %,.0f | %,.0f | %s | %s |%n%n",
                r.sent(), r.created(), r.alreadyPlaced(), r.refused(), r.errors(), r.wallMillis() / 1000.0,
                r.requestsPerSecond(), r.placementsPerSecond(), r.audit() == null ? "-" : String.format(Locale.ROOT,
                        "%,d", r.audit().pools()),
                r.audit() == null ? "not audited" : String.format(Locale.ROOT, "%,d", r.audit().overbookedPools())));
        out.append("Latency in milliseconds, from sending the request to reading the whole answer:\n\n");
        out.append("| answers | count | mean | p50 | p90 | p99 | p99.9 | max |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        latencyRow(out, "placed (201, 200)", r.placedLatency());
        latencyRow(out, "refused (409 no-capacity)", r.refusedLatency());
        out.append(System.lineSeparator());
        out.append(r.stoppedBecause() == null ? "Every request was sent.\n"
                : "Stopped early: " + r.stoppedBecause() + ".\n");
        if (!r.errorsByKind().isEmpty()) {
            out.append("\nErrors by kind: ");
            var kinds = new ArrayList<String>();
            r.errorsByKind().forEach((kind, count) -> kinds.add(String.format(Locale.ROOT, "%s: %,d", kind, count)));
            out.append(String.join("; ", kinds)).append(".\n");
            r.errorSamples().forEach(sample -> out.append("- ").append(sample).append('\n'));
        }
        if (r.auditError() != null) {
            out.append("\nCapacity audit failed: ").append(r.auditError()).append('\n');
        } else if (r.audit().overbookedPools() > 0) {
            out.append(String.format(Locale.ROOT, "%nOverbooked pools (%,d), the first of them:%n",
                    r.audit().overbookedPools()));
            r.audit().overbooked().forEach(pool -> out.append("- ").append(pool).append('\n'));
        }
        return out.toString();
    }

    private static void latencyRow(StringBuilder out, String label, Latencies.Summary summary) {
        out.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", label,
                summary.count(), summary.mean(), summary.p50(), summary.p90(), summary.p99(), summary.p999(),
                summary.max()));
    }
}

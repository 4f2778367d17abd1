package io.mdevplan.planner.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.online.FleetIndex;
import io.mdevplan.planner.online.PlacementDecision;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.planner.policy.PolicyCatalog;

/**
 * A stand-in for the service's placement API, on an ephemeral port: {@code GET /api/v1/fleet}, {@code POST
 * /api/v1/placements} (decided and booked by a {@link FleetIndex}: 201, 200 for a workload placed already, 409
 * no-capacity), {@code DELETE /api/v1/placements/{workload}} and {@code GET /api/v1/hosts} (pool use from the fleet's devices and the placements). It can fail every
 * n-th placement with a 500 and report one pool overbooked, to test the load generator's counting and audit. It can
 * require a bearer token as the service does, answering 401 to any request without it.
 */
final class FakePlacementService implements AutoCloseable {

    private final FleetDocument fleet;
    private final FleetIndex index;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, String> placedBodies = new HashMap<>();
    /** Per host/address, the pool use of its devices and placements, in the parent's pool order. */
    private final Map<String, long[]> used = new LinkedHashMap<>();
    private final int failEvery;
    private final boolean overbookOnePool;
    /** The secret every request must carry, or null for none (auth disabled). */
    private final String requiredToken;
    /** Each kind of request that carried the token, as "GET /api/v1/fleet" or "DELETE /api/v1/placements/{workload}". */
    private final Set<String> authorized = new TreeSet<>();
    private int posts;
    private int created;
    private int alreadyPlaced;
    private int refused;
    private int failed;
    private int released;

    private FakePlacementService(FleetDocument fleet, int failEvery, boolean overbookOnePool, String requiredToken)
            throws IOException {
        this.fleet = fleet;
        this.requiredToken = requiredToken;
        this.index = FleetIndex.of(new FleetDocument(fleet.hosts(), List.of()));
        this.failEvery = failEvery;
        this.overbookOnePool = overbookOnePool;
        for (var host : fleet.hosts()) {
            for (var parent : host.parents()) {
                var pools = new long[parent.pools().size()];
                used.put(host.name() + "/" + parent.address(), pools);
                parent.devices().forEach(device -> use(parent, pools, device.type(), device.instancesOrOne()));
            }
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var contexts = List.of(
                server.createContext("/api/v1/fleet", exchange -> answer(exchange, 200, "application/json",
                        FleetGenerator.toJson(fleet))),
                server.createContext("/api/v1/placements", this::place),
                server.createContext("/api/v1/hosts", exchange -> answer(exchange, 200, "application/json", hosts())));
        if (requiredToken != null) {
            contexts.forEach(context -> context.getFilters().add(new TokenCheck()));
        }
        server.setExecutor(executor);
        server.start();
    }

    static FakePlacementService start(FleetDocument fleet) throws IOException {
        return new FakePlacementService(fleet, 0, false, null);
    }

    /** Answers 401 to every request without {@code Authorization: Bearer <secret>}. */
    static FakePlacementService requiringToken(FleetDocument fleet, String secret) throws IOException {
        return new FakePlacementService(fleet, 0, false, secret);
    }

    /** Answers every n-th placement request with a 500 instead of deciding it. */
    static FakePlacementService failingEvery(FleetDocument fleet, int n) throws IOException {
        return new FakePlacementService(fleet, n, false, null);
    }

    /** Reports the first pool of the fleet one unit over its capacity. */
    static FakePlacementService overbooking(FleetDocument fleet) throws IOException {
        return new FakePlacementService(fleet, 0, true, null);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized Set<String> authorizedRequestKinds() {
        return Set.copyOf(authorized);
    }

    synchronized int posts() {
        return posts;
    }

    synchronized int created() {
        return created;
    }

    synchronized int alreadyPlaced() {
        return alreadyPlaced;
    }

    synchronized int refused() {
        return refused;
    }

    synchronized int failed() {
        return failed;
    }

    synchronized int released() {
        return released;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private boolean carriesToken(HttpExchange exchange) {
        if (!("Bearer " + requiredToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return false;
        }
        var path = exchange.getRequestURI().getPath();
        synchronized (this) {
            authorized.add(exchange.getRequestMethod() + " "
                    + (path.startsWith("/api/v1/placements/") ? "/api/v1/placements/{workload}" : path));
        }
        return true;
    }

    private void place(HttpExchange exchange) throws IOException {
        var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var path = exchange.getRequestURI().getPath();
        if ("DELETE".equals(exchange.getRequestMethod()) && path.startsWith("/api/v1/placements/")) {
            release(exchange, path.substring("/api/v1/placements/".length()));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())
                || !"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            answer(exchange, 415, "application/problem+json",
                    "{\"type\": \"urn:mdevplan:problem:unsupported-media-type\", \"detail\": \"POST JSON\"}");
            return;
        }
        var json = FleetJson.mapper().readTree(body);
        var request = new PlacementRequest(json.get("workload").asText(), json.get("type").asText(),
                json.get("instances").asInt(), json.get("priority").asInt(), text(json, "antiAffinityGroup"),
                selector(json.get("hostSelector")));
        var policy = text(json, "policy") == null ? PolicyCatalog.defaultPolicy() : PolicyCatalog.byName(json.get("policy").asText());
        int status;
        String answer;
        synchronized (this) {
            posts++;
            if (failEvery > 0 && posts % failEvery == 0) {
                failed++;
                status = 500;
                answer = "{\"type\": \"urn:mdevplan:problem:internal\", \"detail\": \"injected failure\"}";
            } else if (placedBodies.containsKey(request.workload())) {
                alreadyPlaced++;
                status = 200;
                answer = placedBodies.get(request.workload());
            } else if (index.decide(request, policy) instanceof PlacementDecision.Placed placed) {
                index.book(request, placed.host(), placed.parent());
                var parent = parent(placed.host(), placed.parent());
                use(parent, used.get(placed.host() + "/" + placed.parent()), request.type(), request.instances());
                created++;
                status = 201;
                answer = "{\"workload\": \"" + request.workload() + "\", \"host\": \"" + placed.host()
                        + "\", \"parent\": \"" + placed.parent() + "\", \"type\": \"" + request.type()
                        + "\", \"instances\": " + request.instances() + ", \"state\": \"pending\"}";
                placedBodies.put(request.workload(), answer);
            } else {
                refused++;
                status = 409;
                answer = "{\"type\": \"" + PlacementLoadGenerator.NO_CAPACITY + "\", \"status\": 409, "
                        + "\"detail\": \"nothing fits\"}";
            }
        }
        answer(exchange, status, status >= 400 ? "application/problem+json" : "application/json", answer);
    }

    private void release(HttpExchange exchange, String workload) throws IOException {
        String answer;
        synchronized (this) {
            answer = placedBodies.remove(workload);
            if (answer != null) {
                var host = index.hostOf(workload).orElseThrow();
                var placed = FleetJson.mapper().readTree(answer);
                var address = placed.get("parent").asText();
                use(parent(host, address), used.get(host + "/" + address), placed.get("type").asText(),
                        -placed.get("instances").asInt());
                index.release(workload);
                released++;
            }
        }
        if (answer == null) {
            answer(exchange, 404, "application/problem+json", "{\"type\": \"urn:mdevplan:problem:not-found\"}");
        } else {
            answer(exchange, 200, "application/json", answer.replace("\"pending\"", "\"released\""));
        }
    }

    private synchronized String hosts() {
        var hosts = FleetJson.mapper().createArrayNode();
        var first = true;
        for (var host : fleet.hosts()) {
            ObjectNode hostNode = hosts.addObject().put("name", host.name());
            ArrayNode parents = hostNode.putArray("parents");
            for (var parent : host.parents()) {
                var parentNode = parents.addObject().put("address", parent.address()).put("driver", parent.driver());
                var pools = parentNode.putArray("pools");
                var use = used.get(host.name() + "/" + parent.address());
                var p = 0;
                for (var pool : parent.pools().entrySet()) {
                    var value = first && overbookOnePool ? pool.getValue() + 1 : use[p];
                    first = false;
                    p++;
                    pools.addObject().put("name", pool.getKey()).put("capacity", pool.getValue()).put("used", value)
                            .put("free", pool.getValue() - value);
                }
            }
        }
        return hosts.toString();
    }

    private FleetParent parent(String host, String address) {
        return fleet.hosts().stream().filter(h -> h.name().equals(host)).flatMap(h -> h.parents().stream())
                .filter(parent -> parent.address().equals(address)).findFirst().orElseThrow();
    }

    private static void use(FleetParent parent, long[] pools, String typeId, int instances) {
        var type = parent.types().stream().filter(t -> t.id().equals(typeId)).findFirst().orElseThrow();
        var p = 0;
        for (var pool : parent.pools().keySet()) {
            pools[p++] += type.cost().getOrDefault(pool, 0L) * instances;
        }
    }

    private static String text(JsonNode json, String field) {
        var value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, String> selector(JsonNode json) {
        var selector = new HashMap<String, String>();
        if (json != null) {
            json.fields().forEachRemaining(entry -> selector.put(entry.getKey(), entry.getValue().asText()));
        }
        return selector;
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        // 201s come in chunks (length 0 asks for it), the rest with a Content-Length: clients must read both
        exchange.sendResponseHeaders(status, status == 201 ? 0 : bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Lets through only requests that carry the token, as the service's authentication does. */
    private final class TokenCheck extends Filter {

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            if (carriesToken(exchange)) {
                chain.doFilter(exchange);
            } else {
                exchange.getRequestBody().readAllBytes();
                answer(exchange, 401, "application/problem+json", "{\"type\": \"urn:mdevplan:problem:unauthorized\", "
                        + "\"status\": 401, \"detail\": \"A bearer token is needed.\"}");
            }
        }

        @Override
        public String description() {
            return "answers 401 without the bearer token";
        }
    }
}

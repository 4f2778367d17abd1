package io.mdevplan.executor.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The service's host API as the agent sees it, in memory, for one host: actions stay pending and are handed out
 * again until a result is stored, as the real service does. Failures can be injected per endpoint.
 */
public final class FakeService implements AutoCloseable {

    private static final Pattern RESULT = Pattern.compile("/api/v1/hosts/([^/]+)/actions/([^/]+)/result");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final String host;
    /** The actions by id, in the order they were queued. */
    private final Map<String, ObjectNode> actions = new LinkedHashMap<>();
    /** Every stored result by action id: the bodies, one per POST that was answered 200. */
    private final Map<String, List<JsonNode>> results = new LinkedHashMap<>();
    private final List<JsonNode> inventories = new ArrayList<>();
    private final List<JsonNode> heartbeats = new ArrayList<>();
    private final List<String> drift = new ArrayList<>();
    private final AtomicInteger resultPosts = new AtomicInteger();
    private int failInventories;
    private int failResults;
    private int unknownHostHeartbeats;
    private int inventoryRequests;

    public FakeService(String host) throws IOException {
        this.host = host;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/hosts/", this::handle);
        // a long poll must not hold up heartbeats and results
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized FakeService queue(String id, String op, String uuid, String parent, String type,
            Integer instances) {
        var action = json.createObjectNode().put("id", id).put("op", op).put("uuid", uuid);
        if (parent != null) {
            action.put("parent", parent).put("type", type).put("instances", instances).putArray("attrs");
        }
        actions.put(id, action);
        notifyAll();
        return this;
    }

    /** The next {@code count} inventory PUTs answer 503. */
    synchronized FakeService failInventories(int count) {
        failInventories = count;
        return this;
    }

    /** The next {@code count} result POSTs answer 503, storing nothing. */
    synchronized FakeService failResults(int count) {
        failResults = count;
        return this;
    }

    /** The next {@code count} heartbeats answer 404, as after a fleet import deleted the host. */
    synchronized FakeService forgetHost(int count) {
        unknownHostHeartbeats = count;
        return this;
    }

    /** The next {@code count} heartbeats ask for the inventory, as when the service has none of this run. */
    synchronized FakeService askInventory(int count) {
        inventoryRequests = count;
        return this;
    }

    synchronized FakeService drift(String line) {
        drift.add(line);
        return this;
    }

    synchronized Map<String, List<JsonNode>> results() {
        return new LinkedHashMap<>(results);
    }

    public synchronized List<JsonNode> inventories() {
        return List.copyOf(inventories);
    }

    synchronized List<JsonNode> heartbeats() {
        return List.copyOf(heartbeats);
    }

    int resultPosts() {
        return resultPosts.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getPath();
            var prefix = "/api/v1/hosts/" + host;
            var body = exchange.getRequestBody().readAllBytes();
            var method = exchange.getRequestMethod();
            if (method.equals("PUT") && path.equals(prefix + "/inventory")) {
                inventory(exchange, body);
            } else if (method.equals("POST") && path.equals(prefix + "/heartbeat")) {
                heartbeat(exchange, body);
            } else if (method.equals("GET") && path.equals(prefix + "/actions")) {
                poll(exchange);
            } else if (method.equals("POST") && RESULT.matcher(path).matches()) {
                var matcher = RESULT.matcher(path);
                matcher.matches();
                result(exchange, matcher.group(1), matcher.group(2), body);
            } else {
                answer(exchange, 404, "{\"detail\": \"no such resource " + method + " " + path + "\"}");
            }
        }
    }

    private synchronized void inventory(HttpExchange exchange, byte[] body) throws IOException {
        if (failInventories > 0) {
            failInventories--;
            answer(exchange, 503, "{\"detail\": \"busy\"}");
            return;
        }
        inventories.add(json.readTree(body));
        var answer = json.createObjectNode();
        answer.putObject("host").put("name", host);
        var lines = answer.putArray("drift");
        drift.forEach(line -> lines.addObject().put("source", "device").put("uuid", line).put("parent", "mtty")
                .put("drift", "unplaced by mdevplan"));
        answer(exchange, 200, answer.toString());
    }

    private synchronized void heartbeat(HttpExchange exchange, byte[] body) throws IOException {
        if (unknownHostHeartbeats > 0) {
            unknownHostHeartbeats--;
            answer(exchange, 404, "{\"detail\": \"No host is named " + host + ".\"}");
            return;
        }
        heartbeats.add(json.readTree(body));
        var ask = inventoryRequests > 0;
        if (ask) {
            inventoryRequests--;
        }
        answer(exchange, 200, "{\"reportInventory\": " + ask + "}");
    }

    private synchronized void poll(HttpExchange exchange) throws IOException {
        var wait = Long.parseLong(exchange.getRequestURI().getQuery().replaceAll("wait=([0-9]+)ms", "$1"));
        var deadline = System.currentTimeMillis() + wait;
        while (pending().isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        var plan = json.createObjectNode().put("host", host);
        plan.putArray("actions").addAll(pending());
        answer(exchange, 200, plan.toString());
    }

    private List<JsonNode> pending() {
        var pending = new ArrayList<JsonNode>();
        actions.forEach((id, action) -> {
            if (!results.containsKey(id)) {
                pending.add(action);
            }
        });
        return pending;
    }

    private synchronized void result(HttpExchange exchange, String name, String id, byte[] body) throws IOException {
        resultPosts.incrementAndGet();
        if (!name.equals(host) || !actions.containsKey(id)) {
            answer(exchange, 404, "{\"detail\": \"Host " + name + " has no action " + id + ".\"}");
            return;
        }
        if (failResults > 0) {
            failResults--;
            answer(exchange, 503, "{\"detail\": \"busy\"}");
            return;
        }
        results.computeIfAbsent(id, key -> new ArrayList<>()).add(json.readTree(body));
        notifyAll();
        answer(exchange, 200, "{}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json"
                : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

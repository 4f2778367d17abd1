package io.mdevplan.planner.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the service's token API on a loopback ephemeral port, answering as docs/api.md says: 201 with the
 * secret, 200 lists and revocations, and problem+json 401 (no or unknown token), 403 (not an admin), 400 (a bad token
 * request, with its problems) and 404. It starts with an admin token {@value #ADMIN_SECRET} (id 1) and a scheduler
 * token {@value #SCHEDULER_SECRET} (id 2), and records every request.
 */
final class FakeTokenService implements AutoCloseable {

    static final String ADMIN_SECRET = "mdp_admin";
    static final String SCHEDULER_SECRET = "mdp_scheduler";
    static final String REVOKED_AT = "2026-11-27T09:00:00Z";

    /** A request as it arrived. */
    record Request(String method, String path, String authorization, String contentType, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ROLES = List.of("admin", "planner", "scheduler", "executor");

    private final HttpServer server;
    /** By id, in the order made. */
    private final Map<String, ObjectNode> tokens = new LinkedHashMap<>();
    private final Map<String, String> idBySecret = new LinkedHashMap<>();
    private final List<Request> requests = new ArrayList<>();

    FakeTokenService() throws IOException {
        add(ADMIN_SECRET, "admin", "admin", null, null);
        add(SCHEDULER_SECRET, "sched-eu1", "scheduler", null, "admin");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/tokens", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        var method = exchange.getRequestMethod();
        var path = exchange.getRequestURI().getPath();
        var authorization = exchange.getRequestHeaders().getFirst("Authorization");
        var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(method, path, authorization, exchange.getRequestHeaders().getFirst("Content-Type"),
                body));
        var caller = authorization == null || !authorization.startsWith("Bearer ") ? null
                : idBySecret.get(authorization.substring("Bearer ".length()));
        if (caller == null || tokens.get(caller).hasNonNull("revokedAt")) {
            problem(exchange, 401, "unauthorized", "A valid bearer token is needed", "The bearer token is not a live "
                    + "token of this service. Maybe it was revoked or mistyped.", List.of());
            return;
        }
        var callerToken = tokens.get(caller);
        if (!"admin".equals(callerToken.get("role").asText())) {
            problem(exchange, 403, "forbidden", "The token may not do this", "Token \"" + callerToken.get("name")
                    .asText() + "\" (role " + callerToken.get("role").asText() + ") may not " + method + " " + path
                    + ": it needs one of the roles admin. Maybe use a token with that role.", List.of());
            return;
        }
        if ("POST".equals(method) && "/api/v1/tokens".equals(path)) {
            create(exchange, body, callerToken.get("name").asText());
        } else if ("GET".equals(method) && "/api/v1/tokens".equals(path)) {
            answer(exchange, 200, "application/json", JSON.writeValueAsString(tokens.values()));
        } else if ("DELETE".equals(method) && path.startsWith("/api/v1/tokens/")) {
            var id = path.substring("/api/v1/tokens/".length());
            var token = tokens.get(id);
            if (token == null) {
                problem(exchange, 404, "not-found", "No such resource", "No token has the id " + id
                        + ". Maybe GET /api/v1/tokens for the ids.", List.of());
                return;
            }
            token.put("revokedAt", REVOKED_AT);
            answer(exchange, 200, "application/json", token.toString());
        } else {
            problem(exchange, 405, "method-not-allowed", "Method not allowed", method + " " + path, List.of());
        }
    }

    private void create(HttpExchange exchange, String body, String createdBy) throws IOException {
        var request = JSON.readTree(body);
        var name = request.path("name").asText(null);
        var role = request.path("role").asText(null);
        var host = request.path("host").asText(null);
        var problems = new ArrayList<Map<String, String>>();
        if (!ROLES.contains(role)) {
            problems.add(Map.of("path", "$.role", "value", String.valueOf(role),
                    "message", "unknown role. Maybe use one of: admin, planner, scheduler, executor"));
        } else if ("executor".equals(role) != (host != null)) {
            problems.add(Map.of("path", "$.host", "value", String.valueOf(host),
                    "message", "only an executor token is bound to a host, and it must be."));
        }
        if (!problems.isEmpty()) {
            problem(exchange, 400, "invalid-token", "The token request is not valid", "The token request has "
                    + problems.size() + " problem; no token was made. Maybe fix it as each message says.", problems);
            return;
        }
        var secret = "mdp_secret" + (tokens.size() + 1);
        var token = add(secret, name, role, host, createdBy);
        var answer = JSON.createObjectNode().<ObjectNode>set("token", token).put("secret", secret);
        answer(exchange, 201, "application/json", answer.toString());
    }

    private ObjectNode add(String secret, String name, String role, String host, String createdBy) {
        var id = String.valueOf(tokens.size() + 1);
        var token = JSON.createObjectNode().put("id", id).put("name", name).put("role", role);
        if (host != null) {
            token.put("host", host);
        }
        token.put("createdAt", "2026-11-27T08:0" + id + ":00Z");
        if (createdBy != null) {
            token.put("createdBy", createdBy);
        }
        tokens.put(id, token);
        idBySecret.put(secret, id);
        return token;
    }

    private static void problem(HttpExchange exchange, int status, String type, String title, String detail,
            List<Map<String, String>> problems) throws IOException {
        var problem = JSON.createObjectNode().put("type", "urn:mdevplan:problem:" + type).put("title", title)
                .put("status", status).put("detail", detail).put("instance", exchange.getRequestURI().getPath());
        if (!problems.isEmpty()) {
            problem.set("problems", JSON.valueToTree(problems));
        }
        if (status == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mdevplan\"");
        }
        answer(exchange, status, "application/problem+json", problem.toString());
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

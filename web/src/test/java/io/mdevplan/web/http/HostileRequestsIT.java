package io.mdevplan.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mdevplan.web.problem.Problem;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.RawHttp;
import io.mdevplan.web.testing.ServiceReplica;
import io.mdevplan.web.testing.TestFleets;

/**
 * Generated hostile requests against a running service (the jar, on a real PostgreSQL), as a seeded fuzz: each case
 * names its seed, so a failure replays. Valid bodies of every endpoint that reads one, broken in one place (a value of
 * the wrong JSON type, a fraction or a number beyond any range, an unknown field, a hostile name, a megabyte string,
 * deep nesting, not JSON at all); hostile names in every path; hostile Authorization headers. The service must never
 * answer 5xx; a refusal is a 4xx problem+json that says what is wrong, and leaves the database exactly as it was.
 * Some breakages stay valid (a free-text field given other text): those may be accepted, but most must be refused,
 * which the last case of each factory checks.
 */
class HostileRequestsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // HTTP/1.1: an h2c upgrade would answer a refused large body with GOAWAY instead of the refusal
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** mdevplan.limits.body: a larger body is announced by its Content-Length and refused without being read. */
    private static final int BODY_LIMIT = 1024 * 1024;
    /** Vert.x's cap on a request's headers: a longer Authorization header is refused before any endpoint. */
    private static final int HEADER_LIMIT = 8192;
    /** Cases per factory: enough to meet every kind of breakage many times, few enough for every verify. */
    private static final int BODY_CASES = 250;
    private static final int NAME_CASES = 120;
    private static final int HEADER_CASES = 50;
    /**
     * Every table the API writes, each as one text digest, in one statement; of scenarios only what a request
     * writes (their workers store progress in the background).
     */
    private static final String FINGERPRINT = String.join(" UNION ALL ", List.of("hosts", "parents", "pools",
            "types", "type_costs", "devices", "placements", "host_actions", "policies",
            "(SELECT id, name, document FROM scenarios)", "api_tokens", "service_markers").stream()
            .map(table -> "SELECT '" + table + "', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                    + " FROM " + table + " t").toList());

    private static PostgresTestResource postgres;
    private static Map<String, String> datasource;
    private static ServiceReplica service;
    private static Path logs;

    /** A body that an endpoint accepts, to be broken in one place. */
    private record Target(String method, String path, String body) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<Target> WRITERS = List.of(
            new Target("POST", "/api/v1/placements", "{\"workload\": \"vm-fuzz\", \"type\": \"dsa-wq\","
                    + " \"instances\": 2, \"priority\": 3, \"hostSelector\": {\"zone\": \"a\"}}"),
            new Target("POST", "/api/v1/placements:batch", "{\"requests\": [{\"workload\": \"vm-fuzz\", \"type\":"
                    + " \"dsa-wq\", \"instances\": 1}], \"mode\": \"place\", \"timeLimitMillis\": 500}"),
            new Target("PUT", "/api/v1/policies/fuzz", "{\"description\": \"fuzz\", \"weights\":"
                    + " {\"parents-in-use\": 3, \"headroom\": 1}, \"onFailure\": \"replace\"}"),
            new Target("POST", "/api/v1/fleet", TestFleets.dsa(2)),
            new Target("PUT", "/api/v1/hosts/node-1/inventory", hostJson()),
            new Target("POST", "/api/v1/hosts/node-1/heartbeat", "{\"executorVersion\": \"0.1.0\", \"startedAt\":"
                    + " \"2026-11-27T03:55:00Z\"}"),
            new Target("POST", "/api/v1/hosts/node-1/actions/1/result", "{\"status\": \"failed\", \"error\":"
                    + " {\"errno\": \"ENOSPC\", \"message\": \"no space\"}}"),
            new Target("POST", "/api/v1/scenarios?timeLimit=300ms", "{\"name\": \"fuzz\", \"base\": \"live\","
                    + " \"policy\": \"pack\", \"changes\": [{\"op\": \"addWorkloads\", \"count\": 3, \"profile\":"
                    + " {\"type\": \"dsa-wq\", \"instances\": 1}}, "
                    + " {\"op\": \"drainHosts\", \"hosts\": [\"node-2\"]}], \"growth\":"
                    + " [{\"profile\": {\"type\": \"dsa-wq\", \"instances\": 1}, \"perMonth\": 2}]}"),
            new Target("POST", "/api/v1/scenarios/1/commit", "{\"mode\": \"reserve\", \"ttlSeconds\": 60}"),
            new Target("POST", "/api/v1/tokens", "{\"name\": \"fuzz\", \"role\": \"executor\", \"host\": \"node-1\"}"));

    private static final List<String> PATHS_WITH_A_NAME = List.of("GET /api/v1/hosts/%s",
            "GET /api/v1/hosts/%s/actions", "POST /api/v1/hosts/%s/heartbeat", "GET /api/v1/placements/%s",
            "DELETE /api/v1/placements/%s", "GET /api/v1/policies/%s", "GET /api/v1/scenarios/%s",
            "GET /api/v1/scenarios/%s/events", "DELETE /api/v1/scenarios/%s", "DELETE /api/v1/tokens/%s",
            "GET /api/v1/hosts/node-1/actions/%s/result");

    @BeforeAll
    static void start() throws Exception {
        logs = Files.createTempDirectory("hostile-requests");
        postgres = new PostgresTestResource();
        datasource = postgres.start();
        service = ServiceReplica.launch("hostile", logs, datasource, Map.of());
        service.awaitReady();
        assertThat(send("POST", "/api/v1/fleet", TestFleets.dsa(2)).status()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/placements", "{\"workload\": \"vm-1\", \"type\": \"dsa-wq\"}")
                .status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @TestFactory
    Stream<DynamicTest> aBodyBrokenInOnePlaceIsRefusedWithAProblemAndWritesNothing() {
        var refusals = new AtomicInteger();
        var cases = IntStream.range(0, BODY_CASES).mapToObj(i -> {
            var seed = 0x6d6470L * 1_000 + i;
            var random = new Random(seed);
            var target = WRITERS.get(random.nextInt(WRITERS.size()));
            var breakage = breakage(random);
            return DynamicTest.dynamicTest("#" + i + " (seed " + seed + ") " + target + " with " + breakage, () -> {
                var before = fingerprint();
                var answer = send(target.method(), target.path(), breakage.apply(JSON.readTree(target.body())));
                if (assertNoServerError(target + " with " + breakage, answer)) {
                    refusals.incrementAndGet();
                    assertThat(fingerprint()).as("refused but wrote").isEqualTo(before);
                }
            });
        });
        return Stream.concat(cases, Stream.of(DynamicTest.dynamicTest("most breakages are refused",
                () -> assertThat(refusals.get()).as("refused of %d", BODY_CASES)
                        .isGreaterThanOrEqualTo(BODY_CASES * 8 / 10))));
    }

    @TestFactory
    Stream<DynamicTest> aHostileNameInAPathIsRefusedWithAProblemAndWritesNothing() {
        var refusals = new AtomicInteger();
        var cases = IntStream.range(0, NAME_CASES).mapToObj(i -> {
            var seed = 0x706174L * 1_000 + i;
            var random = new Random(seed);
            var template = PATHS_WITH_A_NAME.get(random.nextInt(PATHS_WITH_A_NAME.size()));
            var name = hostileName(random);
            var parts = template.split(" ", 2);
            var path = parts[1].formatted(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
            return DynamicTest.dynamicTest("#" + i + " (seed " + seed + ") " + parts[0] + " " + abbreviated(path),
                    () -> {
                        var before = fingerprint();
                        var answer = send(parts[0], path, parts[0].equals("POST") ? "{}" : null);
                        if (assertNoServerError(parts[0] + " " + path, answer)) {
                            refusals.incrementAndGet();
                        }
                        assertThat(fingerprint()).as("wrote").isEqualTo(before);
                    });
        });
        // "." is normalised away, so GET /api/v1/hosts/. lists the hosts: nearly all the rest must be refused
        return Stream.concat(cases, Stream.of(DynamicTest.dynamicTest("nearly all hostile names are refused",
                () -> assertThat(refusals.get()).as("refused of %d", NAME_CASES)
                        .isGreaterThanOrEqualTo(NAME_CASES * 9 / 10))));
    }

    @TestFactory
    Stream<DynamicTest> aHostileAuthorizationHeaderIsRefusedWith401() {
        return IntStream.range(0, HEADER_CASES).mapToObj(i -> {
            var seed = 0x617574L * 1_000 + i;
            var authorization = authorization(new Random(seed));
            return DynamicTest.dynamicTest("#" + i + " (seed " + seed + ") " + abbreviated(authorization), () -> {
                var request = HttpRequest.newBuilder(service.uri("/api/v1/placements"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", authorization).GET().build();
                var answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (authorization.length() > HEADER_LIMIT) {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(431);
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
                    assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
                }
            });
        });
    }

    private static final List<String> HOSTILE_NAMES = List.of("", " ", "..", ".", "../../etc/passwd", "/", "a/b",
            "..%2f..", "node-1\u0000", "node-1\n", "\r\nX-Injected: 1", "con\u202eexe", "ｎｏｄｅ－１", "-1",
            "99999999999999999999999", "1e400", "NaN", "' OR 1=1 --", "$(reboot)", "%00", "\u00ff\u00fe", "\ud800",
            "x".repeat(256));

    private static String hostileName(Random random) {
        var kind = random.nextInt(10);
        String name;
        if (kind < 4) {
            name = HOSTILE_NAMES.get(random.nextInt(HOSTILE_NAMES.size()));
        } else if (kind < 7) {
            name = text(random, 1 + random.nextInt(40), () -> (char) random.nextInt(0x10000));
        } else if (kind < 9) {
            var chars = "a./\\\u0000\t";
            name = text(random, 1 + random.nextInt(8), () -> chars.charAt(random.nextInt(chars.length())));
        } else {
            name = text(random, 5000, () -> (char) ('a' + random.nextInt(26)));
        }
        // a plain number is an id, not hostile: DELETE /api/v1/tokens/1 would revoke this test's token
        return !name.isBlank() && name.strip().chars().allMatch(Character::isDigit) ? name + "x" : name;
    }

    private static String authorization(Random random) {
        var fixed = List.of("Bearer", "Bearer ", "Bearer  ", "bearer mdp_", "Basic YWRtaW46YWRtaW4=",
                "Bearer mdp_" + "A".repeat(42), "Bearer mdp_" + "A".repeat(44), "Bearer mdp_" + "A".repeat(43),
                "Bearer " + "x".repeat(8000), "Bearer mdp_" + "\u00e9".repeat(43));
        var kind = random.nextInt(3);
        var printable = text(random, random.nextInt(200), () -> (char) (0x20 + random.nextInt(0x5f)));
        return kind == 0 ? fixed.get(random.nextInt(fixed.size())) : kind == 1 ? "Bearer " + printable.strip()
                : printable;
    }

    private static String text(Random random, int length, Supplier<Character> next) {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++) {
            text.append(next.get());
        }
        return text.toString();
    }

    private static Breakage breakage(Random random) {
        var kind = random.nextInt(10);
        if (kind < 6) {
            var replacements = Replacement.values();
            return inOnePlace(random.nextInt(1_000), replacements[random.nextInt(replacements.length)]);
        }
        if (kind < 8) {
            return unknownField(random.nextInt(1_000), text(random, 1 + random.nextInt(12),
                    () -> (char) ('a' + random.nextInt(26))));
        }
        var whole = WholeBody.values()[random.nextInt(WholeBody.values().length)];
        return new Named(whole.name(), whole::body);
    }

    /** How a valid body is broken: one place of it, or the whole. */
    interface Breakage {
        String apply(JsonNode valid);
    }

    /** A breakage with a name for the failure message. */
    private record Named(String name, Function<JsonNode, String> breaking) implements Breakage {

        @Override
        public String apply(JsonNode valid) {
            return breaking.apply(valid);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** What replaces a value: always of another JSON type than the value, or out of every range. */
    enum Replacement {
        OBJECT, ARRAY, TEXT, FRACTION, HUGE, NEGATIVE_HUGE, HOSTILE_NAME, MEGABYTE;

        JsonNode instead(JsonNode value) {
            return switch (this) {
                case OBJECT -> value.isObject() ? NODES.arrayNode() : NODES.objectNode().put("x", 1);
                case ARRAY -> value.isArray() ? NODES.objectNode() : NODES.arrayNode().add(1);
                case TEXT -> value.isTextual() ? NODES.arrayNode().add("x") : NODES.textNode(value.asText() + "x");
                case FRACTION -> value.isNumber() ? NODES.numberNode(value.asDouble() + 0.5)
                        : NODES.objectNode().put("x", 0.5);
                case HUGE -> value.isNumber() ? NODES.numberNode(new BigInteger("1" + "0".repeat(30)))
                        : NODES.arrayNode().add(NODES.numberNode(1e308));
                case NEGATIVE_HUGE -> value.isNumber() ? NODES.numberNode(new BigInteger("-9" + "9".repeat(30)))
                        : NODES.objectNode();
                case HOSTILE_NAME -> value.isTextual() ? NODES.textNode("../../" + value.asText() + "\u0000\n")
                        : NODES.textNode("../..");
                case MEGABYTE -> NODES.textNode("m".repeat(1_100_000));
            };
        }
    }

    /** Bodies broken as a whole. */
    enum WholeBody {
        EMPTY, NOT_JSON, TRUNCATED, DEEP_ARRAYS, DEEP_OBJECTS, TOP_LEVEL_ARRAY, TOP_LEVEL_STRING, NUL_BYTES;

        String body(JsonNode valid) {
            var text = valid.toString();
            return switch (this) {
                case EMPTY -> "";
                case NOT_JSON -> "hosts: [node-1]";
                case TRUNCATED -> text.substring(0, text.length() / 2);
                case DEEP_ARRAYS -> "[".repeat(50_000) + "]".repeat(50_000);
                case DEEP_OBJECTS -> "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000);
                case TOP_LEVEL_ARRAY -> "[" + text + "]";
                case TOP_LEVEL_STRING -> JSON.valueToTree(text).toString();
                case NUL_BYTES -> text.replace(":", ":\u0000");
            };
        }
    }

    private static Breakage inOnePlace(int pick, Replacement replacement) {
        return new Named(replacement + " at value #" + pick, valid -> {
            var copy = valid.deepCopy();
            var places = new ArrayList<Place>();
            collect(copy, places);
            var place = places.get(pick % places.size());
            place.set(replacement.instead(place.value()));
            return copy.toString();
        });
    }

    private static Breakage unknownField(int pick, String field) {
        return new Named("unknown field " + field + "_ in object #" + pick, valid -> {
            var copy = valid.deepCopy();
            var objects = new ArrayList<ObjectNode>();
            collectObjects(copy, objects);
            var candidates = objects.stream().filter(object -> !isOpenMap(object)).toList();
            candidates.get(pick % candidates.size()).put(field + "_", 1);
            return copy.toString();
        });
    }

    /** Labels, selectors, pools, costs and weights are maps whose keys are data: a new key there is not unknown. */
    private static boolean isOpenMap(ObjectNode object) {
        return object.size() > 0 && object.properties().stream().allMatch(field -> field.getValue().isValueNode())
                && !object.has("workload") && !object.has("name") && !object.has("status") && !object.has("op")
                && !object.has("executorVersion") && !object.has("mode") && !object.has("errno");
    }

    /** A value inside the body: the field of an object or the element of an array that holds it. */
    private record Place(JsonNode container, String field, int index) {

        JsonNode value() {
            return field != null ? container.get(field) : container.get(index);
        }

        void set(JsonNode replacement) {
            if (field != null) {
                ((ObjectNode) container).set(field, replacement);
            } else {
                ((ArrayNode) container).set(index, replacement);
            }
        }
    }

    private static void collect(JsonNode node, List<Place> places) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (!isOpenMap((ObjectNode) node) || field.getValue().isContainerNode()) {
                    places.add(new Place(node, field.getKey(), -1));
                }
                collect(field.getValue(), places);
            });
        } else if (node.isArray()) {
            for (var i = 0; i < node.size(); i++) {
                places.add(new Place(node, null, i));
                collect(node.get(i), places);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node.isObject()) {
            objects.add((ObjectNode) node);
        }
        node.elements().forEachRemaining(child -> collectObjects(child, objects));
    }

    /** Never a 5xx; a refusal is problem+json with a detail. Answers whether it was refused. */
    private static boolean assertNoServerError(String what, Answer answer) throws IOException {
        assertThat(answer.status()).as("%s answered %s: %s%s", what, answer.status(),
                abbreviated(answer.body()), answer.status() >= 500 ? lastLog() : "").isLessThan(500);
        if (answer.status() < 400) {
            return false;
        }
        if (answer.status() == 414 || answer.status() == 431) {
            // a request line or headers over Vert.x's caps: refused by the HTTP layer before any endpoint, bodiless
            return true;
        }
        assertThat(answer.contentType()).as(what).isEqualTo(Problem.MEDIA_TYPE);
        var problem = JSON.readTree(answer.body());
        assertThat(problem.path("detail").asText()).as("%s: %s", what, answer.body()).isNotBlank();
        assertThat(problem.path("status").asInt()).isEqualTo(answer.status());
        return true;
    }

    private static String abbreviated(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    private static String lastLog() throws IOException {
        return ServiceReplica.logsOf(List.of(service), 60);
    }

    /** What the service answered: the status, its Content-Type and body. */
    private record Answer(int status, String contentType, String body) {
    }

    private static Answer send(String method, String path, String body) throws IOException, InterruptedException {
        var size = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        if (size > BODY_LIMIT && !path.startsWith("/api/v1/fleet") && !path.startsWith("/api/v1/scenarios?")) {
            // refused by its Content-Length; sending the body would race the refusal that closes the connection
            var announced = RawHttp.announce(service.uri(path).toURL(), method, size);
            return new Answer(announced.status(), announced.contentType(), announced.body());
        }
        var request = service.request(path).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body());
    }

    private static String fingerprint() throws SQLException {
        try (var connection = DriverManager.getConnection(datasource.get("quarkus.datasource.jdbc.url"),
                datasource.get("quarkus.datasource.username"),
                datasource.getOrDefault("quarkus.datasource.password", ""));
                var statement = connection.createStatement();
                var rows = statement.executeQuery(FINGERPRINT)) {
            var digest = new StringBuilder();
            while (rows.next()) {
                digest.append(rows.getString(1)).append('=').append(rows.getString(2)).append(' ');
            }
            return digest.toString();
        }
    }

    private static String hostJson() {
        try {
            var fleet = JSON.readTree(TestFleets.dsa(1));
            return fleet.get("hosts").get(0).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.mdevplan.web.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.inject.Inject;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.web.problem.Problem;
import io.mdevplan.web.testing.AdminTokenByDefault;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Every endpoint with every kind of caller: no token, a malformed one, a revoked one, each role, and the executor of
 * another host. A caller the endpoint allows gets past authorization (whatever the request then answers); any other
 * gets 401 (no valid token) or 403 (the wrong role or host), as problem+json. The list of endpoints is checked
 * against the service's OpenAPI document, so a new endpoint cannot go unlisted.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class AuthorizationMatrixTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String HOST = "host-a";

    /** The callers with a valid token, by the name the matrix uses. */
    private static final String ADMIN = "admin";
    private static final String PLANNER = "planner";
    private static final String SCHEDULER = "scheduler";
    private static final String EXECUTOR = "executor of host-a";
    private static final String OTHER_EXECUTOR = "executor of host-b";

    private record Endpoint(String method, String template, String path, String body, Set<String> allowed) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final Set<String> READERS = Set.of(ADMIN, PLANNER, SCHEDULER);
    private static final Set<String> HOST_AGENTS = Set.of(ADMIN, EXECUTOR);

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/fleet", "/api/v1/fleet", "{\"hosts\": []}", Set.of(ADMIN)),
            new Endpoint("GET", "/api/v1/fleet", "/api/v1/fleet", null, Set.of(ADMIN, PLANNER)),
            new Endpoint("GET", "/api/v1/hosts", "/api/v1/hosts", null, READERS),
            new Endpoint("GET", "/api/v1/hosts/{name}", "/api/v1/hosts/" + HOST, null, READERS),
            new Endpoint("PUT", "/api/v1/hosts/{name}/inventory", "/api/v1/hosts/" + HOST + "/inventory", "{}",
                    HOST_AGENTS),
            new Endpoint("POST", "/api/v1/hosts/{name}/heartbeat", "/api/v1/hosts/" + HOST + "/heartbeat", "{}",
                    HOST_AGENTS),
            new Endpoint("GET", "/api/v1/hosts/{name}/actions", "/api/v1/hosts/" + HOST + "/actions", null,
                    HOST_AGENTS),
            new Endpoint("POST", "/api/v1/hosts/{name}/actions/{id}/result",
                    "/api/v1/hosts/" + HOST + "/actions/1/result", "{}", HOST_AGENTS),
            new Endpoint("GET", "/api/v1/policies", "/api/v1/policies", null, READERS),
            new Endpoint("GET", "/api/v1/policies/{name}", "/api/v1/policies/pack", null, READERS),
            new Endpoint("PUT", "/api/v1/policies/{name}", "/api/v1/policies/matrix", "{}", Set.of(ADMIN)),
            new Endpoint("POST", "/api/v1/placements", "/api/v1/placements", "{}", Set.of(ADMIN, SCHEDULER)),
            new Endpoint("POST", "/api/v1/placements:explain", "/api/v1/placements:explain", "{}", READERS),
            new Endpoint("GET", "/api/v1/placements", "/api/v1/placements", null, READERS),
            new Endpoint("GET", "/api/v1/placements/{workload}", "/api/v1/placements/vm-1", null, READERS),
            new Endpoint("DELETE", "/api/v1/placements/{workload}", "/api/v1/placements/vm-1", null,
                    Set.of(ADMIN, SCHEDULER)),
            new Endpoint("POST", "/api/v1/placements:batch", "/api/v1/placements:batch", "{}",
                    Set.of(ADMIN, SCHEDULER)),
            new Endpoint("POST", "/api/v1/scenarios", "/api/v1/scenarios", "{}", Set.of(ADMIN, PLANNER)),
            new Endpoint("GET", "/api/v1/scenarios", "/api/v1/scenarios", null, Set.of(ADMIN, PLANNER)),
            new Endpoint("GET", "/api/v1/scenarios/compare", "/api/v1/scenarios/compare?ids=1,2", null,
                    Set.of(ADMIN, PLANNER)),
            new Endpoint("GET", "/api/v1/scenarios/{id}", "/api/v1/scenarios/1", null, Set.of(ADMIN, PLANNER)),
            new Endpoint("GET", "/api/v1/scenarios/{id}/events", "/api/v1/scenarios/1/events", null,
                    Set.of(ADMIN, PLANNER)),
            new Endpoint("DELETE", "/api/v1/scenarios/{id}", "/api/v1/scenarios/1", null, Set.of(ADMIN, PLANNER)),
            new Endpoint("POST", "/api/v1/scenarios/{id}/commit", "/api/v1/scenarios/1/commit", "{}",
                    Set.of(ADMIN)),
            new Endpoint("DELETE", "/api/v1/scenarios/{id}/commit", "/api/v1/scenarios/1/commit", null,
                    Set.of(ADMIN)),
            new Endpoint("GET", "/api/v1/status", "/api/v1/status", null,
                    Set.of(ADMIN, PLANNER, SCHEDULER, EXECUTOR, OTHER_EXECUTOR)),
            new Endpoint("POST", "/api/v1/tokens", "/api/v1/tokens", "{}", Set.of(ADMIN)),
            new Endpoint("GET", "/api/v1/tokens", "/api/v1/tokens", null, Set.of(ADMIN)),
            new Endpoint("DELETE", "/api/v1/tokens/{id}", "/api/v1/tokens/999999", null, Set.of(ADMIN)));

    @TestHTTPResource("/")
    URI service;

    @Inject
    TestData data;

    /** Each caller's Authorization header, by caller; null for none. */
    private final Map<String, String> callers = new LinkedHashMap<>();

    @BeforeEach
    void tokens() {
        data.reset();
        callers.put("no token", null);
        callers.put("not a bearer token", "Basic YWRtaW46YWRtaW4=");
        callers.put("a token this service never made", "Bearer mdp_" + "x".repeat(43));
        callers.put(ADMIN, "Bearer " + AdminTokenByDefault.ADMIN_TOKEN);
        callers.put(PLANNER, "Bearer " + create("planner", null));
        callers.put(SCHEDULER, "Bearer " + create("scheduler", null));
        callers.put(EXECUTOR, "Bearer " + create("executor", HOST));
        callers.put(OTHER_EXECUTOR, "Bearer " + create("executor", "host-b"));
        var revoked = created("admin", null);
        given().delete("/api/v1/tokens/" + revoked.path("token.id")).then().statusCode(200);
        callers.put("a revoked admin token", "Bearer " + revoked.path("secret"));
    }

    @Test
    void everyEndpointAnswersEachCallerAsItsRoleAllows() throws Exception {
        var soft = new SoftAssertions();
        for (var endpoint : ENDPOINTS) {
            for (var caller : callers.entrySet()) {
                var answer = send(endpoint, caller.getValue());
                var who = caller.getKey();
                var expected = !READERS.contains(who) && !who.startsWith("executor") ? 401
                        : endpoint.allowed().contains(who) ? 0 : 403;
                if (expected == 0) {
                    soft.assertThat(answer.statusCode()).as("%s by %s: %s", endpoint, who, answer.body())
                            .isNotIn(401, 403);
                } else {
                    soft.assertThat(answer.statusCode()).as("%s by %s: %s", endpoint, who, answer.body())
                            .isEqualTo(expected);
                    soft.assertThat(answer.headers().firstValue("Content-Type")).as("%s by %s", endpoint, who)
                            .hasValue(Problem.MEDIA_TYPE);
                }
                if (expected == 401) {
                    soft.assertThat(answer.headers().firstValue("WWW-Authenticate")).as("%s by %s", endpoint, who)
                            .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void theMatrixListsEveryEndpointTheServiceHas() throws Exception {
        var openApi = new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(service.resolve(
                "q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString()).body());
        var served = new TreeSet<String>();
        openApi.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> served.add(method.toUpperCase() + " " + path.getKey())));
        served.removeIf(endpoint -> endpoint.contains("/test-probes/"));
        var listed = new TreeSet<String>();
        ENDPOINTS.forEach(endpoint -> listed.add(endpoint.method() + " " + endpoint.template()));
        assertThat(listed).isEqualTo(served);
    }

    @Test
    void aRefusalSaysWhichTokenAndWhichRoleOrHost() throws Exception {
        var wrongRole = send(ENDPOINTS.get(0), callers.get(PLANNER));
        assertThat(wrongRole.statusCode()).isEqualTo(403);
        assertThat(wrongRole.body()).contains("(role planner) may not POST /api/v1/fleet",
                "it needs one of the roles admin");
        var otherHost = send(ENDPOINTS.get(5), callers.get(OTHER_EXECUTOR));
        assertThat(otherHost.statusCode()).isEqualTo(403);
        assertThat(otherHost.body()).contains("is the executor of host host-b, not of host-a");
        var none = send(ENDPOINTS.get(2), null);
        assertThat(none.body()).contains("GET /api/v1/hosts needs a bearer token");
    }

    private String create(String role, String host) {
        return created(role, host).path("secret");
    }

    private ExtractableResponse<Response> created(String role, String host) {
        var body = new LinkedHashMap<String, String>();
        body.put("name", "matrix-" + role + "-" + UUID.randomUUID());
        body.put("role", role);
        if (host != null) {
            body.put("host", host);
        }
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/tokens")
                .then().statusCode(201).extract();
    }

    private HttpResponse<String> send(Endpoint endpoint, String authorization)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(service.resolve(endpoint.path().substring(1)))
                .timeout(Duration.ofSeconds(30))
                .method(endpoint.method(), endpoint.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(endpoint.body()));
        if (endpoint.body() != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

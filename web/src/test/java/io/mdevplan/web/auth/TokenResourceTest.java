package io.mdevplan.web.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.mdevplan.web.problem.Problem;
import io.mdevplan.web.testing.AdminTokenByDefault;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Making, listing and revoking tokens; the secret shown once and stored as its SHA-256 only. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TokenResourceTest {

    @Inject
    TestData data;

    @Inject
    TokenService tokens;

    @Test
    void aTokenWorksUntilRevokedAndOnlyItsHashIsStored() {
        var name = "sched-" + UUID.randomUUID();
        var created = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "role", "scheduler"))
                .post("/api/v1/tokens")
                .then().statusCode(201)
                .body("token.name", equalTo(name))
                .body("token.role", equalTo("scheduler"))
                .body("token.createdBy", equalTo("admin"))
                .body("secret", notNullValue())
                .extract();
        String secret = created.path("secret");
        String id = created.path("token.id");
        assertThat(secret).matches("mdp_[A-Za-z0-9_-]{43}");
        assertThat(data.column("SELECT secret_hash FROM api_tokens WHERE id = " + id))
                .containsExactly(TokenSecrets.hash(secret));
        // any column of any row, as text: the secret is stored nowhere
        assertThat(data.count("SELECT count(*) FROM api_tokens t WHERE strpos(t::text, '" + secret.substring(4)
                + "') > 0")).as("rows holding the secret").isZero();

        given().get("/api/v1/tokens").then().statusCode(200)
                .body("name", hasItem(name))
                .body(not(containsString(secret)));
        given().header("Authorization", "Bearer " + secret).get("/api/v1/placements").then().statusCode(200);

        given().delete("/api/v1/tokens/" + id).then().statusCode(200).body("revokedAt", notNullValue());
        given().header("Authorization", "Bearer " + secret).get("/api/v1/placements").then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("not a live token"));
        // revoking again answers the same
        given().delete("/api/v1/tokens/" + id).then().statusCode(200);
    }

    @Test
    void aBadTokenRequestIsRefusedWithEachProblemAndNothingStored() {
        var before = data.count("SELECT count(*) FROM api_tokens");
        given().contentType(ContentType.JSON).body(Map.of("name", "agent-x", "role", "executor"))
                .post("/api/v1/tokens").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("problems[0].path", equalTo("$.host"))
                .body("problems[0].message", containsString("bound to one host"));
        given().contentType(ContentType.JSON).body(Map.of("name", "ops", "role", "root"))
                .post("/api/v1/tokens").then().statusCode(400)
                .body("problems[0].path", equalTo("$.role"))
                .body("problems[0].message", containsString("admin, planner, scheduler, executor"));
        given().contentType(ContentType.JSON).body(Map.of("name", "ops", "role", "planner", "host", "host-a"))
                .post("/api/v1/tokens").then().statusCode(400)
                .body("problems[0].message", containsString("only an executor token is bound to a host"));
        given().contentType(ContentType.JSON).body(Map.of("name", "../../etc", "role", "planner"))
                .post("/api/v1/tokens").then().statusCode(400).body("problems[0].path",
                        equalTo("$.name"));
        given().contentType(ContentType.JSON).body(Map.of("name", "agent", "role", "executor", "host", "a/b"))
                .post("/api/v1/tokens").then().statusCode(400).body("problems[0].path",
                        equalTo("$.host"));
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"role\": \"planner\", \"extra\": 1}")
                .post("/api/v1/tokens").then().statusCode(400);
        given().delete("/api/v1/tokens/not-a-number").then().statusCode(404);
        assertThat(data.count("SELECT count(*) FROM api_tokens")).isEqualTo(before);
    }

    @Test
    void aLiveTokensNameIsTaken() {
        var name = "planner-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("name", name, "role", "planner"))
                .post("/api/v1/tokens").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", name, "role", "planner"))
                .post("/api/v1/tokens").then().statusCode(409).body("detail", containsString("Maybe choose"));
    }

    @Test
    void aStartMakesAnAdminTokenOnlyWhenNoneLivesAndNeverRevivesARevokedOne() {
        var admins = "SELECT count(*) FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL";
        assertThat(data.count(admins)).isPositive();
        var live = data.count(admins);
        tokens.ensureAdminToken();
        assertThat(data.count(admins)).isEqualTo(live);

        var configured = TokenSecrets.hash(AdminTokenByDefault.ADMIN_TOKEN);
        data.execute("UPDATE api_tokens SET revoked_at = now() WHERE role = 'admin' AND revoked_at IS NULL");
        try {
            assertThatThrownBy(tokens::ensureAdminToken).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("mdevplan.auth.bootstrap-admin-token is a revoked token")
                    .hasMessageContaining("Maybe");
            assertThat(data.count(admins)).isZero();
        } finally {
            // the other tests' admin token is that secret: it must live whatever happened above
            data.execute("UPDATE api_tokens SET revoked_at = NULL WHERE secret_hash = '" + configured + "'");
        }
    }
}

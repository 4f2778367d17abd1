package io.mdevplan.web.policy;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.planner.policy.PolicyCatalog;
import io.mdevplan.web.problem.ProblemException;
import io.mdevplan.web.problem.ProblemType;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.common.mapper.TypeRef;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class PolicyResourceTest {

    private static final String POLICIES = "/api/v1/policies";

    @Inject
    TestData data;

    @Inject
    PolicyService policies;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @Test
    void theBuiltInPoliciesAreSeededWithPackAsTheDefault() {
        var list = given().get(POLICIES).then().statusCode(200).contentType(ContentType.JSON)
                .extract().as(new TypeRef<List<PolicyView>>() { });

        assertThat(list).extracting(PolicyView::name)
                .containsExactly("headroom", "minimal-moves", "one-type-per-parent", "pack", "spread");
        assertThat(list).filteredOn(PolicyView::isDefault).extracting(PolicyView::name).containsExactly("pack");
        var pack = PolicyCatalog.byName("pack");
        assertThat(get("pack")).isEqualTo(new PolicyView("pack", pack.description(), pack.softWeights(), true,
                "release"));
        assertThat(policies.seedBuiltIns()).as("seeding again").isZero();
    }

    @Test
    void aNewPolicyIsCreatedWithEveryRuleWeighedThenReplaced() {
        var created = put("gentle", "{\"description\": \"spread, gently\", \"weights\": {\"pool-balance\": 2}}", 201);

        assertThat(created.weights()).containsEntry("pool-balance", 2L).containsEntry("moves", 0L).hasSize(6);
        assertThat(created.isDefault()).isFalse();
        assertThat(created.onFailure()).isEqualTo("release");

        var replaced = put("gentle", "{\"weights\": {\"moves\": 5}}", 200);

        assertThat(replaced.description()).isNull();
        assertThat(replaced.weights()).containsEntry("pool-balance", 0L).containsEntry("moves", 5L);
        assertThat(get("gentle")).isEqualTo(replaced);
    }

    @Test
    void aNewDefaultTakesOverFromThePreviousOne() {
        put("spread", "{\"weights\": {\"pool-balance\": 1, \"moves\": 10000}, \"default\": true}", 200);

        assertThat(data.column("SELECT name FROM policies WHERE is_default")).containsExactly("spread");
        assertThat(policies.policy(null).name()).isEqualTo("spread");
        assertThat(policies.policy(null).weight("pool-balance")).isEqualTo(1);
    }

    @Test
    void theDefaultCannotBeUnsetOnlyReplaced() {
        var before = data.fingerprint();

        var problem = problem(given().contentType(ContentType.JSON).body("{\"weights\": {}, \"default\": false}")
                .when().put(POLICIES + "/pack").then(), 409, "conflict");

        assertThat(at(problem, "$.default").value()).isEqualTo("false");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void everyUnknownRuleAndNegativeWeightIsNamed() {
        var before = data.fingerprint();

        var problem = problem(given().contentType(ContentType.JSON)
                .body("{\"weights\": {\"hosts-in-use\": -1, \"fragmentation\": 3, \"moves\": 1}}")
                .when().put(POLICIES + "/odd").then(), 400, "invalid-policy");

        assertThat(problem.problems()).hasSize(2);
        assertThat(at(problem, "$.weights.hosts-in-use").message()).contains("negative weight", "Maybe use 0");
        assertThat(at(problem, "$.weights.fragmentation").message()).contains("unknown rule fragmentation",
                "Maybe use one of: parents-in-use");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void weightsAreRequiredAndMustBeIntegers() {
        var missing = problem(given().contentType(ContentType.JSON).body("{\"description\": \"x\"}")
                .when().put(POLICIES + "/odd").then(), 400, "invalid-policy");
        var fraction = problem(given().contentType(ContentType.JSON).body("{\"weights\": {\"moves\": 1.5}}")
                .when().put(POLICIES + "/odd").then(), 400, "invalid-body");
        var unknownField = problem(given().contentType(ContentType.JSON).body("{\"weights\": {}, \"defaults\": true}")
                .when().put(POLICIES + "/odd").then(), 400, "invalid-body");

        assertThat(at(missing, "$.weights").message()).isEqualTo("required");
        assertThat(at(fraction, "$.weights.moves").message()).contains("Maybe");
        assertThat(at(unknownField, "$.defaults").message()).contains("unknown field");
        assertThat(data.count("SELECT count(*) FROM policies WHERE name = 'odd'")).isZero();
    }

    @Test
    void whatFollowsAFailedCreateIsReleaseUntilSetAndKeptWhenLeftOut() {
        var created = put("retry", "{\"weights\": {\"hosts-in-use\": 1000}, \"onFailure\": \"replace\"}", 201);
        var kept = put("retry", "{\"weights\": {\"hosts-in-use\": 100}}", 200);
        put("pack", "{\"weights\": {\"hosts-in-use\": 1000}, \"onFailure\": \"replace\"}", 200);
        var released = put("pack", "{\"weights\": {\"hosts-in-use\": 1000}, \"onFailure\": \"release\"}", 200);

        assertThat(created.onFailure()).isEqualTo("replace");
        assertThat(kept.onFailure()).isEqualTo("replace");
        assertThat(released.onFailure()).isEqualTo("release");
        assertThat(data.column("SELECT name || ' ' || on_failure FROM policies WHERE name IN ('pack', 'retry')"
                + " ORDER BY name")).containsExactly("pack release", "retry replace");
        assertThat(policies.onFailure("retry")).isEqualTo(OnFailure.REPLACE);
        // the default policy's, for placements that name none
        assertThat(policies.onFailure(null)).isEqualTo(OnFailure.RELEASE);
        put("retry", "{\"weights\": {}, \"default\": true}", 200);
        assertThat(policies.onFailure(null)).isEqualTo(OnFailure.REPLACE);
    }

    @Test
    void anUnknownOnFailureIsNamedWithTheBadWeights() {
        var before = data.fingerprint();

        var problem = problem(given().contentType(ContentType.JSON)
                .body("{\"weights\": {\"moves\": -1}, \"onFailure\": \"retry\"}")
                .when().put(POLICIES + "/odd").then(), 400, "invalid-policy");

        assertThat(problem.detail()).contains("2 problems");
        assertThat(at(problem, "$.onFailure").value()).isEqualTo("retry");
        assertThat(at(problem, "$.onFailure").message()).contains("Maybe use release", "or replace");
        assertThat(at(problem, "$.weights.moves").value()).isEqualTo("-1");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void anUnknownPolicyIs404ListingTheKnownOnes() {
        var problem = problem(given().get(POLICIES + "/packed").then(), 404, "not-found");

        assertThat(problem.detail()).contains("Maybe use one of: headroom, minimal-moves");
    }

    @Test
    void anUnsafePolicyNameIsRefused() {
        var problem = problem(given().contentType(ContentType.JSON).body("{\"weights\": {}}")
                .when().put(POLICIES + "/a..b").then(), 400, "invalid-name");

        assertThat(at(problem, "{name}").value()).isEqualTo("a..b");
    }

    @Test
    void thePlacementCodeGetsPlannerPolicies() {
        assertThat(policies.policy(null)).isEqualTo(PolicyCatalog.defaultPolicy());
        assertThat(policies.policy("spread")).isEqualTo(PolicyCatalog.byName("spread"));
        assertThatThrownBy(() -> policies.policy("nope"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.UNPROCESSABLE);
                    assertThat(e.problems()).extracting(item -> item.path()).containsExactly("$.policy");
                });
    }

    @Test
    void withoutADefaultPolicyReadinessIsDown() {
        data.execute("UPDATE policies SET is_default = false");

        var health = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();

        assertThat(health.getString("checks.find { it.name == 'mdevplan default policy' }.status")).isEqualTo("DOWN");
        assertThatThrownBy(() -> policies.policy(null)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("Maybe PUT one");
    }

    private static PolicyView get(String name) {
        return given().get(POLICIES + "/" + name).then().statusCode(200).extract().as(PolicyView.class);
    }

    private static PolicyView put(String name, String body, int status) {
        return given().contentType(ContentType.JSON).body(body).when().put(POLICIES + "/" + name)
                .then().statusCode(status).contentType(ContentType.JSON).extract().as(PolicyView.class);
    }
}

package io.mdevplan.web.problem;

import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.mdevplan.web.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The REST layer's own errors answer as problem details too. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ProblemDetailsTest {

    private static final String PROBE = "/api/v1/test-probes/binding";

    @Test
    void anUnknownRouteUnderTheApiIs404() {
        var problem = problem(given().get("/api/v1/hostz").then(), 404, "not-found");

        assertThat(problem.detail()).contains("GET /api/v1/hostz", "/q/openapi");
        assertThat(problem.instance()).isEqualTo("/api/v1/hostz");
    }

    @Test
    void aWrongMethodIs405PointingToTheAllowedOnes() {
        var problem = problem(given().delete("/api/v1/fleet").then(), 405, "method-not-allowed");

        assertThat(problem.detail()).contains("DELETE /api/v1/fleet is not allowed", "OPTIONS /api/v1/fleet");
        assertThat(given().options("/api/v1/fleet").then().statusCode(200).extract().header("Allow"))
                .contains("GET", "POST");
    }

    @Test
    void anUnacceptableAcceptIs406() {
        var problem = problem(given().accept(ContentType.XML).get("/api/v1/policies").then(), 406,
                "not-acceptable");

        assertThat(problem.detail()).contains("application/xml");
    }

    @Test
    void jsonTheRestLayerCannotBindIs400WithItsPath() {
        var wrongType = problem(given().contentType(ContentType.JSON).body("{\"name\": \"a\", \"count\": \"many\"}")
                .when().post(PROBE).then(), 400, "invalid-body");
        var malformed = problem(given().contentType(ContentType.JSON).body("{\"name\": ")
                .when().post(PROBE).then(), 400, "invalid-body");

        assertThat(wrongType.problems()).extracting(ProblemItem::path).containsExactly("$.count");
        assertThat(malformed.detail()).contains("at line 1");
    }

    @Test
    void aWrongContentTypeIs415() {
        var problem = problem(given().contentType(ContentType.XML).body("<policy/>")
                .when().put("/api/v1/policies/pack").then(), 415, "unsupported-media-type");

        assertThat(problem.detail()).contains("application/xml", "Maybe send Content-Type: application/json");
    }
}

package io.mdevplan.web.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Health, metrics and the API description the service publishes under /q. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ObservabilityTest {

    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @Test
    void readinessIncludesTheDefaultPolicy() {
        var health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();

        assertThat(health.getString("checks.find { it.name == 'mdevplan default policy' }.status")).isEqualTo("UP");
        assertThat(health.getString("checks.find { it.name == 'mdevplan default policy' }.data.policy"))
                .isEqualTo("pack");
    }

    @Test
    void importsAndInventoryUpdatesAreCounted() {
        var imports = counter("mdevplan_fleet_imports_total");
        var updates = counter("mdevplan_inventory_updates_total");

        given().contentType(ContentType.JSON).body(TestData.example("kernel-samples.json"))
                .when().post("/api/v1/fleet").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"parents\": []}")
                .when().put("/api/v1/hosts/lab-01/inventory").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"hosts\": [{}]}")
                .when().post("/api/v1/fleet").then().statusCode(422);

        assertThat(counter("mdevplan_fleet_imports_total")).isEqualTo(imports + 1);
        assertThat(counter("mdevplan_inventory_updates_total")).isEqualTo(updates + 1);
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpoints() {
        var openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();

        assertThat(openapi.getMap("paths")).containsKeys("/api/v1/fleet", "/api/v1/hosts", "/api/v1/hosts/{name}",
                "/api/v1/hosts/{name}/inventory", "/api/v1/hosts/{name}/heartbeat", "/api/v1/policies",
                "/api/v1/policies/{name}");
        assertThat(openapi.getString("paths.'/api/v1/fleet'.post.summary")).contains("Replace the whole fleet");
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static double counter(String name) {
        var metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}

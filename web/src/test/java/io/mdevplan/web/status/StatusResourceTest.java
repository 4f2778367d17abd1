package io.mdevplan.web.status;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.mdevplan.web.testing.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class StatusResourceTest {

    @Test
    void statusNamesTheServiceTheDatabaseAndTheSchemaVersion() {
        var status = given()
                .when().get("/api/v1/status")
                .then().statusCode(200).contentType("application/json")
                .extract().as(Status.class);

        assertThat(status.service()).isEqualTo("mdevplan");
        assertThat(status.database()).contains("PostgreSQL");
        assertThat(status.schemaVersion()).isEqualTo("7");
    }

    @Test
    void readinessIncludesTheDatasourceAndIsUp() {
        var health = given()
                .when().get("/q/health/ready")
                .then().statusCode(200)
                .extract().jsonPath();

        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getList("checks.name", String.class)).contains("Database connections health check");
        assertThat(health.getString("checks.find { it.name == 'Database connections health check' }.status"))
                .isEqualTo("UP");
    }
}

package io.mdevplan.web.placement;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.mdevplan.web.testing.TestFleets;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class PlacementExplainTest {

    @Inject
    TestData data;

    @BeforeEach
    void twoDsaHosts() {
        data.reset();
        given().contentType(ContentType.JSON).body(TestFleets.dsa(2)).post("/api/v1/fleet").then().statusCode(200);
    }

    @Test
    void answersWhereAPostWouldPlaceTheRequestAndBooksNothing() {
        var before = data.fingerprint();

        var explained = explain(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 3,
                "hostSelector", Map.of("zone", "b"))).statusCode(200).extract().as(Explanation.class);

        assertThat(explained).isEqualTo(new Explanation("vm-1", "dsa-wq", 3, "pack", "fits", "node-2",
                "0000:6a:01.0", null, 1));
        assertThat(data.fingerprint()).as("nothing written").isEqualTo(before);
        var placed = given().contentType(ContentType.JSON).body(Map.of("workload", "vm-1", "type", "dsa-wq",
                "instances", 3, "hostSelector", Map.of("zone", "b"))).post("/api/v1/placements")
                .then().statusCode(201).extract().as(PlacementView.class);
        assertThat(placed.host() + "/" + placed.parent()).isEqualTo(explained.host() + "/" + explained.parent());
    }

    @Test
    void answersARequestNothingCanTakeWithThePlannersReason() {
        var explained = explain(Map.of("workload", "vm-1", "type", "dsa-wq", "instances", 4,
                "hostSelector", Map.of("zone", "c"), "policy", "spread")).statusCode(200)
                .extract().as(Explanation.class);

        assertThat(explained.outcome()).isEqualTo("refused");
        assertThat(explained.policy()).isEqualTo("spread");
        assertThat(explained.host()).isNull();
        assertThat(explained.acceptingParents()).isZero();
        assertThat(explained.reason()).startsWith("Nothing can take vm-1 (dsa-wq x4): no schedulable parent on hosts"
                + " with zone=c").contains("Maybe");
        assertThat(data.count("SELECT count(*) FROM placements")).isZero();
    }

    @Test
    void refusesAnInvalidRequestAsAPostDoes() {
        var refused = problem(explain(Map.of("workload", "../vm", "type", "nvidia-99")), 422, "invalid-placement");

        assertThat(at(refused, "$.workload").value()).isEqualTo("../vm");
        assertThat(at(refused, "$.type").message()).contains("dsa-wq");
        problem(given().contentType(ContentType.JSON).body("{\"workload\": \"vm-1\", \"type\": \"dsa-wq\", \"x\": 1}")
                .urlEncodingEnabled(false).post("/api/v1/placements:explain").then(), 400, "invalid-body");
    }

    private static ValidatableResponse explain(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).urlEncodingEnabled(false)
                .post("/api/v1/placements:explain").then();
    }
}

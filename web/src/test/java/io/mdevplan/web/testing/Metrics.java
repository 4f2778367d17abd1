package io.mdevplan.web.testing;

import static io.restassured.RestAssured.given;

import java.util.Arrays;

/** Reads the service's Prometheus metrics (/q/metrics). */
public final class Metrics {

    private Metrics() {
    }

    /** The sum of the metric's series that carry every label given ({@code op="create"}); 0 when there is none. */
    public static double value(String name, String... labels) {
        var metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}

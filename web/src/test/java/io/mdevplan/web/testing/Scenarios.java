package io.mdevplan.web.testing;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Scenarios through the API: documents on the {@link TestFleets#dsa} fleets, posted, awaited. */
public final class Scenarios {

    /** How long a test waits for a scenario on a handful of hosts to get somewhere; far above what it takes. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private Scenarios() {
    }

    /** A scenario on the live fleet adding {@code count} mdpy-vga workloads in the zone, counting mdpy-vga headroom. */
    public static Map<String, Object> addMdpy(int count, String zone) {
        return Map.of("name", "add-" + count, "base", "live",
                "changes", List.of(Map.of("op", "addWorkloads", "count", count, "profile",
                        Map.of("type", "mdpy-vga", "hostSelector", Map.of("zone", zone)))),
                "headroomProfiles", List.of(Map.of("type", "mdpy-vga")));
    }

    public static ValidatableResponse post(Object scenario, String timeLimit) {
        var request = given().contentType(ContentType.JSON).body(scenario);
        if (timeLimit != null) {
            request = request.queryParam("timeLimit", timeLimit);
        }
        return request.post("/api/v1/scenarios").then();
    }

    /** Posts the scenario (202) and answers its id. */
    public static String submit(Object scenario, String timeLimit) {
        return post(scenario, timeLimit).statusCode(202).extract().jsonPath().getString("id");
    }

    public static JsonPath get(String id) {
        return given().get("/api/v1/scenarios/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The scenario once it is in one of the states. */
    public static JsonPath await(String id, String... states) {
        var wanted = Set.of(states);
        var deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            var scenario = get(id);
            if (wanted.contains(scenario.getString("state"))) {
                return scenario;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Scenario " + id + " is " + scenario.getString("state") + ", not one of "
                        + wanted + ", after " + PATIENCE + ": " + scenario.prettify());
            }
            pause();
        }
    }

    /** Posts the scenario and waits until it is done; answers its id. */
    public static String done(Object scenario) {
        var id = submit(scenario, "5s");
        await(id, "done");
        return id;
    }

    public static ValidatableResponse commit(String id, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/scenarios/" + id + "/commit").then();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for a scenario", e);
        }
    }
}

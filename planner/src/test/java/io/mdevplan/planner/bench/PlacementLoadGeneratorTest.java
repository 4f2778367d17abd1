package io.mdevplan.planner.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.online.PlacementRequest;
import io.mdevplan.planner.service.BearerToken;

class PlacementLoadGeneratorTest {

    /** 6 hosts of 8 parents: fills up within a few thousand requests. */
    private static final FleetDocument SMALL = FleetGenerator.generate(6, 42, 0.0, 8);
    /** 40 hosts: a few hundred requests fit with room to spare. */
    private static final FleetDocument ROOMY = FleetGenerator.generate(40, 42, 0.0, 8);

    @Test
    void answersCountByStatusAndProblemType() {
        var placed = "{\"workload\": \"lg-000001\", \"host\": \"h\", \"parent\": \"p\", \"uuid\": \"u\"}";
        var full = "{\"type\": \"urn:mdevplan:problem:no-capacity\", \"detail\": \"no parent fits\"}";
        var conflict = "{\"type\": \"urn:mdevplan:problem:conflict\", \"detail\": \"retry\"}";

        assertThat(PlacementLoadGenerator.classify(201, "application/json", placed).kind())
                .isEqualTo(PlacementLoadGenerator.Kind.CREATED);
        assertThat(PlacementLoadGenerator.classify(200, "application/json", placed).kind())
                .isEqualTo(PlacementLoadGenerator.Kind.ALREADY_PLACED);
        assertThat(PlacementLoadGenerator.classify(409, "application/problem+json; charset=UTF-8", full).kind())
                .isEqualTo(PlacementLoadGenerator.Kind.REFUSED);
        assertThat(PlacementLoadGenerator.classify(409, "application/problem+json", conflict))
                .isEqualTo(new PlacementLoadGenerator.Outcome(PlacementLoadGenerator.Kind.ERROR,
                        "409 urn:mdevplan:problem:conflict"));
        // A no-capacity body that does not say it is a problem is not trusted as a refusal.
        assertThat(PlacementLoadGenerator.classify(409, "application/json", full).error())
                .isEqualTo("409 application/json");
        assertThat(PlacementLoadGenerator.classify(500, null, "").error()).isEqualTo("500 (no content type)");
        assertThat(PlacementLoadGenerator.classify(201, "application/json", "{\"workload\": \"x\"}").error())
                .isEqualTo("201 without host and parent");
        assertThat(PlacementLoadGenerator.classify(404, "text/html", "<html>").error()).isEqualTo("404 text/html");
    }

    @Test
    void theRequestBodyLeavesOutWhatIsNotAskedFor() throws IOException {
        var plain = PlacementLoadGenerator.body(new PlacementRequest("lg-000001", "nvidia-47", 1, 3, null, Map.of()), null);
        var full = PlacementLoadGenerator.body(new PlacementRequest("lg-000002", "idxd-dsa-1dwq-v1", 4, 9, "lg-aa-00001",
                Map.of("zone", "b")), "spread");

        assertThat(plain).isEqualTo("{\"workload\":\"lg-000001\",\"type\":\"nvidia-47\",\"instances\":1,\"priority\":3,"
                + "\"hostSelector\":{}}");
        var json = FleetJson.mapper().readTree(full);
        assertThat(json.get("antiAffinityGroup").asText()).isEqualTo("lg-aa-00001");
        assertThat(json.get("hostSelector").get("zone").asText()).isEqualTo("b");
        assertThat(json.get("policy").asText()).isEqualTo("spread");
        assertThat(json.get("instances").asInt()).isEqualTo(4);
    }

    @Test
    void runsUntilTheFleetIsFullCountingWhatTheServiceAnswered() throws IOException {
        try (var service = FakePlacementService.start(SMALL)) {
            var result = PlacementLoadGenerator.run(options(service.url(), 20_000, 4, 50));

            assertThat(result.stoppedBecause()).contains("full").contains("50 refusals in a row");
            assertThat(result.sent()).isLessThan(20_000).isEqualTo(service.posts());
            assertThat(result.created()).isPositive().isEqualTo(service.created());
            assertThat(result.refused()).isGreaterThanOrEqualTo(50).isEqualTo(service.refused());
            assertThat(result.alreadyPlaced()).isZero();
            assertThat(result.errors()).isZero();
            assertThat(result.created() + result.refused()).isEqualTo(result.sent());
            assertThat(result.placedLatency().count()).isEqualTo(result.created());
            assertThat(result.refusedLatency().count()).isEqualTo(result.refused());
            assertThat(result.placedLatency().p99()).isGreaterThan(0).isLessThanOrEqualTo(result.placedLatency().max());
            assertThat(result.hosts()).isEqualTo(6);
            assertThat(result.parents()).isEqualTo(48);
            assertThat(result.audit().pools()).isPositive();
            assertThat(result.audit().overbookedPools()).isZero();
            assertThat(result.failed()).isFalse();
            assertThat(PlacementLoadGenerator.markdown(new PlacementLoadGenerator.Report(PlannerBenchmark.machine(),
                    result))).contains("| sent | placed (201) |", "refused (409 no-capacity)",
                    "Stopped early: the fleet is full");
        }
    }

    @Test
    void theWarmUpIsReleasedAgainAndNotCounted() throws IOException {
        try (var service = FakePlacementService.start(SMALL)) {
            var result = PlacementLoadGenerator.run(new PlacementLoadGenerator.Options(service.url(), 50, 3, 42, null,
                    500, 6_000, null));

            // more than the fleet holds: placed and released in rounds, so the measured requests find it empty
            var warmUp = result.warmUp();
            assertThat(warmUp.sent()).isEqualTo(6_000);
            assertThat(warmUp.placed()).isPositive().isEqualTo(warmUp.released()).isEqualTo(service.released());
            assertThat(warmUp.errors()).isZero();
            assertThat(result.sent()).isEqualTo(50);
            assertThat(result.created()).isEqualTo(50);
            assertThat(service.created()).isEqualTo(warmUp.placed() + 50);
            assertThat(result.failed()).isFalse();
            assertThat(PlacementLoadGenerator.markdown(new PlacementLoadGenerator.Report(PlannerBenchmark.machine(),
                    result))).contains("Warm-up first, not counted: 6,000 requests (seed 43, workloads lg-warmup-*), "
                            + String.format("%,d placed, %,d released again, 0 errors.", warmUp.placed(),
                                    warmUp.released()));
        }
    }

    @Test
    void theSameRequestsAgainArePlacedAlready() throws IOException {
        try (var service = FakePlacementService.start(ROOMY)) {
            var first = PlacementLoadGenerator.run(options(service.url(), 300, 3, 500));
            var again = PlacementLoadGenerator.run(options(service.url(), 300, 3, 500));

            assertThat(first.refused()).as("the fixture must have room for every request").isZero();
            assertThat(first.created()).isEqualTo(300);
            assertThat(first.stoppedBecause()).isNull();
            assertThat(again.created()).isZero();
            assertThat(again.alreadyPlaced()).isEqualTo(300);
            assertThat(again.placedLatency().count()).isEqualTo(300);
            assertThat(again.failed()).isFalse();
        }
    }

    @Test
    void serviceErrorsAreCountedByKindAndFailTheRun() throws IOException {
        try (var service = FakePlacementService.failingEvery(ROOMY, 5)) {
            var result = PlacementLoadGenerator.run(options(service.url(), 200, 4, 500));

            assertThat(result.sent()).isEqualTo(200);
            assertThat(result.errors()).isEqualTo(40).isEqualTo(service.failed());
            assertThat(result.errorsByKind()).containsExactly(Map.entry("500 urn:mdevplan:problem:internal", 40));
            assertThat(result.errorSamples()).isNotEmpty()
                    .allSatisfy(sample -> assertThat(sample).contains("injected failure"));
            assertThat(result.created()).isEqualTo(160);
            assertThat(result.failed()).isTrue();
        }
    }

    @Test
    void aServiceThatKeepsFailingStopsTheRun() throws IOException {
        try (var service = FakePlacementService.failingEvery(ROOMY, 1)) {
            var result = PlacementLoadGenerator.run(options(service.url(), 5000, 2, 500));

            assertThat(result.stoppedBecause()).contains("failing");
            assertThat(result.sent()).isLessThan(5000);
            assertThat(result.errors()).isEqualTo(result.sent());
        }
    }

    @Test
    void anOverbookedPoolFailsTheAudit() throws IOException {
        try (var service = FakePlacementService.overbooking(ROOMY)) {
            var result = PlacementLoadGenerator.run(options(service.url(), 50, 2, 500));

            assertThat(result.errors()).isZero();
            assertThat(result.audit().overbookedPools()).isEqualTo(1);
            assertThat(result.audit().overbooked()).singleElement().asString().startsWith("host-00000/");
            assertThat(result.failed()).isTrue();
        }
    }

    @Test
    void everyKindOfRequestCarriesTheToken() throws IOException {
        try (var service = FakePlacementService.requiringToken(ROOMY, "mdp_loadgen")) {
            var result = PlacementLoadGenerator.run(new PlacementLoadGenerator.Options(service.url(), 30, 2, 42, null,
                    500, 10, new BearerToken("mdp_loadgen")));

            // a request without the token would have been answered 401 and counted as an error
            assertThat(result.errors()).isZero();
            assertThat(result.warmUp().errors()).isZero();
            assertThat(result.warmUp().released()).isPositive();
            assertThat(result.failed()).isFalse();
            assertThat(service.authorizedRequestKinds()).containsExactlyInAnyOrder("GET /api/v1/fleet",
                    "POST /api/v1/placements", "DELETE /api/v1/placements/{workload}", "GET /api/v1/hosts");
        }
    }

    @Test
    void aServiceThatNeedsATokenRefusesARunWithoutOne() throws IOException {
        try (var service = FakePlacementService.requiringToken(ROOMY, "mdp_loadgen")) {
            assertThatThrownBy(() -> PlacementLoadGenerator.run(options(service.url(), 10, 1, 500)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/api/v1/fleet answered 401")
                    .hasMessageContaining("Maybe pass --token-file");
            assertThatThrownBy(() -> PlacementLoadGenerator.run(new PlacementLoadGenerator.Options(service.url(), 10, 1,
                    42, null, 500, 0, new BearerToken("mdp_other")))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("answered 401");
            assertThat(service.authorizedRequestKinds()).isEmpty();
        }
    }

    @Test
    void aServiceThatIsNotThereIsTheUsersToFix() throws IOException {
        URI gone;
        try (var service = FakePlacementService.start(SMALL)) {
            gone = service.url();
        }
        assertThatThrownBy(() -> PlacementLoadGenerator.run(options(gone, 10, 1, 500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(gone + "/api/v1/fleet")
                .hasMessageContaining("Maybe start the service");
        assertThatThrownBy(() -> options(URI.create("localhost:8080"), 10, 1, 500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Maybe use http://localhost:8080");
        assertThatThrownBy(() -> options(URI.create("http://localhost:8080"), 10, 0, 500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency of 0");
    }

    private static PlacementLoadGenerator.Options options(URI url, int requests, int concurrency, int stopAfterRefusals) {
        return new PlacementLoadGenerator.Options(url, requests, concurrency, 42, null, stopAfterRefusals, 0, null);
    }
}

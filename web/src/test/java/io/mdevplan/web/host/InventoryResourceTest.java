package io.mdevplan.web.host;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.web.placement.PlacementView;
import io.mdevplan.web.problem.Problem;
import io.mdevplan.web.testing.AdminTokenByDefault;
import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.RawHttp;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class InventoryResourceTest {

    private static final String PLACED = "5f6c4a9e-8c1e-4a5e-9a0b-2f1d3c4b5a61";
    private static final String FOREIGN = "9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
    private static final String NEW = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

    @Inject
    TestData data;

    @TestHTTPResource("/api/v1/hosts/lab-01/inventory")
    URL inventoryUrl;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @Test
    void aNewHostIsCreatedThenItsInventoryReplaced() {
        var created = put("lab-01", body(null, mtty(List.of(device(NEW, "mtty-1", null)))), 201);

        assertThat(created.host().name()).isEqualTo("lab-01");
        assertThat(created.host().lastHeartbeatAt()).isNotNull();
        assertThat(created.host().lastInventoryAt()).isEqualTo(created.host().lastHeartbeatAt());
        assertThat(created.host().parents().get(0).pools()).containsExactly(new PoolView("ports", 24, 1, 23));

        var replaced = put("lab-01", body(null, mbochs(List.of())), 200);

        assertThat(replaced.host().parents()).extracting(ParentView::address).containsExactly("mbochs");
        assertThat(data.column("SELECT p.address FROM parents p JOIN hosts h ON h.id = p.host_id"
                + " WHERE h.name = 'lab-01'")).containsExactly("mbochs");
        assertThat(data.count("SELECT count(*) FROM devices")).isZero();
        assertThat(data.count("SELECT count(*) FROM pools")).isEqualTo(1);
    }

    /** This replica's placement index takes a host in as its inventory commits, not at its next sync. */
    @Test
    void aHostCanBePlacedOnAsSoonAsItsInventoryIsStored() {
        put("lab-01", body(null, mtty(List.of())), 201);
        place("vm-1", "mtty-1");

        put("lab-02", body(null, mbochs(List.of())), 201);

        assertThat(place("vm-2", "mbochs-small").host()).isEqualTo("lab-02");
    }

    private static PlacementView place(String workload, String type) {
        return given().contentType(ContentType.JSON).body(Map.of("workload", workload, "type", type))
                .when().post("/api/v1/placements").then().statusCode(201).extract().as(PlacementView.class);
    }

    @Test
    void aPlacedDeviceTheHostNoLongerReportsMarksItsPlacementAndComesBackInStep() {
        importPlaced();

        var gone = put("lab-01", body(null, mtty(List.of())), 200);

        assertThat(gone.drift()).containsExactly(new DriftLine("placement", PLACED, "mtty", "serial-1",
                "device " + PLACED + " is no longer reported by host lab-01 on parent mtty"));
        assertThat(data.column("SELECT state || ' ' || drift FROM placements"))
                .containsExactly("active device " + PLACED + " is no longer reported by host lab-01 on parent mtty");
        // it still holds its capacity, shown as reserved
        var parent = gone.host().parents().get(0);
        assertThat(parent.pools()).containsExactly(new PoolView("ports", 24, 2, 22));
        assertThat(parent.reserved()).extracting(ReservationView::drift).doesNotContainNull();

        var back = put("lab-01", body(null, mtty(List.of(device(PLACED, "mtty-2", null)))), 200);

        assertThat(back.drift()).isEmpty();
        assertThat(data.column("SELECT coalesce(drift, 'in step') FROM placements")).containsExactly("in step");
        // the host does not know workloads; the placement does
        assertThat(back.host().parents().get(0).devices()).containsExactly(
                new DeviceView(PLACED, "mtty-2", 1, "serial-1", "active", null));
    }

    @Test
    void aDeviceNoPlacementOwnsIsStoredAsUnplacedByMdevplan() {
        importPlaced();
        data.execute("INSERT INTO placements (workload, type_id) VALUES ('vm-waiting', 'mtty-1')");

        var report = put("lab-01", body(null, mtty(List.of(device(PLACED, "mtty-2", null),
                device(FOREIGN, "mtty-1", "someone-else"), device(NEW, "mtty-1", "vm-waiting")))), 200);

        assertThat(report.drift()).containsExactly(
                new DriftLine("device", FOREIGN, "mtty", "someone-else", "unplaced by mdevplan"));
        assertThat(data.column("SELECT uuid || ' ' || coalesce(drift, 'in step') FROM devices ORDER BY id"))
                .containsExactly(PLACED + " in step", FOREIGN + " unplaced by mdevplan", NEW + " in step");
    }

    @Test
    void aDeviceUnlikeItsPlacementMarksThePlacement() {
        importPlaced();

        var report = put("lab-01", body(null, mtty(List.of(device(PLACED, "mtty-1", null)))), 200);

        var why = "device " + PLACED + " is reported as mtty-1 x1 but was placed as mtty-2 x1";
        assertThat(report.drift()).containsExactly(new DriftLine("placement", PLACED, "mtty", "serial-1", why));
        assertThat(data.column("SELECT drift FROM devices")).containsExactly(why);
    }

    @Test
    void aVanishedParentLeavesItsPlacementWithoutParentButMarked() {
        importPlaced();

        var report = put("lab-01", body(null, mbochs(List.of())), 200);

        assertThat(report.drift()).extracting(DriftLine::drift).containsExactly("device " + PLACED
                + " is no longer reported by host lab-01, nor is its parent mtty");
        assertThat(data.column("SELECT state || ' ' || coalesce(parent_id::text, 'no parent') FROM placements"))
                .containsExactly("active no parent");
    }

    @Test
    void aPendingPlacementWhoseDeviceWasNeverReportedIsNotDrift() {
        importPlaced();
        data.execute("INSERT INTO placements (workload, type_id, parent_id, device_uuid, state)"
                + " SELECT 'vm-soon', 'mtty-1', id, '" + NEW + "', 'pending' FROM parents WHERE address = 'mtty'");

        var report = put("lab-01", body(null, mtty(List.of(device(PLACED, "mtty-2", null)))), 200);

        assertThat(report.drift()).isEmpty();
        assertThat(report.host().parents().get(0).reserved()).extracting(ReservationView::workload)
                .containsExactly("vm-soon");
    }

    @Test
    void labelsChangeOnlyWhenSomeAreSentAndSchedulableOnlyWhenSent() {
        importPlaced();
        data.execute("UPDATE hosts SET schedulable = false");

        put("lab-01", body(null, mtty(List.of(device(PLACED, "mtty-2", null)))), 200);

        assertThat(data.column("SELECT labels::text || ' ' || schedulable FROM hosts"))
                .containsExactly("{\"zone\": \"a\"} false");

        put("lab-01", FleetJson.toJson(new FleetHost("lab-01", Map.of("rack", "r1"), true, List.of(mtty(List.of(
                device(PLACED, "mtty-2", null)))))), 200);

        assertThat(data.column("SELECT labels::text || ' ' || schedulable FROM hosts"))
                .containsExactly("{\"rack\": \"r1\"} true");
    }

    @Test
    void anotherHostsNameInTheBodyIsRefused() {
        var problem = problem(given().contentType(ContentType.JSON)
                .body(FleetJson.toJson(new FleetHost("lab-02", null, null, List.of())))
                .when().put("/api/v1/hosts/lab-01/inventory").then(), 422, "unprocessable");

        assertThat(at(problem, "$.name").value()).isEqualTo("lab-02");
        assertThat(data.count("SELECT count(*) FROM hosts")).isZero();
    }

    @Test
    void anInvalidInventoryIsRefusedWithPathsInTheBodyAndNothingIsWritten() {
        importPlaced();
        var before = data.fingerprint();
        var overbooked = new FleetParent("mtty", "mtty", null, Map.of("ports", 2L), mttyTypes(),
                List.of(device(PLACED, "mtty-2", null), device(NEW, "mtty-9", null)));

        var problem = problem(given().contentType(ContentType.JSON).body(body(null, overbooked))
                .when().put("/api/v1/hosts/lab-01/inventory").then(), 422, "invalid-fleet");

        assertThat(at(problem, "$.parents[0].devices[1].type").value()).isEqualTo("mtty-9");
        assertThat(problem.detail()).contains("host lab-01", "nothing was stored");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void aDeviceStoredOnAnotherHostIsRefusedAndNothingIsWritten() {
        importPlaced();
        var before = data.fingerprint();

        var problem = problem(given().contentType(ContentType.JSON)
                .body(body(null, mtty(List.of(device(PLACED, "mtty-2", null)))))
                .when().put("/api/v1/hosts/lab-02/inventory").then(), 409, "conflict");

        assertThat(at(problem, "$.parents[0].devices[0].uuid").message()).contains("stored on lab-01/mtty");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void anUnsafeHostNameIsRefusedBeforeTheBodyIsRead() {
        var problem = problem(given().contentType(ContentType.JSON).body("not even json")
                .when().put("/api/v1/hosts/lab..01/inventory").then(), 400, "invalid-name");

        assertThat(at(problem, "{name}").value()).isEqualTo("lab..01");
        assertThat(data.count("SELECT count(*) FROM hosts")).isZero();
    }

    @Test
    void anUnknownFieldIsRefused() {
        var problem = problem(given().contentType(ContentType.JSON).body("{\"parents\": [], \"labelz\": {}}")
                .when().put("/api/v1/hosts/lab-01/inventory").then(), 400, "invalid-body");

        assertThat(at(problem, "$.labelz").message()).contains("unknown field");
        assertThat(data.count("SELECT count(*) FROM hosts")).isZero();
    }

    @Test
    void aBodyOverOneMegabyteIsRefusedWhetherAnnouncedOrChunked() throws Exception {
        var announced = RawHttp.announce(inventoryUrl, "PUT", 1024 * 1024 + 1);

        assertThat(announced.status()).isEqualTo(413);
        assertThat(announced.contentType()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(announced.body()).contains("1048576 bytes");

        var chunked = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create(inventoryUrl.toString()))
                        .header("Authorization", "Bearer " + AdminTokenByDefault.ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        // no length known up front: the body goes chunked, past the check on Content-Length
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> spaces(1024 * 1024 + 10)))
                        .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(data.count("SELECT count(*) FROM hosts")).isZero();
    }

    private static InputStream spaces(int count) {
        return new InputStream() {
            private int left = count;

            @Override
            public int read() {
                return left-- > 0 ? ' ' : -1;
            }
        };
    }

    /** lab-01 with an mtty parent holding device PLACED (mtty-2) of the listed workload serial-1. */
    private static void importPlaced() {
        var document = new FleetDocument(List.of(new FleetHost("lab-01", Map.of("zone", "a"), null,
                List.of(mtty(List.of(device(PLACED, "mtty-2", "serial-1")))))),
                List.of(new FleetWorkload("serial-1", "mtty-2", null, null, null, null)));
        given().contentType(ContentType.JSON).body(FleetJson.toJson(document))
                .when().post("/api/v1/fleet").then().statusCode(200);
    }

    private static InventoryReport put(String host, String body, int status) {
        return given().contentType(ContentType.JSON).body(body)
                .when().put("/api/v1/hosts/" + host + "/inventory")
                .then().statusCode(status).contentType(ContentType.JSON)
                .extract().as(InventoryReport.class);
    }

    private static String body(String name, FleetParent parent) {
        return FleetJson.toJson(new FleetHost(name, null, null, List.of(parent)));
    }

    private static FleetDevice device(String uuid, String type, String workload) {
        return new FleetDevice(uuid, type, null, workload);
    }

    private static List<FleetType> mttyTypes() {
        return List.of(new FleetType("mtty-1", "Single port serial", null, Map.of("ports", 1L), null, null),
                new FleetType("mtty-2", "Dual port serial", null, Map.of("ports", 2L), null, null));
    }

    private static FleetParent mtty(List<FleetDevice> devices) {
        return new FleetParent("mtty", "mtty", null, Map.of("ports", 24L), mttyTypes(), devices);
    }

    private static FleetParent mbochs(List<FleetDevice> devices) {
        return new FleetParent("mbochs", "mbochs", null, Map.of("video_mb", 256L),
                List.of(new FleetType("mbochs-small", "small", null, Map.of("video_mb", 4L), null, null)), devices);
    }
}

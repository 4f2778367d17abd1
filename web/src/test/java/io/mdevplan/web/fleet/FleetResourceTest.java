package io.mdevplan.web.fleet;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetType;
import io.mdevplan.planner.fleet.FleetWorkload;
import io.mdevplan.web.problem.Problem;
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
class FleetResourceTest {

    private static final String FLEET = "/api/v1/fleet";
    private static final String MTTY_DEVICE = "8e8c6f2d-1b5a-4d0e-a3c4-5f6a7b8c9d01";

    @Inject
    TestData data;

    @TestHTTPResource(FLEET)
    URL fleetUrl;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @ParameterizedTest
    @ValueSource(strings = {"i915-gvtg.json", "nvidia-vgpu.json", "kernel-samples.json", "siov-idxd.json"})
    void exportsWhatWasImported(String example) {
        var json = TestData.example(example);
        var imported = FleetJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), example,
                FleetDocument.class);

        var report = given().contentType(ContentType.JSON).body(json)
                .when().post(FLEET)
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().as(ImportReport.class);
        var exported = FleetJson.parse(given().when().get(FLEET).then().statusCode(200).contentType(ContentType.JSON)
                .extract().asInputStream(), "export", FleetDocument.class);

        assertThat(canonical(exported)).isEqualTo(canonical(importable(imported)));
        assertThat(exported.hosts()).extracting(FleetHost::name)
                .containsExactlyElementsOf(imported.hosts().stream().map(FleetHost::name).toList());
        assertThat(report.hosts()).isEqualTo(imported.hosts().size());
        assertThat(report.notImported()).containsExactlyElementsOf(imported.workloads().stream()
                .map(FleetWorkload::id)
                .filter(id -> importable(imported).workloads().stream().noneMatch(kept -> kept.id().equals(id)))
                .toList());
        assertThat(data.count("SELECT count(*) FROM placements WHERE state = 'active'"))
                .isEqualTo(report.placements()).isEqualTo(importable(imported).workloads().size());
    }

    @Test
    void workloadsOwningDevicesBecomeActivePlacementsAndTheOthersAreReportedBack() {
        var document = new FleetDocument(List.of(mttyHost("lab-01", List.of(
                        new FleetDevice(MTTY_DEVICE, "mtty-2", null, "serial-1"),
                        new FleetDevice("8e8c6f2d-1b5a-4d0e-a3c4-5f6a7b8c9d02", "mtty-1", null, "vm-elsewhere")))),
                List.of(new FleetWorkload("serial-1", "mtty-2", 1, 7, "serials", Map.of("zone", "a")),
                        new FleetWorkload("serial-2", "mtty-2", 1, null, null, null)));

        var report = given().contentType(ContentType.JSON).body(FleetJson.toJson(document))
                .when().post(FLEET)
                .then().statusCode(200)
                .extract().as(ImportReport.class);

        assertThat(report).isEqualTo(new ImportReport(1, 1, 2, 1, List.of("serial-2"), ImportReport.NOT_IMPORTED_NOTE));
        assertThat(report.note()).contains("POST /api/v1/placements");
        assertThat(data.column("SELECT workload || ' ' || state || ' ' || device_uuid || ' ' || priority || ' '"
                + " || anti_affinity_group || ' ' || host_selector::text FROM placements"))
                .containsExactly("serial-1 active " + MTTY_DEVICE + " 7 serials {\"zone\": \"a\"}");
        assertThat(data.column("SELECT workload || ' ' || coalesce(drift, 'in step') FROM devices ORDER BY workload"))
                .containsExactly("serial-1 in step", "vm-elsewhere unplaced by mdevplan");

        var exported = given().get(FLEET).then().statusCode(200).extract().asString();
        var back = FleetJson.parse(new ByteArrayInputStream(exported.getBytes(StandardCharsets.UTF_8)), "export",
                FleetDocument.class);
        assertThat(back.workloads()).containsExactly(
                new FleetWorkload("serial-1", "mtty-2", 1, 7, "serials", Map.of("zone", "a")));
        assertThat(back.hosts().get(0).parents().get(0).devices()).extracting(FleetDevice::workload)
                .containsExactly("serial-1", "vm-elsewhere");
    }

    @Test
    void anImportReplacesTheWholeFleet() {
        post(TestData.example("kernel-samples.json"));
        post(TestData.example("nvidia-vgpu.json"));

        assertThat(data.column("SELECT name FROM hosts ORDER BY name"))
                .containsExactlyElementsOf(names(TestData.example("nvidia-vgpu.json")));
        assertThat(data.count("SELECT count(*) FROM devices WHERE uuid = '" + MTTY_DEVICE + "'")).isZero();
    }

    @Test
    void anInvalidFleetIsRefusedWithEveryProblemAndItsPathAndNothingIsWritten() {
        post(TestData.example("kernel-samples.json"));
        var before = data.fingerprint();
        var document = new FleetDocument(
                List.of(mttyHost("lab-01", List.of(new FleetDevice(MTTY_DEVICE, "mtty-3", null, null))),
                        mttyHost("lab-01", List.of())),
                List.of(new FleetWorkload("vm-1", "nvidia-46", 1, null, null, null)));

        var problem = problem(given().contentType(ContentType.JSON).body(FleetJson.toJson(document))
                .when().post(FLEET).then(), 422, "invalid-fleet");

        assertThat(problem.detail()).contains("3 problems", "nothing was stored");
        assertThat(at(problem, "$.hosts[0].parents[0].devices[0].type").value()).isEqualTo("mtty-3");
        assertThat(at(problem, "$.hosts[1].name").message()).contains("duplicate host name");
        assertThat(at(problem, "$.workloads[0].type").message()).contains("Maybe use one of: mtty-1, mtty-2");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void anUnknownFieldIsRefusedWithTheFieldsItKnows() {
        var before = data.fingerprint();

        var problem = problem(given().contentType(ContentType.JSON).body("{\"hosts\": [], \"workload\": []}")
                .when().post(FLEET).then(), 400, "invalid-body");

        var item = at(problem, "$.workload");
        assertThat(item.message()).contains("unknown field \"workload\"", "Maybe use one of: hosts, workloads");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedAtItsPath() {
        var problem = problem(given().contentType(ContentType.JSON)
                .body("{\"hosts\": [{\"name\": \"a\","
                        + " \"parents\": [{\"address\": \"mtty\", \"pools\": {\"ports\": \"24\"}}]}]}")
                .when().post(FLEET).then(), 400, "invalid-body");

        assertThat(at(problem, "$.hosts[0].parents[0].pools.ports").message()).contains("Maybe");
    }

    @Test
    void malformedJsonIsRefusedWithLineAndColumn() {
        post(TestData.example("kernel-samples.json"));
        var before = data.fingerprint();

        var problem = problem(given().contentType(ContentType.JSON).body("{\"hosts\": [\n  {\"name\": \"a\",,}]}")
                .when().post(FLEET).then(), 400, "invalid-body");

        assertThat(at(problem, "$").message()).contains("malformed JSON at line 2, column");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void anEmptyBodyIsRefused() {
        var problem = problem(given().contentType(ContentType.JSON).body("")
                .when().post(FLEET).then(), 400, "invalid-body");

        assertThat(problem.detail()).contains("empty");
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAs415() {
        var problem = problem(given().contentType(ContentType.TEXT).body("hosts: []")
                .when().post(FLEET).then(), 415, "unsupported-media-type");

        assertThat(problem.detail()).contains("text/plain", "application/json");
    }

    @Test
    void aBodyOver16MegabytesIsRefusedBeforeItIsRead() throws Exception {
        post(TestData.example("kernel-samples.json"));
        var before = data.fingerprint();

        var answer = RawHttp.announce(fleetUrl, "POST", 16 * 1024 * 1024 + 1);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.contentType()).isEqualTo(Problem.MEDIA_TYPE);
        var problem = FleetJson.mapper().readValue(answer.body(), Problem.class);
        assertThat(problem.type()).isEqualTo("urn:mdevplan:problem:body-too-large");
        assertThat(problem.instance()).isEqualTo(FLEET);
        assertThat(problem.detail()).contains("16777216 bytes", "Maybe");
        assertThat(data.fingerprint()).isEqualTo(before);
    }

    @Test
    void theExportSpeaksTheFleetFormatWithDefaultsWrittenOut() {
        post(TestData.example("kernel-samples.json"));

        var json = given().get(FLEET).then().statusCode(200).extract().asString();

        assertThat(json).contains("\"schedulable\" : true", "\"mixedTypes\" : true", "\"aggregation\" : \"none\"",
                "\"instances\" : 1");
    }

    private static void post(String json) {
        given().contentType(ContentType.JSON).body(json).when().post(FLEET).then().statusCode(200);
    }

    private static List<String> names(String json) {
        return FleetJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "names",
                FleetDocument.class).hosts().stream().map(FleetHost::name).sorted().toList();
    }

    private static FleetHost mttyHost(String name, List<FleetDevice> devices) {
        var types = List.of(new FleetType("mtty-1", "Single port serial", null, Map.of("ports", 1L), null, null),
                new FleetType("mtty-2", "Dual port serial", null, Map.of("ports", 2L), null, null));
        return new FleetHost(name, Map.of("zone", "a"), null,
                List.of(new FleetParent("mtty", "mtty", null, Map.of("ports", 24L), types, devices)));
    }

    /** What an import keeps of a document: the workloads that own a device (the others are requests). */
    private static FleetDocument importable(FleetDocument document) {
        var owners = new HashSet<String>();
        document.hosts().forEach(host -> host.parents().forEach(parent -> parent.devices().forEach(device ->
                owners.add(device.workload()))));
        return new FleetDocument(document.hosts(),
                document.workloads().stream().filter(workload -> owners.contains(workload.id())).toList());
    }

    /** The document with every default written out and every list sorted: equal documents become equal records. */
    private static FleetDocument canonical(FleetDocument document) {
        var hosts = document.hosts().stream()
                .map(host -> new FleetHost(host.name(), host.labels(), host.isSchedulable(), host.parents().stream()
                        .map(parent -> new FleetParent(parent.address(), parent.driver(), parent.isMixedTypes(),
                                parent.pools(),
                                parent.types().stream()
                                        .map(type -> new FleetType(type.id(), type.name(), type.deviceApi(),
                                                type.cost(), type.aggregationOrNone(), type.maxAggregation()))
                                        .sorted(Comparator.comparing(FleetType::id))
                                        .toList(),
                                parent.devices().stream()
                                        .map(device -> new FleetDevice(device.uuid().toLowerCase(Locale.ROOT),
                                                device.type(), device.instancesOrOne(), device.workload()))
                                        .sorted(Comparator.comparing(FleetDevice::uuid))
                                        .toList()))
                        .sorted(Comparator.comparing(FleetParent::address))
                        .toList()))
                .sorted(Comparator.comparing(FleetHost::name))
                .toList();
        var workloads = document.workloads().stream()
                .map(workload -> new FleetWorkload(workload.id(), workload.type(), workload.instancesOrOne(),
                        workload.priorityOrDefault(), workload.antiAffinityGroup(), workload.hostSelector()))
                .sorted(Comparator.comparing(FleetWorkload::id))
                .toList();
        return new FleetDocument(hosts, workloads);
    }
}

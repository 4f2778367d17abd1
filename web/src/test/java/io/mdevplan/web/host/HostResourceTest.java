package io.mdevplan.web.host;

import static io.mdevplan.web.testing.Problems.at;
import static io.mdevplan.web.testing.Problems.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mdevplan.web.testing.PostgresTestResource;
import io.mdevplan.web.testing.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.common.mapper.TypeRef;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class HostResourceTest {

    private static final String UNREPORTED = "0b6d3c1e-2f4a-4b5c-8d9e-0f1a2b3c4d5e";

    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @Test
    void theKernelSamplesCountAsTheKernelDoes() {
        importExample("kernel-samples.json");

        var host = host("lab-01");

        // mtty: 24 ports, two dual-port devices
        var mtty = parent(host, "mtty");
        assertThat(mtty.pools()).containsExactly(new PoolView("ports", 24, 4, 20));
        assertThat(available(mtty)).isEqualTo(Map.of("mtty-1", 20L, "mtty-2", 10L));
        assertThat(mtty.devices()).extracting(DeviceView::drift).containsOnly("unplaced by mdevplan");
        // mbochs: 256 MB of video memory, 4/16/64 MB per type
        assertThat(available(parent(host, "mbochs")))
                .isEqualTo(Map.of("mbochs-small", 64L, "mbochs-medium", 16L, "mbochs-large", 4L));
        // mdpy: 4 devices in all
        assertThat(available(parent(host, "mdpy"))).isEqualTo(Map.of("mdpy-vga", 4L, "mdpy-xga", 4L, "mdpy-hd", 4L));
    }

    @Test
    void theBindingPoolDecidesAndACordonDoesNotHideCapacity() {
        importExample("i915-gvtg.json");

        // one GVTg_V5_4 (128/512/4 of 512/3072/32): low_gm binds for the larger types, high_gm for _8
        var desk01 = parent(host("desk-01"), "0000:00:02.0");
        assertThat(desk01.pools()).containsExactly(new PoolView("low_gm", 512, 128, 384),
                new PoolView("high_gm", 3072, 512, 2560), new PoolView("fence", 32, 4, 28));
        assertThat(available(desk01)).isEqualTo(Map.of("i915-GVTg_V5_8", 6L, "i915-GVTg_V5_4", 3L,
                "i915-GVTg_V5_2", 1L, "i915-GVTg_V5_1", 0L));
        // desk-03 is cordoned: the kernel still offers its capacity
        var desk03 = host("desk-03");
        assertThat(desk03.schedulable()).isFalse();
        assertThat(available(parent(desk03, "0000:00:02.0")).get("i915-GVTg_V5_8")).isEqualTo(8);
    }

    @Test
    void aParentThatDoesNotMixTypesOffersOnlyItsTypeOnceItHoldsADevice() {
        importExample("nvidia-vgpu.json");

        var host = host("gpu-01");

        var used = available(parent(host, "0000:3b:00.0"));
        assertThat(used.get("nvidia-49")).isEqualTo(5);
        assertThat(used.entrySet()).filteredOn(entry -> !entry.getKey().equals("nvidia-49"))
                .extracting(Map.Entry::getValue).containsOnly(0L);
        var empty = available(parent(host, "0000:d8:00.0"));
        assertThat(empty.get("nvidia-46")).isEqualTo(24);
        assertThat(empty.get("nvidia-53")).isEqualTo(1);
    }

    @Test
    void livePlacementsNotYetReportedHoldCapacityEachDeviceCountedOnce() {
        importExample("kernel-samples.json");
        var mtty = "(SELECT p.id FROM parents p JOIN hosts h ON h.id = p.host_id WHERE h.name = 'lab-01'"
                + " AND p.address = 'mtty')";
        // pending with a chosen device, pending without a UUID yet, applying on an already reported device,
        // and a released one that holds nothing
        data.execute("INSERT INTO placements (workload, type_id, parent_id, device_uuid, state) VALUES"
                + " ('vm-new', 'mtty-2', " + mtty + ", '" + UNREPORTED + "', 'pending'),"
                + " ('vm-later', 'mtty-1', " + mtty + ", NULL, 'pending'),"
                + " ('vm-known', 'mtty-2', " + mtty + ", '8e8c6f2d-1b5a-4d0e-a3c4-5f6a7b8c9d01', 'applying'),"
                + " ('vm-gone', 'mtty-2', " + mtty + ", NULL, 'released')");

        var parent = parent(host("lab-01"), "mtty");

        // 2 devices x 2 + vm-new 2 + vm-later 1
        assertThat(parent.pools()).containsExactly(new PoolView("ports", 24, 7, 17));
        assertThat(available(parent)).isEqualTo(Map.of("mtty-1", 17L, "mtty-2", 8L));
        assertThat(parent.reserved()).extracting(ReservationView::workload).containsExactly("vm-new", "vm-later");
        assertThat(parent.reserved().get(0)).isEqualTo(new ReservationView("vm-new", "mtty-2", 1, "pending",
                UNREPORTED, null));
    }

    @Test
    void theListHoldsEveryHostInStoredOrder() {
        importExample("nvidia-vgpu.json");

        var hosts = given().get("/api/v1/hosts").then().statusCode(200).contentType(ContentType.JSON)
                .extract().as(new TypeRef<java.util.List<HostView>>() { });

        assertThat(hosts).extracting(HostView::name).containsExactly("gpu-01", "gpu-02");
        assertThat(hosts.get(1).parents()).hasSize(4);
        assertThat(hosts.get(0).labels()).isEqualTo(Map.of("zone", "a", "gpu", "p40"));
    }

    @Test
    void anUnknownHostIs404WithTheNamesClosestToIt() {
        importExample("i915-gvtg.json");

        var problem = problem(given().get("/api/v1/hosts/desk-9").then(), 404, "not-found");

        assertThat(problem.detail()).contains("No host is named desk-9", "Maybe use one of: desk-01, desk-02, desk-03");
        assertThat(at(problem, "{name}").value()).isEqualTo("desk-9");
    }

    @Test
    void anUnsafeNameIsRefused() {
        var dots = problem(given().get("/api/v1/hosts/a..b").then(), 400, "invalid-name");
        var blank = problem(given().get("/api/v1/hosts/node one").then(), 400, "invalid-name");

        assertThat(at(dots, "{name}").message()).contains("'..'");
        assertThat(at(blank, "{name}").value()).isEqualTo("node one");
    }

    private static void importExample(String example) {
        given().contentType(ContentType.JSON).body(TestData.example(example))
                .when().post("/api/v1/fleet").then().statusCode(200);
    }

    static HostView host(String name) {
        return given().get("/api/v1/hosts/" + name).then().statusCode(200).contentType(ContentType.JSON)
                .extract().as(HostView.class);
    }

    static ParentView parent(HostView host, String address) {
        return host.parents().stream().filter(parent -> parent.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError(host.name() + " has no parent " + address));
    }

    static Map<String, Long> available(ParentView parent) {
        return parent.types().stream().collect(Collectors.toMap(TypeView::id, TypeView::available));
    }
}

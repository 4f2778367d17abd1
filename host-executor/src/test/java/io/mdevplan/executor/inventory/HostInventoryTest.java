package io.mdevplan.executor.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.executor.files.NioSysfsFiles;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.sysfs.FakeSysfs;
import io.mdevplan.executor.sysfs.SysfsLayout;
import io.mdevplan.planner.fleet.Aggregation;
import io.mdevplan.planner.fleet.FleetDevice;
import io.mdevplan.planner.fleet.FleetDocument;
import io.mdevplan.planner.fleet.FleetHost;
import io.mdevplan.planner.fleet.FleetJson;
import io.mdevplan.planner.fleet.FleetParent;
import io.mdevplan.planner.fleet.FleetValidator;

class HostInventoryTest {

    private static final Path SIM_ROOT = Path.of("/sim");
    private static final String GPU = "0000:00:02.0";
    private static final String IDXD = "0000:6a:01.0";
    private static final String UUID_A = "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b";
    private static final String UUID_B = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    private static final String UUID_C = "11111111-2222-4333-8444-555555555555";
    private static final String UUID_D = "4b20d080-1b54-4048-85b3-a6a62d165c01";

    @TempDir
    Path root;

    private final SysfsLayout simLayout = new SysfsLayout(SIM_ROOT);
    private final SimulatedKernel kernel = new SimulatedKernel(SIM_ROOT);

    private HostInventory simulated() {
        return new HostInventory(simLayout, kernel);
    }

    private HostInventory onDisk() {
        return new HostInventory(new SysfsLayout(root), new NioSysfsFiles());
    }

    private static void assertValid(FleetHost host) {
        assertThat(FleetValidator.validate(new FleetDocument(List.of(host), null))).isEmpty();
    }

    /** Every preset parent, each holding a device: plain, aggregated in both dialects, and one under the counter. */
    private FleetHost knownSimulatedHost() throws SysfsWriteException {
        kernel.addMtty().addMdpy().addI915(GPU).addIdxd(IDXD);
        kernel.writeRegularFile(simLayout.hostnameFile(), "node-01\n");
        kernel.write(simLayout.createFile("mtty", "mtty-2"), UUID_A);
        kernel.write(simLayout.createFile(GPU, "i915-GVTg_V5_8"), UUID_B);
        kernel.write(simLayout.deviceFile(UUID_B, "mdev/aggregation"), "2");
        kernel.write(simLayout.createFile(IDXD, "idxd-dsa-1swq-v1"), UUID_C + ",aggregate=2");
        kernel.write(simLayout.createFile("mdpy", "mdpy-vga"), UUID_D);
        var inventory = simulated();
        return inventory.read(inventory.hostName().orElseThrow());
    }

    @Test
    void aKnownSimulatedHostMatchesItsGoldenDocument() throws IOException, SysfsWriteException {
        var host = knownSimulatedHost();

        var golden = golden("simulated-node-01.json");
        assertThat(FleetJson.toJson(host) + "\n").isEqualTo(golden);
        // the golden is what the service parses: strictly, with the fleet document's field names
        var parsed = FleetJson.parse(new ByteArrayInputStream(golden.getBytes(StandardCharsets.UTF_8)), "golden",
                FleetHost.class);
        assertThat(parsed).isEqualTo(host);
    }

    @Test
    void theInventoryOfASimulatedHostPassesTheServicesValidation() throws SysfsWriteException {
        var host = knownSimulatedHost();

        assertValid(host);
        assertThat(host.name()).isEqualTo("node-01");
        assertThat(host.parents()).extracting(FleetParent::address).containsExactly(GPU, IDXD, "mdpy", "mtty");
        var gpu = host.parents().get(0);
        assertThat(gpu.driver()).isEqualTo("i915");
        // from the GVT-g descriptions: the whole GPU, although a device holds two instances of it
        assertThat(gpu.pools()).containsExactlyInAnyOrderEntriesOf(
                Map.of("low_gm", 512L, "high_gm", 3072L, "fence", 32L));
        assertThat(gpu.types().get(3).id()).isEqualTo("i915-GVTg_V5_8");
        assertThat(gpu.types().get(3).aggregation()).isEqualTo(Aggregation.ATTRIBUTE);
        assertThat(gpu.types().get(3).maxAggregation()).isEqualTo(8);
        assertThat(gpu.devices()).containsExactly(new FleetDevice(UUID_B, "i915-GVTg_V5_8", 2, null));
        var idxd = host.parents().get(1);
        assertThat(idxd.types()).filteredOn(type -> type.id().equals("idxd-dsa-1swq-v1"))
                .singleElement().satisfies(type -> {
                    assertThat(type.aggregation()).isEqualTo(Aggregation.CREATE_PARAM);
                    assertThat(type.maxAggregation()).isEqualTo(2);
                });
        assertThat(idxd.devices()).containsExactly(new FleetDevice(UUID_C, "idxd-dsa-1swq-v1", 2, null));
        var mtty = host.parents().get(3);
        assertThat(mtty.pools()).isEqualTo(Map.of("ports", 24L));
        assertThat(mtty.types()).allSatisfy(type -> {
            assertThat(type.aggregation()).isNull();
            assertThat(type.maxAggregation()).isNull();
        });
    }

    @Test
    void aFakeTreeOfTheSameHostReadsAsTheSimulation() throws IOException, SysfsWriteException {
        var fake = new FakeSysfs(root);
        var mtty = fake.parent("mtty", "sys/devices/virtual/mtty/mtty");
        var dual = fake.type(mtty, "mtty-2", "Dual port serial", "vfio-pci", "10");
        fake.type(mtty, "mtty-1", "Single port serial", "vfio-pci", "20");
        device(mtty, dual, UUID_A);
        device(mtty, dual, UUID_B);
        writeHostname("node-01");
        kernel.addMtty();
        kernel.write(simLayout.createFile("mtty", "mtty-2"), UUID_A);
        kernel.write(simLayout.createFile("mtty", "mtty-2"), UUID_B);

        var host = onDisk().read("node-01");

        assertThat(host).isEqualTo(simulated().read("node-01"));
        assertValid(host);
        assertThat(host.parents().get(0).pools()).isEqualTo(Map.of("ports", 24L));
        assertThat(host.parents().get(0).devices()).extracting(FleetDevice::uuid).containsExactly(UUID_B, UUID_A);
    }

    @Test
    void aFakeGpuTreeNamesItsDriverByTheLinkAndPassesTheServicesValidation() throws IOException {
        var fake = new FakeSysfs(root);
        var gpu = fake.parent(GPU, "sys/devices/pci0000:00/" + GPU);
        var drivers = Files.createDirectories(root.resolve("sys/bus/pci/drivers/i915"));
        Files.createSymbolicLink(gpu.resolve("driver"), gpu.relativize(drivers));
        // one _4 device: the _4 pool of low_gm is then what binds every type
        var four = gvt(fake, gpu, "GVTg_V5_4", 128, 512, "3");
        gvt(fake, gpu, "GVTg_V5_8", 64, 384, "6");
        gvt(fake, gpu, "GVTg_V5_2", 256, 1024, "1");
        gvt(fake, gpu, "GVTg_V5_1", 512, 2048, "0");
        device(gpu, four, UUID_C);

        var host = onDisk().read("gpu-host");

        assertValid(host);
        var parent = host.parents().get(0);
        assertThat(parent.driver()).isEqualTo("i915");
        assertThat(parent.pools()).isEqualTo(Map.of("low_gm", 512L, "high_gm", 2816L, "fence", 28L));
        assertThat(parent.types()).hasSize(4);
        assertThat(parent.devices()).containsExactly(new FleetDevice(UUID_C, "i915-GVTg_V5_4", 1, null));
    }

    @Test
    void aParentThatHoldsNothingAndCanTakeNothingIsLeftOut() throws IOException {
        var fake = new FakeSysfs(root).mtty();
        fake.type(fake.parent("0000:3b:00.0", "sys/devices/pci0000:3a/0000:3b:00.0"), "nvidia-46", "GRID P40-1Q",
                "vfio-pci", "0");

        var host = onDisk().read("node-01");

        assertThat(host.parents()).extracting(FleetParent::address).containsExactly("mtty");
        assertValid(host);
    }

    @Test
    void observationsNoModelExplainsNameTheParent() throws IOException {
        var fake = new FakeSysfs(root);
        var gpu = fake.parent(GPU, "sys/devices/pci0000:00/" + GPU);
        // an empty GPU that offers 8 of _8 has room for 4 of _4, by their descriptions, not 1
        gvt(fake, gpu, "GVTg_V5_8", 64, 384, "8");
        gvt(fake, gpu, "GVTg_V5_4", 128, 512, "1");

        assertThatThrownBy(() -> onDisk().read("node-01"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The pools of parent " + GPU + " (driver i915) cannot be inferred")
                .hasMessageContaining("Maybe");
    }

    @Test
    void theNameComesFromEtcHostname() throws IOException {
        assertThat(onDisk().hostName()).isEmpty();
        writeHostname("  node-07.example.org\n");

        assertThat(onDisk().hostName()).contains("node-07.example.org");
        assertThat(onDisk().read("node-07.example.org").name()).isEqualTo("node-07.example.org");
    }

    @Test
    void anUnsafeNameIsRefused() {
        assertThatThrownBy(() -> onDisk().read("../etc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"../etc\"").hasMessageContaining("Maybe");
    }

    @Test
    void aHostWithoutMdevHasNoParents() {
        var host = onDisk().read("node-01");

        assertThat(host.parents()).isEmpty();
        assertValid(host);
    }

    private void writeHostname(String name) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), name);
    }

    private static Path gvt(FakeSysfs fake, Path gpu, String name, int lowGm, int highGm, String available)
            throws IOException {
        var type = fake.type(gpu, "i915-" + name, name, "vfio-pci", available);
        Files.writeString(type.resolve("description"), "low_gm_size: " + lowGm + "MB\nhigh_gm_size: " + highGm
                + "MB\nfence: 4\nresolution: 1920x1200\nweight: 4\n");
        return type;
    }

    /** A device as the kernel shows it: under its parent, linked from its type's devices/ and sys/bus/mdev. */
    private Path device(Path parent, Path type, String uuid) throws IOException {
        var dir = Files.createDirectories(parent.resolve(uuid));
        Files.createSymbolicLink(dir.resolve("mdev_type"), dir.relativize(type));
        Files.writeString(dir.resolve("remove"), "");
        Files.createSymbolicLink(type.resolve("devices").resolve(uuid), type.resolve("devices").relativize(dir));
        var bus = Files.createDirectories(root.resolve("sys/bus/mdev/devices"));
        Files.createSymbolicLink(bus.resolve(uuid), bus.relativize(dir));
        return dir;
    }

    private static String golden(String name) throws IOException {
        try (var in = HostInventoryTest.class.getResourceAsStream("/inventory/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

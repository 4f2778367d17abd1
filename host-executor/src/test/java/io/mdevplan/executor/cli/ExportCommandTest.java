package io.mdevplan.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.executor.apply.Plan;
import io.mdevplan.executor.apply.PlanAction;
import io.mdevplan.executor.apply.PlanApplier;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.simulation.SimulatedType;
import io.mdevplan.executor.sysfs.AggregationDialect;
import io.mdevplan.executor.sysfs.FakeSysfs;
import io.mdevplan.executor.sysfs.SysfsLayout;

class ExportCommandTest {

    private static final Path SIM_ROOT = Path.of("/sim");
    private static final String GPU = "0000:00:02.0";
    private static final String IDXD = "0000:6a:01.0";
    private static final String GVT_8 = "i915-GVTg_V5_8";
    private static final String UUID_A = "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b";
    private static final String UUID_B = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    @TempDir
    Path root;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final SysfsLayout layout = new SysfsLayout(SIM_ROOT);
    /** mtty, a DSA with both dialects, and a GVT-g GPU whose aggregating type has a vendor attribute. */
    private final SimulatedKernel kernel = new SimulatedKernel(SIM_ROOT).addMtty().addIdxd(IDXD).addParent(GPU,
            "sys/devices/pci0000:00/" + GPU, Map.of("low_gm", 512L, "high_gm", 3072L, "fence", 32L),
            SimulatedKernel.NO_DEVICE_LIMIT, List.of(
                    SimulatedType.of(GVT_8, "GVTg_V5_8", Map.of("low_gm", 64L, "high_gm", 384L, "fence", 4L))
                            .withAggregation(AggregationDialect.ATTRIBUTE, 8).withAttributes("mdev/weight")));

    @BeforeEach
    void nameTheHost() throws SysfsWriteException {
        kernel.writeRegularFile(layout.hostnameFile(), "node-01\n");
    }

    private void apply(boolean persist, PlanAction... actions) {
        var report = new PlanApplier(layout, kernel, persist).apply(new Plan("node-01", List.of(actions)));
        assertThat(report.exitCode()).isZero();
    }

    private static PlanAction create(String uuid, String parent, String type, int instances,
            List<Map<String, String>> attrs) {
        return new PlanAction("a1", "create", uuid, parent, type, instances, attrs);
    }

    private int run(String... args) {
        return ExecutorCli.commandLine(root -> kernel)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private int runOnDisk(String... args) {
        return ExecutorCli.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void aSimulatedAggregatedDeviceWithAttributesMatchesItsGoldenFile() throws IOException {
        apply(true, create(UUID_A, GPU, GVT_8, 2, List.of(Map.of("mdev/weight", "4"))));

        var exitCode = run("export", "--libvirt", UUID_A, "--root", SIM_ROOT.toString());

        assertThat(err.toString()).isEmpty();
        assertThat(exitCode).isZero();
        // paths as the host sees them, not under --root
        assertThat(out.toString()).isEqualTo(golden("mdev-simulated-i915-aggregated.xml"));
    }

    @Test
    void aTreeShapedAsTheKernelsReadsAsTheGoldenFile() throws IOException {
        var uuid = "4b20d080-1b54-4048-85b3-a6a62d165c01";
        var fake = new FakeSysfs(root);
        var gpu = fake.parent(GPU, "sys/devices/pci0000:00/" + GPU);
        var type = fake.type(gpu, GVT_8, "GVTg_V5_8", "vfio-pci", "6");
        var device = Files.createDirectories(gpu.resolve(uuid));
        Files.createSymbolicLink(device.resolve("mdev_type"), device.relativize(type));
        Files.createDirectories(device.resolve("mdev"));
        Files.writeString(device.resolve("mdev/aggregation"), "2\n");
        var group = Files.createDirectories(root.resolve("sys/kernel/iommu_groups/12"));
        Files.createSymbolicLink(device.resolve("iommu_group"), device.relativize(group));
        var bus = Files.createDirectories(root.resolve("sys/bus/mdev/devices"));
        Files.createSymbolicLink(bus.resolve(uuid), bus.relativize(device));
        var definitions = Files.createDirectories(root.resolve("etc/mdevctl.d/" + GPU));
        Files.writeString(definitions.resolve(uuid), "{\"mdev_type\": \"" + GVT_8 + "\", \"start\": \"auto\","
                + " \"attrs\": [{\"mdev/aggregation\": \"2\"}]}\n");

        var exitCode = runOnDisk("export", "--libvirt", uuid.toUpperCase(), "--root", root.toString());

        assertThat(err.toString()).isEmpty();
        assertThat(exitCode).isZero();
        assertThat(out.toString()).isEqualTo(golden("mdev-i915-aggregated.xml"));
    }

    @Test
    void withoutADefinitionThereAreNoAttributesButTheAggregationHeldNow() {
        apply(false, create(UUID_A, GPU, GVT_8, 3, List.of(Map.of("mdev/weight", "4"))),
                new PlanAction("a2", "create", UUID_B, "mtty", "mtty-2", null, null));

        assertThat(run("export", "--libvirt", UUID_A, "--root", SIM_ROOT.toString())).isZero();
        assertThat(run("export", "--libvirt", UUID_B, "--root", SIM_ROOT.toString())).isZero();

        var xml = out.toString();
        assertThat(xml).contains("<attr name='mdev/aggregation' value='3'/>").doesNotContain("mdev/weight");
        assertThat(xml).contains("<name>mdev_" + UUID_B.replace('-', '_') + "_mtty</name>")
                .contains("<path>/sys/devices/virtual/mtty/mtty/" + UUID_B + "</path>")
                .contains("<parent>mtty</parent>")
                .contains("<type id='mtty-2'/>")
                .contains("<iommuGroup number='1'/>");
    }

    @Test
    void theAggregationHeldNowWinsOverAnOlderDefinition() throws SysfsWriteException {
        apply(true, create(UUID_A, GPU, GVT_8, 2, List.of(Map.of("mdev/weight", "4"))));
        kernel.write(layout.deviceFile(UUID_A, "mdev/aggregation"), "5");

        assertThat(run("export", "--libvirt", UUID_A, "--root", SIM_ROOT.toString())).isZero();

        assertThat(out.toString()).containsOnlyOnce("mdev/aggregation")
                .contains("<attr name='mdev/aggregation' value='5'/>\n    <attr name='mdev/weight' value='4'/>");
    }

    @Test
    void aCreateParameterAggregateIsPrintedWithACaveat() {
        apply(true, create(UUID_A, IDXD, "idxd-dsa-1swq-v1", 2, null));

        assertThat(run("export", "--libvirt", UUID_A, "--root", SIM_ROOT.toString())).isZero();

        assertThat(out.toString()).contains("<type id='idxd-dsa-1swq-v1'/>").doesNotContain("<attr ");
        assertThat(err.toString()).contains("holds 2 instances through the create parameter").contains("Maybe");
    }

    @Test
    void refusesSomethingThatIsNoUuid() {
        assertThat(run("export", "--libvirt", "vm-7", "--root", SIM_ROOT.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("The --libvirt \"vm-7\" is no UUID").contains("Maybe");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void refusesADeviceThatDoesNotExist() throws SysfsWriteException {
        kernel.writeRegularFile(layout.definition("mtty", UUID_A), "{\"mdev_type\": \"mtty-1\", \"start\": \"auto\"}");

        assertThat(run("export", "--libvirt", UUID_A, "--root", SIM_ROOT.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("No mediated device " + UUID_A + " exists under /sim/sys/bus/mdev/devices")
                .contains("Maybe");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBrokenDefinitionIsReportedInOneLine() throws SysfsWriteException {
        apply(false, new PlanAction("a1", "create", UUID_A, "mtty", "mtty-1", null, null));
        kernel.writeRegularFile(layout.definition("mtty", UUID_A), "{\"mdev_type\": \"mtty-1\", \"sta");

        assertThat(run("export", "--libvirt", UUID_A, "--root", SIM_ROOT.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("mdevplan-executor: The mdevctl definition /sim/etc/mdevctl.d/mtty/"
                + UUID_A + " is not JSON").doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    private static String golden(String name) throws IOException {
        try (var in = ExportCommandTest.class.getResourceAsStream("/libvirt/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

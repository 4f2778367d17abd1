package io.mdevplan.executor.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.simulation.SimulatedKernel;

/** The inventory reader must not be able to tell the simulated kernel from a tree shaped like the real one. */
class SimulatedInventoryTest {

    private static final Path SIM_ROOT = Path.of("/sim");

    @TempDir
    Path root;

    private final SimulatedKernel kernel = new SimulatedKernel(SIM_ROOT);
    private final SysfsInventoryReader simulated = new SysfsInventoryReader(new SysfsLayout(SIM_ROOT), kernel);

    private SysfsInventoryReader onDisk() {
        return new SysfsInventoryReader(new SysfsLayout(root));
    }

    @Test
    void anEmptyMttyReadsAsTheFakeTree() throws IOException {
        new FakeSysfs(root).mtty();
        kernel.addMtty();

        assertThat(simulated.parents()).isEqualTo(onDisk().parents()).hasSize(1);
    }

    @Test
    void aMttyWithDevicesReadsAsTheFakeTreeWithTheKernelsCounts() throws IOException, SysfsWriteException {
        var fake = new FakeSysfs(root);
        var parent = fake.parent("mtty", "sys/devices/virtual/mtty/mtty");
        fake.type(parent, "mtty-1", "Single port serial", "vfio-pci", "20");
        fake.type(parent, "mtty-2", "Dual port serial", "vfio-pci", "10");
        kernel.addMtty();
        var layout = new SysfsLayout(SIM_ROOT);
        kernel.write(layout.createFile("mtty", "mtty-2"), "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b");
        kernel.write(layout.createFile("mtty", "mtty-2"), "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

        assertThat(simulated.parents()).isEqualTo(onDisk().parents());
    }

    @Test
    void severalParentsReadInAddressOrderAsOnDisk() throws IOException {
        var fake = new FakeSysfs(root).mtty();
        var gpu = fake.parent("0000:00:02.0", "sys/devices/pci0000:00/0000:00:02.0");
        fake.type(gpu, "i915-GVTg_V5_8", "GVTg_V5_8", "vfio-pci", "8");
        fake.type(gpu, "i915-GVTg_V5_4", "GVTg_V5_4", "vfio-pci", "4");
        fake.type(gpu, "i915-GVTg_V5_2", "GVTg_V5_2", "vfio-pci", "2");
        fake.type(gpu, "i915-GVTg_V5_1", "GVTg_V5_1", "vfio-pci", "1");
        kernel.addMtty().addI915("0000:00:02.0");

        var parents = simulated.parents();

        assertThat(parents).isEqualTo(onDisk().parents());
        assertThat(parents).extracting(SysfsParent::address).containsExactly("0000:00:02.0", "mtty");
    }

    @Test
    void bothAggregationDialectsAreDetectedAsOnDisk() throws IOException {
        var fake = new FakeSysfs(root);
        var idxd = fake.parent("0000:6a:01.0", "sys/devices/pci0000:6a/0000:6a:01.0");
        var shared = fake.type(idxd, "idxd-dsa-1swq-v1", "DSA shared work queue", "vfio-pci", "8");
        Files.writeString(shared.resolve("aggregation"), "2\n");
        var dedicated = fake.type(idxd, "idxd-dsa-1dwq-v1", "DSA dedicated work queue", "vfio-pci", "4");
        Files.writeString(dedicated.resolve("description"), "aggregation: 4\n");
        kernel.addIdxd("0000:6a:01.0");

        for (var type : new String[] {"idxd-dsa-1swq-v1", "idxd-dsa-1dwq-v1"}) {
            assertThat(simulated.aggregation("0000:6a:01.0", type))
                    .isEqualTo(onDisk().aggregation("0000:6a:01.0", type));
        }
        assertThat(simulated.aggregation("0000:6a:01.0", "idxd-dsa-1swq-v1"))
                .isEqualTo(new TypeAggregation(AggregationDialect.CREATE_PARAMETER, 2));
        assertThat(simulated.aggregation("0000:6a:01.0", "idxd-dsa-1dwq-v1"))
                .isEqualTo(new TypeAggregation(AggregationDialect.ATTRIBUTE, 4));
        assertThat(simulated.parents()).isEqualTo(onDisk().parents());
    }

    @Test
    void aGvtDescriptionWithoutAnAggregationLineMeansNone() {
        kernel.addI915("0000:00:02.0");

        assertThat(simulated.aggregation("0000:00:02.0", "i915-GVTg_V5_4")).isEqualTo(TypeAggregation.NONE);
        assertThat(simulated.aggregation("0000:00:02.0", "i915-GVTg_V5_8"))
                .isEqualTo(new TypeAggregation(AggregationDialect.ATTRIBUTE, 8));
    }
}

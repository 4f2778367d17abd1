package io.mdevplan.executor.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsInventoryReaderTest {

    @TempDir
    Path root;

    private SysfsInventoryReader reader() {
        return new SysfsInventoryReader(new SysfsLayout(root));
    }

    @Test
    void readsTheMttyParentAndItsAvailableInstances() throws IOException {
        new FakeSysfs(root).mtty();

        assertThat(reader().parents()).containsExactly(new SysfsParent("mtty", List.of(
                new SysfsType("mtty-1", "Single port serial", "vfio-pci", 24),
                new SysfsType("mtty-2", "Dual port serial", "vfio-pci", 12))));
    }

    @Test
    void listsParentsByAddressAndLeavesMissingNamesNull() throws IOException {
        var fake = new FakeSysfs(root).mtty();
        var gpu = fake.parent("0000:00:02.0", "sys/devices/pci0000:00/0000:00:02.0");
        fake.type(gpu, "i915-GVTg_V5_8", null, "vfio-pci", "7");
        fake.type(gpu, "i915-GVTg_V5_4", null, null, "3");

        var parents = reader().parents();

        assertThat(parents).extracting(SysfsParent::address).containsExactly("0000:00:02.0", "mtty");
        assertThat(parents.get(0).types()).containsExactly(
                new SysfsType("i915-GVTg_V5_4", null, null, 3),
                new SysfsType("i915-GVTg_V5_8", null, "vfio-pci", 7));
    }

    @Test
    void readsNoParentsWhereTheMdevCoreIsNotLoaded() {
        assertThat(reader().parents()).isEmpty();
    }

    @Test
    void readsAParentWithoutTypes() throws IOException {
        new FakeSysfs(root).parent("mdpy", "sys/devices/virtual/mdpy/mdpy");

        assertThat(reader().parents()).containsExactly(new SysfsParent("mdpy", List.of()));
    }

    @Test
    void refusesAnAvailableInstancesFileThatIsNoCount() throws IOException {
        var fake = new FakeSysfs(root);
        var parent = fake.parent("mtty", "sys/devices/virtual/mtty/mtty");
        var type = fake.type(parent, "mtty-1", "Single port serial", "vfio-pci", "-1");

        assertThatThrownBy(() -> reader().parents())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mtty-1/available_instances reads \"-1\"")
                .hasMessageContaining("Maybe");

        Files.writeString(type.resolve("available_instances"), "lots\n");
        assertThatThrownBy(() -> reader().parents()).hasMessageContaining("reads \"lots\"");
    }

    @Test
    void refusesATypeDirectoryWithoutAvailableInstances() throws IOException {
        var fake = new FakeSysfs(root);
        fake.type(fake.parent("mtty", "sys/devices/virtual/mtty/mtty"), "mtty-1", "Single port serial", "vfio-pci",
                null);

        assertThatThrownBy(() -> reader().parents())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mdev_supported_types/mtty-1 has no available_instances file");
    }
}

package io.mdevplan.executor.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.mdevplan.executor.files.Errno;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.sysfs.AggregationDialect;
import io.mdevplan.executor.sysfs.SysfsLayout;

class SimulatedKernelTest {

    private static final Path ROOT = Path.of("/sim");
    private static final String UUID_A = "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b";
    private static final String UUID_B = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    private final SysfsLayout layout = new SysfsLayout(ROOT);
    private final SimulatedKernel kernel = new SimulatedKernel(ROOT);

    private long available(String parent, String type) {
        return Long.parseLong(kernel.read(layout.typeFile(parent, type, "available_instances")).orElseThrow().strip());
    }

    private void create(String parent, String type, String text) throws SysfsWriteException {
        kernel.write(layout.createFile(parent, type), text);
    }

    private static void assertErrno(Errno errno, Executable write) {
        assertThatThrownBy(write::execute)
                .isInstanceOf(SysfsWriteException.class)
                .satisfies(thrown -> assertThat(((SysfsWriteException) thrown).errno()).isEqualTo(errno))
                .satisfies(thrown -> assertThat(((SysfsWriteException) thrown).kernelMessage())
                        .isEqualTo(errno.strerror()));
    }

    @Test
    void mttyTypesShareOnePoolOfPorts() throws SysfsWriteException {
        kernel.addMtty();
        assertThat(available("mtty", "mtty-1")).isEqualTo(24);
        assertThat(available("mtty", "mtty-2")).isEqualTo(12);

        create("mtty", "mtty-2", UUID_A);
        create("mtty", "mtty-2", UUID_B);

        // seen on 6.1: two mtty-2 devices leave 20 / 10
        assertThat(available("mtty", "mtty-1")).isEqualTo(20);
        assertThat(available("mtty", "mtty-2")).isEqualTo(10);
    }

    @Test
    void poolUseIsWhatTheDevicesTakeAndFallsBackWhenOneIsRemoved() throws SysfsWriteException {
        kernel.addMtty().addIdxd("0000:6a:01.0");
        create("mtty", "mtty-2", UUID_A);
        create("0000:6a:01.0", "idxd-dsa-1swq-v1", UUID_B + ",aggregate=2");

        assertThat(kernel.poolUse()).isEqualTo(Map.of("mtty", Map.of("ports", 2L),
                "0000:6a:01.0", Map.of("wq", 2L, "engines", 0L)));

        kernel.write(layout.removeFile(UUID_A), "1");
        assertThat(kernel.poolUse().get("mtty")).isEqualTo(Map.of("ports", 0L));
    }

    @Test
    void theThirteenthMtty2IsNoSpaceAndLeavesNothingBehind() throws SysfsWriteException {
        kernel.addMtty();
        for (var i = 0; i < 12; i++) {
            create("mtty", "mtty-2", String.format("00000000-0000-4000-8000-%012d", i));
        }
        assertThat(available("mtty", "mtty-1")).isZero();

        assertErrno(Errno.ENOSPC, () -> create("mtty", "mtty-2", UUID_A));

        assertThat(kernel.deviceUuids()).hasSize(12).doesNotContain(UUID_A);
        assertThat(kernel.exists(layout.device(UUID_A))).isFalse();
    }

    @Test
    void gvtTypesDrawFromSharedGraphicsMemory() throws SysfsWriteException {
        kernel.addI915("0000:00:02.0");
        assertThat(List.of(available("0000:00:02.0", "i915-GVTg_V5_8"), available("0000:00:02.0", "i915-GVTg_V5_4"),
                available("0000:00:02.0", "i915-GVTg_V5_2"), available("0000:00:02.0", "i915-GVTg_V5_1")))
                .containsExactly(8L, 4L, 2L, 1L);

        create("0000:00:02.0", "i915-GVTg_V5_4", UUID_A);

        assertThat(available("0000:00:02.0", "i915-GVTg_V5_8")).isEqualTo(6);
        assertThat(available("0000:00:02.0", "i915-GVTg_V5_2")).isEqualTo(1);
        assertThat(available("0000:00:02.0", "i915-GVTg_V5_1")).isZero();
    }

    @Test
    void theCoresPerParentCounterAnswersTooManyUsers() throws SysfsWriteException {
        kernel.addMdpy();
        create("mdpy", "mdpy-vga", "00000000-0000-4000-8000-000000000001");
        create("mdpy", "mdpy-xga", "00000000-0000-4000-8000-000000000002");
        create("mdpy", "mdpy-hd", "00000000-0000-4000-8000-000000000003");
        assertThat(available("mdpy", "mdpy-vga")).isEqualTo(1);
        create("mdpy", "mdpy-hd", "00000000-0000-4000-8000-000000000004");

        assertThat(available("mdpy", "mdpy-xga")).isZero();
        assertErrno(Errno.EUSERS, () -> create("mdpy", "mdpy-vga", UUID_A));
    }

    @Test
    void createTakesAnUpperCaseUuidAndShowsTheDeviceInLowerCase() throws SysfsWriteException {
        kernel.addMtty();

        create("mtty", "mtty-1", UUID_A.toUpperCase() + "\n");

        assertThat(kernel.list(layout.mdevDevices())).containsExactly(UUID_A);
        assertThat(kernel.exists(layout.device(UUID_A.toUpperCase()))).isFalse();
        assertThat(kernel.readLink(layout.deviceFile(UUID_A, "mdev_type"))).contains(
                Path.of("../mdev_supported_types/mtty-1"));
        assertThat(kernel.list(layout.typeDir("mtty", "mtty-1").resolve("devices"))).containsExactly(UUID_A);
        assertThat(kernel.readLink(layout.device(UUID_A)))
                .contains(Path.of("../../../devices/virtual/mtty/mtty/" + UUID_A));
    }

    @Test
    void aUuidInUseIsEexistWhateverTheTypeOrCase() throws SysfsWriteException {
        kernel.addMtty();
        create("mtty", "mtty-1", UUID_A);

        assertErrno(Errno.EEXIST, () -> create("mtty", "mtty-2", UUID_A.toUpperCase()));
        assertThat(available("mtty", "mtty-2")).isEqualTo(11);
    }

    @Test
    void malformedCreatesAreInvalid() {
        kernel.addMtty();

        assertErrno(Errno.EINVAL, () -> create("mtty", "mtty-1", "not-a-uuid"));
        assertErrno(Errno.EINVAL, () -> create("mtty", "mtty-1", UUID_A + "\n\n"));
        assertErrno(Errno.EINVAL, () -> create("mtty", "mtty-1", "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0g"));
        // without the patched core, a create parameter is just too long
        assertErrno(Errno.EINVAL, () -> create("mtty", "mtty-1", UUID_A + ",aggregate=2"));

        assertThat(kernel.deviceUuids()).isEmpty();
    }

    @Test
    void theCreateParameterDialectAggregatesOnCreate() throws SysfsWriteException {
        kernel.addIdxd("0000:6a:01.0");
        var type = "idxd-dsa-1swq-v1";
        assertThat(kernel.read(layout.typeFile("0000:6a:01.0", type, "aggregation"))).contains("2\n");

        create("0000:6a:01.0", type, UUID_A + ",aggregate=2\n");

        assertThat(kernel.read(layout.deviceFile(UUID_A, "aggregated_instances"))).contains("2\n");
        assertThat(available("0000:6a:01.0", type)).isEqualTo(6);
        assertThat(available("0000:6a:01.0", "idxd-dsa-1dwq-v1")).isEqualTo(4);
        assertErrno(Errno.EINVAL, () -> create("0000:6a:01.0", type, UUID_B + ",aggregate=3"));
        assertErrno(Errno.EINVAL, () -> create("0000:6a:01.0", type, UUID_B + ",aggregate=0"));
        assertErrno(Errno.EINVAL, () -> create("0000:6a:01.0", type, UUID_B + ",weight=2"));
    }

    @Test
    void theAttributeDialectAggregatesAfterCreate() throws SysfsWriteException {
        kernel.addIdxd("0000:6a:01.0");
        var type = "idxd-dsa-1dwq-v1";
        assertThat(kernel.read(layout.typeFile("0000:6a:01.0", type, "aggregation"))).isEmpty();
        assertThat(kernel.read(layout.typeFile("0000:6a:01.0", type, "description"))).contains("aggregation: 4\n");
        create("0000:6a:01.0", type, UUID_A);
        var aggregation = layout.deviceFile(UUID_A, "mdev/aggregation");
        assertThat(kernel.read(aggregation)).contains("1\n");
        assertThat(kernel.list(layout.device(UUID_A))).containsExactly("iommu_group", "mdev", "mdev_type", "remove");

        kernel.write(aggregation, "3");

        assertThat(kernel.read(aggregation)).contains("3\n");
        assertThat(available("0000:6a:01.0", type)).isEqualTo(1);
        assertErrno(Errno.EINVAL, () -> kernel.write(aggregation, "5"));
        assertErrno(Errno.EINVAL, () -> kernel.write(aggregation, "0"));
        assertErrno(Errno.EINVAL, () -> kernel.write(aggregation, "two"));
        kernel.write(aggregation, "1");
        assertThat(available("0000:6a:01.0", type)).isEqualTo(3);
    }

    @Test
    void anAggregationThatDoesNotFitIsNoSpace() throws SysfsWriteException {
        kernel.addIdxd("0000:6a:01.0");
        create("0000:6a:01.0", "idxd-dsa-1dwq-v1", UUID_A);
        create("0000:6a:01.0", "idxd-dsa-1dwq-v1", UUID_B);
        kernel.write(layout.deviceFile(UUID_B, "mdev/aggregation"), "3");

        // 4 engines: B holds 3, A holds 1
        assertErrno(Errno.ENOSPC, () -> kernel.write(layout.deviceFile(UUID_A, "mdev/aggregation"), "2"));
        assertThat(kernel.read(layout.deviceFile(UUID_A, "mdev/aggregation"))).contains("1\n");
    }

    @Test
    void aDeviceInUseIsBusyForAggregationAndRemoval() throws SysfsWriteException {
        kernel.addIdxd("0000:6a:01.0");
        create("0000:6a:01.0", "idxd-dsa-1dwq-v1", UUID_A);
        kernel.setInUse(UUID_A, true);

        assertErrno(Errno.EBUSY, () -> kernel.write(layout.deviceFile(UUID_A, "mdev/aggregation"), "2"));
        assertErrno(Errno.EBUSY, () -> kernel.write(layout.removeFile(UUID_A), "1"));

        kernel.setInUse(UUID_A, false);
        kernel.write(layout.removeFile(UUID_A), "1");
        assertThat(kernel.deviceUuids()).isEmpty();
    }

    @Test
    void everyDeviceHasAnIommuGroupOfItsOwnTheLowestFree() throws SysfsWriteException {
        kernel.addMtty().addI915("0000:00:02.0");
        var third = "11111111-2222-4333-8444-555555555555";
        create("mtty", "mtty-1", UUID_A);
        create("0000:00:02.0", "i915-GVTg_V5_4", UUID_B);

        // as the real tree links them: from the device's directory under its parent's, up to sys/
        assertThat(kernel.readLink(layout.deviceFile(UUID_A, "iommu_group")))
                .contains(Path.of("../../../../../kernel/iommu_groups/0"));
        assertThat(kernel.readLink(layout.deviceFile(UUID_B, "iommu_group")))
                .contains(Path.of("../../../../kernel/iommu_groups/1"));
        assertThat(kernel.isDirectory(layout.deviceFile(UUID_B, "iommu_group"))).isTrue();

        kernel.write(layout.removeFile(UUID_A), "1");
        create("mtty", "mtty-2", third);

        assertThat(kernel.readLink(layout.deviceFile(third, "iommu_group")))
                .contains(Path.of("../../../../../kernel/iommu_groups/0"));
    }

    @Test
    void etcListsEachEntryOnceWhateverTheNamesSortNextToIt() throws SysfsWriteException {
        for (var file : List.of("etc/hostname", "etc/hostname.old", "etc/host", "etc/mdevctl.d/mtty/" + UUID_A,
                "etc/mdevctl.d/mtty/" + UUID_B, "etc/mdevctl.d/mtty.x/" + UUID_A, "etc/mdevctl.d/mtty0/" + UUID_B)) {
            kernel.writeRegularFile(ROOT.resolve(file), "{}\n");
        }

        assertThat(kernel.list(ROOT.resolve("etc"))).containsExactly("host", "hostname", "hostname.old", "mdevctl.d");
        assertThat(kernel.list(layout.mdevctlDefinitions())).containsExactly("mtty", "mtty.x", "mtty0");
        assertThat(kernel.list(layout.mdevctlDefinitions().resolve("mtty"))).containsExactly(UUID_B, UUID_A);
        assertThat(kernel.exists(layout.mdevctlDefinitions().resolve("mtt"))).isFalse();
    }

    @Test
    void removeTakesANumber() throws SysfsWriteException {
        kernel.addMtty();
        create("mtty", "mtty-1", UUID_A);

        kernel.write(layout.removeFile(UUID_A), "0");
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertErrno(Errno.EINVAL, () -> kernel.write(layout.removeFile(UUID_A), "abc"));

        kernel.write(layout.removeFile(UUID_A), "1\n");

        assertThat(kernel.deviceUuids()).isEmpty();
        assertThat(available("mtty", "mtty-2")).isEqualTo(12);
        // a second remove finds no file
        assertErrno(Errno.ENOENT, () -> kernel.write(layout.removeFile(UUID_A), "1"));
    }

    @Test
    void vendorAttributesAreWritableFilesOfTheDevice() throws SysfsWriteException {
        kernel.addParent("mtty", "sys/devices/virtual/mtty/mtty", Map.of("ports", 24L), SimulatedKernel.NO_DEVICE_LIMIT,
                List.of(SimulatedType.of("mtty-1", "Single port serial", Map.of("ports", 1L))
                        .withAttributes("mdev/weight", "assign_adapter")));
        create("mtty", "mtty-1", UUID_A);

        kernel.write(layout.deviceFile(UUID_A, "mdev/weight"), "7\n");
        kernel.write(layout.deviceFile(UUID_A, "assign_adapter"), "0x3");

        assertThat(kernel.read(layout.deviceFile(UUID_A, "mdev/weight"))).contains("7\n");
        assertThat(kernel.list(layout.deviceFile(UUID_A, "mdev"))).containsExactly("weight");
        assertErrno(Errno.ENOENT, () -> kernel.write(layout.deviceFile(UUID_A, "mdev/colour"), "red"));
        // mdev_type is a link to the type directory
        assertErrno(Errno.EISDIR, () -> kernel.write(layout.deviceFile(UUID_A, "mdev_type"), "mtty-2"));
    }

    @Test
    void writeOnlyFilesCannotBeRead() throws SysfsWriteException {
        kernel.addMtty();
        create("mtty", "mtty-1", UUID_A);

        assertThatThrownBy(() -> kernel.read(layout.createFile("mtty", "mtty-1")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("EACCES").hasMessageContaining("Maybe");
        assertThatThrownBy(() -> kernel.read(layout.removeFile(UUID_A))).isInstanceOf(UncheckedIOException.class);
        assertErrno(Errno.EACCES, () -> kernel.write(layout.typeFile("mtty", "mtty-1", "available_instances"), "99"));
    }

    @Test
    void anInjectedFaultFailsExactlyTheNthMatchingWrite() throws SysfsWriteException {
        kernel.addMtty().failWrite(".*/mtty-2/create", 2, Errno.EIO);
        create("mtty", "mtty-1", "00000000-0000-4000-8000-000000000001");
        create("mtty", "mtty-2", "00000000-0000-4000-8000-000000000002");

        assertErrno(Errno.EIO, () -> create("mtty", "mtty-2", UUID_A));

        create("mtty", "mtty-2", UUID_B);
        assertThat(kernel.deviceUuids()).hasSize(3).doesNotContain(UUID_A).contains(UUID_B);
        assertThat(kernel.writeLog()).hasSize(4);
        assertThat(kernel.writeLog().get(2))
                .isEqualTo("write sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/create " + UUID_A + " -> EIO");
    }

    @Test
    void definitionsAreRegularFilesUnderEtc() throws SysfsWriteException {
        var definition = layout.definition("mtty", UUID_A);

        kernel.writeRegularFile(definition, "{}\n");

        assertThat(kernel.read(definition)).contains("{}\n");
        assertThat(kernel.list(layout.mdevctlDefinitions())).containsExactly("mtty");
        kernel.deleteRegularFile(definition);
        assertThat(kernel.read(definition)).isEmpty();
        assertThat(kernel.list(layout.mdevctlDefinitions())).isEmpty();
        assertErrno(Errno.EACCES, () -> kernel.writeRegularFile(ROOT.resolve("sys/class/evil"), "x"));
    }

    @Test
    void aParentMustOfferWhatItsTypesCost() {
        assertThatThrownBy(() -> kernel.addParent("gpu", "sys/devices/gpu", Map.of("memory", 8L),
                SimulatedKernel.NO_DEVICE_LIMIT, List.of(SimulatedType.of("gpu-1", null, Map.of("fences", 1L)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fences")
                .hasMessageContaining("Maybe");
        assertThatThrownBy(() -> kernel.addParent("gpu", "sys/devices/gpu", Map.of(), SimulatedKernel.NO_DEVICE_LIMIT,
                List.of(SimulatedType.of("gpu-1", null, Map.of()))))
                .hasMessageContaining("costs nothing");
    }

    @Test
    void aggregationWithoutAMaximumIsRefused() {
        var type = SimulatedType.of("x-1", null, Map.of());

        assertThatThrownBy(() -> type.withAggregation(AggregationDialect.ATTRIBUTE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Maybe");
    }
}

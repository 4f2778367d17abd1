package io.mdevplan.executor.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SysfsLayoutTest {

    private static final String UUID = "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b";
    private static final Path ROOT = Path.of("/tmp/fake-root");
    private final SysfsLayout layout = new SysfsLayout(ROOT);

    @Test
    void derivesTheKernelPathsFromTheRoot() {
        assertThat(layout.mdevBus()).isEqualTo(Path.of("/tmp/fake-root/sys/class/mdev_bus"));
        assertThat(layout.parent("0000:00:02.0")).isEqualTo(Path.of("/tmp/fake-root/sys/class/mdev_bus/0000:00:02.0"));
        assertThat(layout.supportedTypes("mtty"))
                .isEqualTo(Path.of("/tmp/fake-root/sys/class/mdev_bus/mtty/mdev_supported_types"));
        assertThat(layout.typeDir("mtty", "mtty-2"))
                .isEqualTo(Path.of("/tmp/fake-root/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2"));
        assertThat(layout.createFile("0000:00:02.0", "i915-GVTg_V5_4")).isEqualTo(Path.of(
                "/tmp/fake-root/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/create"));
        assertThat(layout.mdevDevices()).isEqualTo(Path.of("/tmp/fake-root/sys/bus/mdev/devices"));
        assertThat(layout.device(UUID)).isEqualTo(Path.of("/tmp/fake-root/sys/bus/mdev/devices/" + UUID));
        assertThat(layout.removeFile(UUID))
                .isEqualTo(Path.of("/tmp/fake-root/sys/bus/mdev/devices/" + UUID + "/remove"));
    }

    @Test
    void derivesTheMdevctlPathsFromTheRoot() {
        assertThat(layout.mdevctlDefinitions()).isEqualTo(Path.of("/tmp/fake-root/etc/mdevctl.d"));
        assertThat(layout.definition("0000:00:02.0", UUID))
                .isEqualTo(Path.of("/tmp/fake-root/etc/mdevctl.d/0000:00:02.0/" + UUID));
    }

    @Test
    void theHostLayoutStartsAtSlash() {
        assertThat(new SysfsLayout(Path.of("/")).parent("mtty")).isEqualTo(Path.of("/sys/class/mdev_bus/mtty"));
    }

    @Test
    void normalizesARelativeRoot() {
        var relative = new SysfsLayout(Path.of("build/../tree"));

        assertThat(relative.root()).isEqualTo(Path.of("tree").toAbsolutePath());
        assertThat(relative.mdevBus()).isEqualTo(Path.of("tree/sys/class/mdev_bus").toAbsolutePath());
    }

    @Test
    void refusesANullRoot() {
        assertThatThrownBy(() -> new SysfsLayout(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("root is null")
                .hasMessageContaining("Maybe");
    }

    /** Every method that takes a name, each exercised with the bad name in one argument. */
    static Stream<Arguments> nameTakers() {
        return Stream.of(
                Arguments.of("parent", (NameUse) (l, n) -> l.parent(n)),
                Arguments.of("supportedTypes", (NameUse) (l, n) -> l.supportedTypes(n)),
                Arguments.of("typeDir address", (NameUse) (l, n) -> l.typeDir(n, "mtty-1")),
                Arguments.of("typeDir type", (NameUse) (l, n) -> l.typeDir("mtty", n)),
                Arguments.of("createFile address", (NameUse) (l, n) -> l.createFile(n, "mtty-1")),
                Arguments.of("createFile type", (NameUse) (l, n) -> l.createFile("mtty", n)),
                Arguments.of("definition parent", (NameUse) (l, n) -> l.definition(n, UUID)));
    }

    interface NameUse {
        Path apply(SysfsLayout layout, String name);
    }

    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of("a/b", "contains '/'"),
                Arguments.of("/etc", "contains '/'"),
                Arguments.of("..", "contains '..'"),
                Arguments.of("mtty..", "contains '..'"),
                Arguments.of(".", "is '.'"),
                Arguments.of("", "missing or blank"),
                Arguments.of("   ", "missing or blank"),
                Arguments.of(null, "missing or blank"),
                Arguments.of("mtty\n", "control or white-space character at offset 4"),
                Arguments.of("mt ty", "control or white-space character at offset 2"),
                Arguments.of("mt\u0000ty", "control or white-space character at offset 2"),
                Arguments.of("mtty\u00a0", "control or white-space character at offset 4"),
                Arguments.of("x".repeat(256), "longer than 255 characters"),
                // a Cyrillic "т", and a lone surrogate the file system's encoding cannot hold
                Arguments.of("m\u0442ty", "U+0442 at offset 1, which is not printable ASCII"),
                Arguments.of("mtty\udc00", "U+DC00 at offset 4"));
    }

    static Stream<Arguments> everyTakerWithEveryBadName() {
        return nameTakers().flatMap(taker -> badNames().map(bad -> Arguments.of(
                taker.get()[0], taker.get()[1], bad.get()[0], bad.get()[1])));
    }

    @ParameterizedTest(name = "{0} refuses \"{2}\"")
    @MethodSource("everyTakerWithEveryBadName")
    void refusesUnsafeNames(String method, NameUse use, String name, String rule) {
        assertThatThrownBy(() -> use.apply(layout, name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(rule)
                .hasMessageContaining("Maybe")
                .satisfies(namesTheValue(name));
    }

    @ParameterizedTest(name = "accepts \"{0}\"")
    @ValueSource(strings = {"mtty", "0000:00:02.0", "0.0.0a17", "i915-GVTg_V5_4", "nvidia-46", "a.b", "x"})
    void acceptsRealNames(String name) {
        assertThat(layout.typeDir(name, name))
                .isEqualTo(ROOT.resolve("sys/class/mdev_bus").resolve(name).resolve("mdev_supported_types")
                        .resolve(name));
    }

    static Stream<NameUse> uuidTakers() {
        return Stream.of((l, u) -> l.device(u), (l, u) -> l.removeFile(u), (l, u) -> l.definition("mtty", u));
    }

    static Stream<Arguments> everyUuidTakerWithEveryBadUuid() {
        var bad = new String[] {"not-a-uuid", "8f1f3b2c0c4a4f0e9b5a2d6c7e8f9a0b", UUID + "\n", UUID + "0",
            "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0g", "../../../etc/passwd", "8f1f3b2c-0c4a-4f0e-9b5a/2d6c7e8f9a0b",
            UUID + ",aggregate=2", "", null};
        return uuidTakers().flatMap(use -> Stream.of(bad).map(uuid -> Arguments.of(use, uuid)));
    }

    @ParameterizedTest(name = "refuses uuid \"{1}\"")
    @MethodSource("everyUuidTakerWithEveryBadUuid")
    void refusesMalformedUuids(NameUse use, String uuid) {
        assertThatThrownBy(() -> use.apply(layout, uuid))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 8-4-4-4-12 hexadecimal digits")
                .hasMessageContaining("Maybe")
                .satisfies(namesTheValue(uuid));
    }

    @Test
    void acceptsUpperCaseUuids() {
        var upper = UUID.toUpperCase();

        assertThat(layout.device(upper)).isEqualTo(ROOT.resolve("sys/bus/mdev/devices").resolve(upper));
    }

    /** The message quotes the value, control characters shown as '?' so the message stays one readable line. */
    private static Consumer<Throwable> namesTheValue(String value) {
        var printable = value == null ? "null" : value.replaceAll("\\p{Cntrl}", "?");
        // a long value is shown by its start, so that the message stays readable
        var shown = printable.length() <= 64 ? printable
                : printable.substring(0, 64) + "... (" + value.length() + " characters)";
        return thrown -> assertThat(thrown.getMessage()).contains("\"" + shown + "\"").doesNotContain("\n");
    }

    @Test
    void derivesTypeAndDeviceFilesFromTheRoot() {
        var type = "/tmp/fake-root/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/";
        assertThat(layout.typeFile("mtty", "mtty-2", "available_instances"))
                .isEqualTo(Path.of(type + "available_instances"));
        assertThat(layout.typeDevice("mtty", "mtty-2", UUID)).isEqualTo(Path.of(type + "devices/" + UUID));
        assertThat(layout.deviceFile(UUID, "mdev/aggregation"))
                .isEqualTo(Path.of("/tmp/fake-root/sys/bus/mdev/devices/" + UUID + "/mdev/aggregation"));
        assertThat(layout.deviceFile(UUID, "assign_adapter"))
                .isEqualTo(Path.of("/tmp/fake-root/sys/bus/mdev/devices/" + UUID + "/assign_adapter"));
        assertThat(layout.hostnameFile()).isEqualTo(Path.of("/tmp/fake-root/etc/hostname"));
    }

    @ParameterizedTest(name = "refuses attribute \"{0}\"")
    @ValueSource(strings = {"/etc/passwd", "mdev/", "mdev//weight", "../remove", "mdev/../../x", "mdev/we ight"})
    void refusesDeviceAttributesThatCouldLeaveTheDevice(String name) {
        assertThatThrownBy(() -> layout.deviceFile(UUID, name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + name + "\"")
                .hasMessageContaining("Maybe");
    }

    @Test
    void refusesTypeFileNamesThatAreNoName() {
        assertThatThrownBy(() -> layout.typeFile("mtty", "mtty-2", "../../x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains '/'");
    }
}

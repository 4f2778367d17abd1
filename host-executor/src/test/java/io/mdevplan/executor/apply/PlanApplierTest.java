package io.mdevplan.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.mdevplan.executor.files.Errno;
import io.mdevplan.executor.files.SysfsFiles;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.simulation.KillingFiles;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.simulation.SimulatedType;
import io.mdevplan.executor.sysfs.AggregationDialect;
import io.mdevplan.executor.sysfs.SysfsLayout;

class PlanApplierTest {

    static final Path ROOT = Path.of("/sim");
    static final String GPU = "0000:00:02.0";
    static final String IDXD = "0000:6a:01.0";
    static final String GVT_8 = "i915-GVTg_V5_8";
    static final String UUID_A = "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b";
    static final String UUID_B = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    static final String UUID_C = "11111111-2222-4333-8444-555555555555";

    private final SysfsLayout layout = new SysfsLayout(ROOT);
    private final SimulatedKernel kernel = newKernel();
    /** How many writes the setup made, so that a test sees only the writes of apply. */
    private int setupWrites;

    /** mtty, a DSA with both dialects, and a GVT-g GPU whose aggregating type has two vendor attributes. */
    static SimulatedKernel newKernel() {
        var kernel = new SimulatedKernel(ROOT).addMtty().addIdxd(IDXD).addParent(GPU,
                "sys/devices/pci0000:00/" + GPU, Map.of("low_gm", 512L, "high_gm", 3072L, "fence", 32L),
                SimulatedKernel.NO_DEVICE_LIMIT, List.of(
                        SimulatedType.of(GVT_8, "GVTg_V5_8", Map.of("low_gm", 64L, "high_gm", 384L, "fence", 4L))
                                .withAggregation(AggregationDialect.ATTRIBUTE, 8)
                                .withAttributes("mdev/weight", "mdev/priority"),
                        SimulatedType.of("i915-GVTg_V5_4", "GVTg_V5_4",
                                Map.of("low_gm", 128L, "high_gm", 512L, "fence", 4L))));
        try {
            kernel.writeRegularFile(new SysfsLayout(ROOT).hostnameFile(), "node-01\n");
        } catch (SysfsWriteException e) {
            throw new AssertionError(e);
        }
        return kernel;
    }

    @BeforeEach
    void countTheSetupsWrites() {
        setupWrites = kernel.writeLog().size();
    }

    private List<String> applyWrites() {
        var log = kernel.writeLog();
        return log.subList(setupWrites, log.size());
    }

    private ApplyReport apply(PlanAction... actions) {
        return apply(kernel, actions);
    }

    private ApplyReport apply(SysfsFiles files, PlanAction... actions) {
        return new PlanApplier(layout, files, true).apply(new Plan("node-01", List.of(actions)));
    }

    static PlanAction create(String id, String uuid, String parent, String type, Integer instances,
            String... attrs) {
        var list = new ArrayList<Map<String, String>>();
        for (var i = 0; i < attrs.length; i += 2) {
            list.add(Map.of(attrs[i], attrs[i + 1]));
        }
        return new PlanAction(id, "create", uuid, parent, type, instances, attrs.length == 0 ? null : list);
    }

    static PlanAction remove(String id, String uuid) {
        return new PlanAction(id, "remove", uuid, null, null, null, null);
    }

    private String definition(String parent, String uuid) {
        return kernel.read(layout.definition(parent, uuid)).orElse(null);
    }

    private static String resource(String name) throws IOException {
        try (var in = PlanApplierTest.class.getResourceAsStream("/mdevctl/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private long available(String parent, String type) {
        return Long.parseLong(kernel.read(layout.typeFile(parent, type, "available_instances")).orElseThrow().strip());
    }

    // ---------------------------------------------------------------- creating

    @Test
    void createsAPlainDeviceAndDefinesItAsMdevctlWould() throws IOException {
        var report = apply(create("a1", UUID_A, "mtty", "mtty-2", null));

        assertThat(report.results()).containsExactly(new ActionResult("a1", ActionStatus.DONE, null));
        assertThat(report.exitCode()).isZero();
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(available("mtty", "mtty-1")).isEqualTo(22);
        assertThat(definition("mtty", UUID_A)).isEqualTo(resource("mtty-2-plain.json"));
    }

    @Test
    void aggregatesThroughTheAttributeThenWritesTheAttrsInOrder() throws IOException {
        var report = apply(create("a1", UUID_A, GPU, GVT_8, 2, "mdev/weight", "4"));

        assertThat(report.exitCode()).isZero();
        assertThat(kernel.read(layout.deviceFile(UUID_A, "mdev/aggregation"))).contains("2\n");
        assertThat(kernel.read(layout.deviceFile(UUID_A, "mdev/weight"))).contains("4\n");
        assertThat(available(GPU, GVT_8)).isEqualTo(6);
        assertThat(applyWrites()).containsExactly(
                "write sys/class/mdev_bus/" + GPU + "/mdev_supported_types/" + GVT_8 + "/create " + UUID_A + " -> OK",
                "write sys/bus/mdev/devices/" + UUID_A + "/mdev/aggregation 2 -> OK",
                "write sys/bus/mdev/devices/" + UUID_A + "/mdev/weight 4 -> OK",
                "write etc/mdevctl.d/" + GPU + "/" + UUID_A + " " + resource("i915-GVTg_V5_8-aggregated.json")
                        + " -> OK");
        assertThat(definition(GPU, UUID_A)).isEqualTo(resource("i915-GVTg_V5_8-aggregated.json"));
    }

    @Test
    void aggregatesThroughTheCreateParameterAndDefinesItForManualStart() {
        var report = apply(create("a1", UUID_A, IDXD, "idxd-dsa-1swq-v1", 2));

        assertThat(report.exitCode()).isZero();
        assertThat(kernel.read(layout.deviceFile(UUID_A, "aggregated_instances"))).contains("2\n");
        assertThat(applyWrites().get(0)).endsWith("/idxd-dsa-1swq-v1/create " + UUID_A + ",aggregate=2 -> OK");
        // mdevctl cannot pass ",aggregate=2": started at boot it would make a one-instance device
        assertThat(definition(IDXD, UUID_A)).contains("\"start\": \"manual\"").contains("\"attrs\": []");
    }

    @Test
    void anUpperCaseUuidMakesTheLowerCaseDeviceAndDefinition() {
        var report = apply(create("a1", UUID_A.toUpperCase(), "mtty", "mtty-1", 1));

        assertThat(report.exitCode()).isZero();
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(definition("mtty", UUID_A)).contains("mtty-1");
    }

    @Test
    void withoutPersistenceNoDefinitionIsWritten() {
        var report = new PlanApplier(layout, kernel, false).apply(new Plan("node-01", List.of(
                create("a1", UUID_A, "mtty", "mtty-1", null))));

        assertThat(report.exitCode()).isZero();
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(applyWrites()).noneMatch(write -> write.contains("etc/"));
        assertThat(kernel.list(layout.mdevctlDefinitions())).isEmpty();
    }

    // ---------------------------------------------------------------- refusals: nothing is written

    static Stream<Arguments> refusedActions() {
        return Stream.of(
                Arguments.of(create("a1", UUID_A, "0000:00:09.0", "mtty-1", null), "is not on this host"),
                Arguments.of(create("a1", UUID_A, "mtty", "nvidia-46", null), "does not offer the type"),
                Arguments.of(create("a1", "not-a-uuid", "mtty", "mtty-1", null), "not 8-4-4-4-12"),
                Arguments.of(create("a1", UUID_A + "\n", "mtty", "mtty-1", null), "not 8-4-4-4-12"),
                Arguments.of(create("a1", UUID_A, "mtty/../mtty", "mtty-1", null), "contains '/'"),
                Arguments.of(create("a1", UUID_A, "mtty", "..", null), "contains '..'"),
                Arguments.of(create("a1", UUID_A, "mtty", "mtty-1\u0007", null), "control or white-space"),
                Arguments.of(create("a1", UUID_A, null, "mtty-1", null), "missing or blank"),
                Arguments.of(create("a1", UUID_A, "mtty", "mtty-1", 0), "holds 1 to 1"),
                Arguments.of(create("a1", UUID_A, "mtty", "mtty-1", -3), "holds 1 to 1"),
                Arguments.of(create("a1", UUID_A, "mtty", "mtty-2", 2), "holds 1 to 1"),
                Arguments.of(create("a1", UUID_A, IDXD, "idxd-dsa-1dwq-v1", 5),
                        "holds 1 to 4 (aggregation: attribute)"),
                Arguments.of(create("a1", UUID_A, IDXD, "idxd-dsa-1swq-v1", 3),
                        "holds 1 to 2 (aggregation: create_parameter)"),
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "remove", "1"), "the mdev core's own entries"),
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "mdev_type/create", UUID_B), "own entries"),
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "mdev/../remove", "1"), "contains '..'"),
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "/etc/passwd", "x"), "starts or ends with '/'"),
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "mdev/aggregation", "2"), "give \"instances\""),
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "mdev/weight", "4\n"), "control character"),
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "mdev/weight", "4", "mdev/weight", "5"),
                        "appears twice"),
                Arguments.of(new PlanAction("a1", "remove", UUID_A, "mtty", null, null, null), "takes only id"),
                Arguments.of(new PlanAction("a1", "Create", UUID_A, "mtty", "mtty-1", null, null),
                        "neither create nor remove"),
                Arguments.of(new PlanAction(null, "remove", UUID_A, null, null, null, null), "has no id"),
                Arguments.of(new PlanAction("a1\nINFO forged log line", "remove", UUID_A, null, null, null, null),
                        "holds a control character"),
                Arguments.of(new PlanAction("a".repeat(65), "remove", UUID_A, null, null, null, null),
                        "longer than 64 characters"),
                // a Cyrillic "у" for the "y": no parent of this host, and no name the file system must encode
                Arguments.of(create("a1", UUID_A, "mtt\u0443", "mtty-1", null), "U+0443 at offset 3"),
                Arguments.of(create("a1", UUID_A, "mtty", "mtty-1\ud800", null), "U+D800 at offset 6"),
                // vfio-dev/vfioN/device leads back to the device, vfio-dev/vfioN/subsystem to every other one
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "vfio-dev/vfio0/device/remove", "1"),
                        "3 directories below the device"),
                Arguments.of(create("a1", UUID_A, GPU, GVT_8, 1, "vfio-dev/dev", "1"), "own entries"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("refusedActions")
    void refusesBeforeWritingAnything(PlanAction bad, String reason) {
        var report = apply(create("a0", UUID_C, "mtty", "mtty-1", null), bad);

        assertThat(report.results().get(1).status()).isEqualTo(ActionStatus.REFUSED);
        assertThat(report.results().get(1).error().message()).contains(reason).contains("Maybe");
        assertThat(report.results().get(1).error().errno()).isNull();
        assertThat(report.results().get(0).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(report.results().get(0).error().message()).contains("was refused");
        assertThat(report.exitCode()).isEqualTo(ApplyReport.EXIT_REFUSED);
        assertThat(applyWrites()).isEmpty();
        assertThat(kernel.deviceUuids()).isEmpty();
    }

    @Test
    void refusesAPlanForAnotherHost() {
        var report = new PlanApplier(layout, kernel, true).apply(new Plan("node-02", List.of(
                create("a1", UUID_A, "mtty", "mtty-1", null), remove("a2", UUID_B))));

        assertThat(report.results()).extracting(ActionResult::status)
                .containsExactly(ActionStatus.REFUSED, ActionStatus.REFUSED);
        assertThat(report.results().get(0).error().message()).contains("\"node-02\"").contains("\"node-01\"");
        assertThat(applyWrites()).isEmpty();
    }

    @Test
    void acceptsTheHostsFullName() {
        var report = new PlanApplier(layout, kernel, true).apply(new Plan("node-01.example.org", List.of(
                create("a1", UUID_A, "mtty", "mtty-1", null))));

        assertThat(report.exitCode()).isZero();
    }

    @Test
    void refusesTheSameUuidOrIdTwice() {
        var twice = apply(create("a1", UUID_A, "mtty", "mtty-1", null), remove("a2", UUID_A.toUpperCase()));
        var sameId = apply(create("a1", UUID_A, "mtty", "mtty-1", null), remove("a1", UUID_B));

        assertThat(twice.results().get(1).error().message()).contains("appears in actions a1 and a2");
        assertThat(sameId.results().get(1).error().message()).contains("is used by $.actions[0] and $.actions[1]");
        assertThat(applyWrites()).isEmpty();
    }

    // ---------------------------------------------------------------- failures: unwound, errno reported

    @Test
    void aCreateTheKernelRefusesLeavesNothing() {
        kernel.failWrite(".*/create", 1, Errno.ENOSPC);

        var report = apply(create("a1", UUID_A, "mtty", "mtty-2", null));

        var result = report.results().get(0);
        assertThat(result.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(result.error().errno()).isEqualTo("ENOSPC");
        assertThat(result.error().message()).contains("No space left on device").contains(UUID_A).contains("Maybe");
        assertThat(report.exitCode()).isEqualTo(ApplyReport.EXIT_FAILED);
        assertThat(kernel.deviceUuids()).isEmpty();
        assertThat(definition("mtty", UUID_A)).isNull();
    }

    @Test
    void aFailedAggregationRemovesTheDeviceAgain() {
        kernel.failWrite(".*/mdev/aggregation", 1, Errno.EBUSY);

        var result = apply(create("a1", UUID_A, GPU, GVT_8, 3, "mdev/weight", "4")).results().get(0);

        assertThat(result.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(result.error().errno()).isEqualTo("EBUSY");
        assertThat(result.error().message()).contains("Device or resource busy").contains("was removed again");
        assertThat(kernel.deviceUuids()).isEmpty();
        assertThat(available(GPU, GVT_8)).isEqualTo(8);
        assertThat(definition(GPU, UUID_A)).isNull();
        var writes = applyWrites();
        assertThat(writes.get(writes.size() - 1)).isEqualTo("write sys/bus/mdev/devices/" + UUID_A + "/remove 1 -> OK");
    }

    @Test
    void anAggregationWithoutRoomIsFoundBeforeWriting() {
        // 4 engines: the first device takes 3 of them, so aggregating the second to 2 finds no room
        assertThat(apply(create("a1", UUID_B, IDXD, "idxd-dsa-1dwq-v1", 3)).exitCode()).isZero();

        var result = apply(create("a2", UUID_A, IDXD, "idxd-dsa-1dwq-v1", 2)).results().get(0);

        // available_instances (1) already says 2 will not fit: nothing is written
        assertThat(result.error().errno()).isEqualTo("ENOSPC");
        assertThat(result.error().message()).contains("nothing was written");
        assertThat(kernel.deviceUuids()).containsExactly(UUID_B);
    }

    @ParameterizedTest(name = "attr {0} fails")
    @ValueSource(strings = {"mdev/weight", "mdev/priority"})
    void aFailedAttributeRemovesTheDeviceAgain(String failing) {
        kernel.failWrite(".*/" + failing, 1, Errno.EINVAL);

        var result = apply(create("a1", UUID_A, GPU, GVT_8, 2, "mdev/weight", "4", "mdev/priority", "high"))
                .results().get(0);

        assertThat(result.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(result.error().errno()).isEqualTo("EINVAL");
        assertThat(result.error().message()).contains(failing).contains("Invalid argument").contains("removed again");
        assertThat(kernel.deviceUuids()).isEmpty();
        assertThat(available(GPU, GVT_8)).isEqualTo(8);
        assertThat(definition(GPU, UUID_A)).isNull();
    }

    @Test
    void aDefinitionThatCannotBeWrittenRemovesTheDeviceAgain() {
        kernel.failWrite("etc/mdevctl\\.d/.*", 1, Errno.ENOSPC);

        var result = apply(create("a1", UUID_A, "mtty", "mtty-1", null)).results().get(0);

        assertThat(result.error().errno()).isEqualTo("ENOSPC");
        assertThat(result.error().message()).contains("etc/mdevctl.d/mtty/" + UUID_A).contains("removed again");
        assertThat(kernel.deviceUuids()).isEmpty();
        assertThat(definition("mtty", UUID_A)).isNull();
    }

    @Test
    void whenTheUnwindFailsTooTheReportSaysSoAndHowToFinish() {
        kernel.failWrite(".*/mdev/weight", 1, Errno.EINVAL).failWrite(".*/remove", 1, Errno.EBUSY);

        var result = apply(create("a1", UUID_A, GPU, GVT_8, 1, "mdev/weight", "4")).results().get(0);

        assertThat(result.error().errno()).isEqualTo("EINVAL");
        assertThat(result.error().message()).contains("failed too").contains("EBUSY")
                .contains("echo 1 > /sim/sys/bus/mdev/devices/" + UUID_A + "/remove");
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(definition(GPU, UUID_A)).isNull();
    }

    @Test
    void noRoomLeftIsFoundBeforeWriting() {
        for (var i = 0; i < 12; i++) {
            assertThat(apply(create("a" + i, String.format("00000000-0000-4000-8000-%012d", i), "mtty", "mtty-2",
                    null)).exitCode()).isZero();
        }
        var before = kernel.writeLog().size();

        var result = apply(create("a1", UUID_A, "mtty", "mtty-1", null)).results().get(0);

        assertThat(result.error().errno()).isEqualTo("ENOSPC");
        assertThat(result.error().message()).contains("room for 0 more instances");
        assertThat(kernel.writeLog()).hasSize(before);
    }

    @Test
    void actionsAfterAFailureAreSkippedAndThoseBeforeItStayDone() {
        kernel.failWrite(".*/mtty-2/create", 1, Errno.EIO);

        var report = apply(create("a1", UUID_A, "mtty", "mtty-1", null), create("a2", UUID_B, "mtty", "mtty-2", null),
                create("a3", UUID_C, "mtty", "mtty-1", null));

        assertThat(report.results()).extracting(ActionResult::status)
                .containsExactly(ActionStatus.DONE, ActionStatus.FAILED, ActionStatus.SKIPPED);
        assertThat(report.results().get(2).error().message()).contains("action a2 failed");
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(report.exitCode()).isEqualTo(ApplyReport.EXIT_FAILED);

        // the cause gone, the same plan finishes the work without touching a1's device
        var again = apply(create("a1", UUID_A, "mtty", "mtty-1", null), create("a2", UUID_B, "mtty", "mtty-2", null),
                create("a3", UUID_C, "mtty", "mtty-1", null));
        assertThat(again.exitCode()).isZero();
        assertThat(kernel.deviceUuids()).containsExactlyInAnyOrder(UUID_A, UUID_B, UUID_C);
    }

    // ---------------------------------------------------------------- idempotence

    @Test
    void applyingThePlanTwiceChangesNothingTheSecondTime() {
        var plan = new PlanAction[] {create("a1", UUID_A, GPU, GVT_8, 2, "mdev/weight", "4"),
            create("a2", UUID_B, IDXD, "idxd-dsa-1swq-v1", 2), remove("a3", UUID_C)};
        assertThat(apply(plan).exitCode()).isZero();
        var afterFirst = kernel.writeLog().size();
        var definition = definition(GPU, UUID_A);

        var second = apply(plan);

        assertThat(second.results()).extracting(ActionResult::status).containsOnly(ActionStatus.DONE);
        assertThat(kernel.writeLog()).hasSize(afterFirst);
        assertThat(kernel.deviceUuids()).containsExactlyInAnyOrder(UUID_A, UUID_B);
        assertThat(definition(GPU, UUID_A)).isEqualTo(definition);
    }

    @Test
    void aDeviceThereAsAnotherTypeFailsAndIsLeftAlone() {
        assertThat(apply(create("a1", UUID_A, "mtty", "mtty-1", null)).exitCode()).isZero();
        var before = kernel.writeLog().size();

        var result = apply(create("a1", UUID_A, "mtty", "mtty-2", null)).results().get(0);

        assertThat(result.error().errno()).isEqualTo("EEXIST");
        assertThat(result.error().message()).contains("already exists as mtty-1 on mtty holding 1")
                .contains("left as it is");
        assertThat(kernel.writeLog()).hasSize(before);
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
    }

    @Test
    void aDeviceThereOnAnotherParentFailsAndIsLeftAlone() {
        assertThat(apply(create("a1", UUID_A, GPU, "i915-GVTg_V5_4", null)).exitCode()).isZero();
        var before = kernel.writeLog().size();

        var result = apply(create("a1", UUID_A, IDXD, "idxd-dsa-1swq-v1", 2)).results().get(0);

        assertThat(result.error().errno()).isEqualTo("EEXIST");
        assertThat(result.error().message()).contains("as i915-GVTg_V5_4 on " + GPU + " holding 1 instances, not as"
                + " idxd-dsa-1swq-v1 on " + IDXD).contains("Maybe");
        assertThat(kernel.writeLog()).hasSize(before);
        assertThat(kernel.read(layout.definition(GPU, UUID_A))).isPresent();
    }

    @Test
    void aDeviceThereWithOtherInstancesInTheAttributeDialectIsAggregatedAsAsked() {
        assertThat(apply(create("a1", UUID_A, GPU, GVT_8, 2, "mdev/weight", "4")).exitCode()).isZero();
        var before = kernel.writeLog().size();

        var result = apply(create("a1", UUID_A, GPU, GVT_8, 3, "mdev/weight", "4")).results().get(0);

        assertThat(result.status()).isEqualTo(ActionStatus.DONE);
        assertThat(kernel.read(layout.deviceFile(UUID_A, "mdev/aggregation"))).contains("3\n");
        assertThat(available(GPU, GVT_8)).isEqualTo(5);
        // the weight reads as asked already: only the aggregation and the definition that names it are written
        var writes = kernel.writeLog().subList(before, kernel.writeLog().size());
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0)).isEqualTo("write sys/bus/mdev/devices/" + UUID_A + "/mdev/aggregation 3 -> OK");
        assertThat(definition(GPU, UUID_A)).contains("\"mdev/aggregation\": \"3\"");
    }

    @Test
    void anAttributeThatReadsOtherwiseIsWrittenAgain() throws SysfsWriteException {
        assertThat(apply(create("a1", UUID_A, GPU, GVT_8, 1, "mdev/weight", "4", "mdev/priority", "high"))
                .exitCode()).isZero();
        kernel.write(layout.deviceFile(UUID_A, "mdev/priority"), "low");
        var before = kernel.writeLog().size();

        assertThat(apply(create("a1", UUID_A, GPU, GVT_8, 1, "mdev/weight", "4", "mdev/priority", "high"))
                .exitCode()).isZero();

        assertThat(kernel.writeLog().subList(before, kernel.writeLog().size()))
                .containsExactly("write sys/bus/mdev/devices/" + UUID_A + "/mdev/priority high -> OK");
    }

    @Test
    void aFailureWhileFinishingADeviceRemovesItAsOnCreate() throws SysfsWriteException {
        // a run killed after the create: one instance instead of three, and no attribute
        kernel.write(layout.createFile(GPU, GVT_8), UUID_A);
        kernel.failWrite(".*/mdev/aggregation", 1, Errno.ENOSPC);

        var result = apply(create("a1", UUID_A, GPU, GVT_8, 3, "mdev/weight", "4")).results().get(0);

        assertThat(result.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(result.error().errno()).isEqualTo("ENOSPC");
        assertThat(result.error().message()).contains("was removed again");
        assertThat(kernel.deviceUuids()).isEmpty();
        assertThat(definition(GPU, UUID_A)).isNull();
    }

    @Test
    void aDeviceAsAskedWhoseDefinitionCannotBeWrittenStays() throws SysfsWriteException {
        kernel.write(layout.createFile("mtty", "mtty-2"), UUID_A);
        kernel.setInUse(UUID_A, true);
        kernel.failWrite("etc/mdevctl\\.d/.*", 1, Errno.EROFS);

        var result = apply(create("a1", UUID_A, "mtty", "mtty-2", null)).results().get(0);

        assertThat(result.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(result.error().errno()).isEqualTo("EROFS");
        assertThat(result.error().message()).contains("is there as asked and was left alone")
                .contains("its definition could not be written");
        assertThat(applyWrites()).noneMatch(write -> write.contains("/remove"));
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
    }

    @Test
    void aCreateParameterDeviceWithOtherInstancesIsMadeAgain() throws SysfsWriteException {
        kernel.write(layout.createFile(IDXD, "idxd-dsa-1swq-v1"), UUID_A);
        var before = kernel.writeLog().size();

        var report = apply(create("a1", UUID_A, IDXD, "idxd-dsa-1swq-v1", 2));

        assertThat(report.exitCode()).isZero();
        assertThat(kernel.read(layout.deviceFile(UUID_A, "aggregated_instances"))).contains("2\n");
        var writes = kernel.writeLog().subList(before, kernel.writeLog().size());
        assertThat(writes).hasSize(3);
        assertThat(writes.get(0)).isEqualTo("write sys/bus/mdev/devices/" + UUID_A + "/remove 1 -> OK");
        assertThat(writes.get(1)).endsWith("/idxd-dsa-1swq-v1/create " + UUID_A + ",aggregate=2 -> OK");
        assertThat(definition(IDXD, UUID_A)).contains("\"start\": \"manual\"");
    }

    @Test
    void aCreateParameterDeviceThatCouldNotBeMadeAgainIsLeftAsItIs() throws SysfsWriteException {
        kernel.write(layout.createFile(IDXD, "idxd-dsa-1swq-v1"), UUID_A);
        // 7 of the 8 work queues taken by others: the one it holds plus none free is not 2
        kernel.write(layout.createFile(IDXD, "idxd-dsa-1dwq-v1"), UUID_B);
        kernel.write(layout.deviceFile(UUID_B, "mdev/aggregation"), "4");
        kernel.write(layout.createFile(IDXD, "idxd-dsa-1swq-v1"), UUID_C + ",aggregate=2");
        kernel.write(layout.createFile(IDXD, "idxd-dsa-1swq-v1"), "22222222-2222-4333-8444-555555555555");
        var before = kernel.writeLog().size();

        var result = apply(create("a1", UUID_A, IDXD, "idxd-dsa-1swq-v1", 2)).results().get(0);

        assertThat(result.error().errno()).isEqualTo("ENOSPC");
        assertThat(result.error().message()).contains("holds 1 instances of idxd-dsa-1swq-v1, not 2")
                .contains("left as it is").contains("Maybe");
        assertThat(kernel.writeLog()).hasSize(before);
        assertThat(kernel.read(layout.deviceFile(UUID_A, "aggregated_instances"))).contains("1\n");
    }

    @Test
    void aCreateParameterDeviceInUseIsNotMadeAgain() throws SysfsWriteException {
        kernel.write(layout.createFile(IDXD, "idxd-dsa-1swq-v1"), UUID_A);
        kernel.setInUse(UUID_A, true);

        var result = apply(create("a1", UUID_A, IDXD, "idxd-dsa-1swq-v1", 2)).results().get(0);

        assertThat(result.error().errno()).isEqualTo("EBUSY");
        assertThat(result.error().message()).contains("removing it to make it again failed")
                .contains("left as it is").contains("Maybe a VM has the device open");
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
    }

    // ---------------------------------------------------------------- a run killed half-way, then applied again

    /**
     * r1 removes a device made before; a1 aggregates three instances through the attribute and writes two
     * attributes; a2 aggregates through the create parameter; a3 is plain. 11 writes in all.
     */
    static final PlanAction[] INTERRUPTED_PLAN = {
        remove("r1", UUID_C),
        create("a1", UUID_A, GPU, GVT_8, 3, "mdev/weight", "4", "mdev/priority", "high"),
        create("a2", UUID_B, IDXD, "idxd-dsa-1swq-v1", 2),
        create("a3", "33333333-2222-4333-8444-555555555555", "mtty", "mtty-1", null)};
    static final int INTERRUPTED_PLAN_WRITES = 11;

    private SimulatedKernel kernelBeforeTheInterruptedPlan(Set<String> writeOnly) {
        var fresh = newKernel().makeWriteOnly(writeOnly);
        assertThat(apply(fresh, create("a0", UUID_C, GPU, "i915-GVTg_V5_4", null)).exitCode()).isZero();
        return fresh;
    }

    static Stream<Arguments> killPoints() {
        // killed before each write (2: after the remove, before its definition's deletion; 4: after a1's create,
        // before its aggregation; 5: before its attributes; 7: before its definition), and after the last one
        return IntStream.rangeClosed(1, INTERRUPTED_PLAN_WRITES + 1).boxed()
                .flatMap(killAt -> Stream.of(Arguments.of(killAt, Set.of()),
                        Arguments.of(killAt, Set.of("mdev/weight", "mdev/priority"))));
    }

    @ParameterizedTest(name = "killed before write {0}, write-only attributes {1}")
    @MethodSource("killPoints")
    void theSamePlanAppliedAfterAKillLeavesTheTreeOfOneCleanRun(int killAt, Set<String> writeOnly) {
        var clean = kernelBeforeTheInterruptedPlan(writeOnly);
        var counted = new KillingFiles(clean, Integer.MAX_VALUE);
        assertThat(apply(counted, INTERRUPTED_PLAN).exitCode()).isZero();
        assertThat(counted.writes()).isEqualTo(INTERRUPTED_PLAN_WRITES);
        var killed = kernelBeforeTheInterruptedPlan(writeOnly);
        var dying = new KillingFiles(killed, killAt);

        if (killAt <= INTERRUPTED_PLAN_WRITES) {
            assertThatThrownBy(() -> apply(dying, INTERRUPTED_PLAN)).isInstanceOf(KillingFiles.Killed.class);
        } else {
            // every write made, killed before the report: the run is lost all the same
            apply(dying, INTERRUPTED_PLAN);
        }
        var again = apply(killed, INTERRUPTED_PLAN);

        assertThat(again.results()).extracting(ActionResult::status).containsOnly(ActionStatus.DONE);
        assertThat(TreeSnapshot.of(layout, killed)).isEqualTo(TreeSnapshot.of(layout, clean));
        // and, finished, the plan writes nothing more, even where attributes cannot be read back
        var writes = killed.writeLog().size();
        assertThat(apply(killed, INTERRUPTED_PLAN).exitCode())
                .isZero();
        assertThat(killed.writeLog()).hasSize(writes);
    }

    @Test
    void aWriteOnlyAttributeOfADeviceWithoutItsDefinitionIsWrittenAgain() {
        var files = kernel.makeWriteOnly(Set.of("mdev/weight"));
        assertThat(new PlanApplier(layout, files, false).apply(new Plan("node-01", List.of(
                create("a1", UUID_A, GPU, GVT_8, 1, "mdev/weight", "4")))).exitCode()).isZero();
        var before = kernel.writeLog().size();

        assertThat(apply(files, create("a1", UUID_A, GPU, GVT_8, 1, "mdev/weight", "4")).exitCode()).isZero();

        // nothing shows the earlier run got past the weight: it is written again, then the definition
        var writes = kernel.writeLog().subList(before, kernel.writeLog().size());
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0)).isEqualTo("write sys/bus/mdev/devices/" + UUID_A + "/mdev/weight 4 -> OK");
        assertThat(definition(GPU, UUID_A)).contains("mdev/weight");
    }

    @Test
    void aDeviceThereAsAskedGetsItsMissingDefinition() {
        assertThat(new PlanApplier(layout, kernel, false).apply(new Plan("node-01", List.of(
                create("a1", UUID_A, "mtty", "mtty-2", null)))).exitCode()).isZero();

        assertThat(apply(create("a1", UUID_A, "mtty", "mtty-2", null)).exitCode()).isZero();

        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(definition("mtty", UUID_A)).contains("mtty-2");
    }

    // ---------------------------------------------------------------- removing

    @Test
    void removeTakesTheDeviceAndItsDefinition() {
        assertThat(apply(create("a1", UUID_A, "mtty", "mtty-2", null)).exitCode()).isZero();

        var report = apply(remove("r1", UUID_A.toUpperCase()));

        assertThat(report.exitCode()).isZero();
        assertThat(kernel.deviceUuids()).isEmpty();
        assertThat(definition("mtty", UUID_A)).isNull();
        assertThat(available("mtty", "mtty-2")).isEqualTo(12);
    }

    @Test
    void aBusyDeviceIsNotRemovedAndKeepsItsDefinition() {
        assertThat(apply(create("a1", UUID_A, "mtty", "mtty-2", null)).exitCode()).isZero();
        kernel.setInUse(UUID_A, true);

        var result = apply(remove("r1", UUID_A)).results().get(0);

        assertThat(result.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(result.error().errno()).isEqualTo("EBUSY");
        assertThat(result.error().message()).contains("Maybe a VM has the device open");
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(definition("mtty", UUID_A)).isNotNull();
    }

    @Test
    void removingADeviceThatIsNotThereIsDoneAndDropsAStaleDefinition() throws SysfsWriteException {
        kernel.writeRegularFile(layout.definition("mtty", UUID_A), "{}\n");

        var report = apply(remove("r1", UUID_A));

        assertThat(report.exitCode()).isZero();
        assertThat(definition("mtty", UUID_A)).isNull();
        assertThat(applyWrites()).hasSize(2);
        assertThat(applyWrites().get(1)).isEqualTo("delete etc/mdevctl.d/mtty/" + UUID_A + " -> OK");
    }
}

package io.mdevplan.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.executor.files.Errno;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.sysfs.FakeSysfs;
import io.mdevplan.executor.sysfs.SysfsLayout;

class ApplyCommandTest {

    private static final Path SIM_ROOT = Path.of("/sim");
    private static final String UUID_A = "8f1f3b2c-0c4a-4f0e-9b5a-2d6c7e8f9a0b";
    private static final String UUID_B = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final SimulatedKernel kernel = new SimulatedKernel(SIM_ROOT).addMtty();
    private final SysfsLayout layout = new SysfsLayout(SIM_ROOT);

    @BeforeEach
    void nameTheHost() throws SysfsWriteException {
        kernel.writeRegularFile(layout.hostnameFile(), "node-01\n");
    }

    private int onKernel(String... args) {
        return ExecutorCli.commandLine(root -> kernel)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private Path plan(String actions) throws IOException {
        return Files.writeString(dir.resolve("plan.json"), "{\"host\": \"node-01\", \"actions\": [" + actions + "]}");
    }

    private static String create(String id, String uuid, String type) {
        return "{\"id\": \"" + id + "\", \"op\": \"create\", \"uuid\": \"" + uuid + "\", \"parent\": \"mtty\","
                + " \"type\": \"" + type + "\"}";
    }

    private JsonNode results() throws IOException {
        return new ObjectMapper().readTree(out.toString()).get("results");
    }

    @Test
    void aPlanThatIsDoneExitsZeroWithOneResultPerAction() throws IOException {
        var plan = plan(create("a1", UUID_A, "mtty-2") + ", {\"id\": \"a2\", \"op\": \"remove\", \"uuid\": \""
                + UUID_B + "\"}");

        var exitCode = onKernel("apply", "--plan", plan.toString(), "--root", SIM_ROOT.toString());

        assertThat(err.toString()).isEmpty();
        assertThat(exitCode).isZero();
        var results = results();
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("id").asText()).isEqualTo("a1");
        assertThat(results.get(0).get("status").asText()).isEqualTo("done");
        assertThat(results.get(0).has("error")).isFalse();
        assertThat(results.get(1).get("status").asText()).isEqualTo("done");
        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(kernel.read(layout.definition("mtty", UUID_A))).isPresent();
    }

    @Test
    void noPersistLeavesTheDefinitionsAlone() throws IOException {
        var plan = plan(create("a1", UUID_A, "mtty-2"));

        var exitCode = onKernel("apply", "--plan", plan.toString(), "--root", SIM_ROOT.toString(), "--no-persist");

        assertThat(exitCode).isZero();

        assertThat(kernel.deviceUuids()).containsExactly(UUID_A);
        assertThat(kernel.list(layout.mdevctlDefinitions())).isEmpty();
    }

    @Test
    void aFailedWriteExitsThreeWithTheErrno() throws IOException {
        kernel.failWrite(".*/create", 1, Errno.ENOSPC);
        var plan = plan(create("a1", UUID_A, "mtty-2") + ", " + create("a2", UUID_B, "mtty-1"));

        assertThat(onKernel("apply", "--plan", plan.toString(), "--root", SIM_ROOT.toString())).isEqualTo(3);

        var results = results();
        assertThat(results.get(0).get("status").asText()).isEqualTo("failed");
        assertThat(results.get(0).get("error").get("errno").asText()).isEqualTo("ENOSPC");
        assertThat(results.get(0).get("error").get("message").asText()).contains("No space left on device");
        assertThat(results.get(1).get("status").asText()).isEqualTo("skipped");
        assertThat(results.get(1).get("error").has("errno")).isFalse();
        assertThat(kernel.deviceUuids()).isEmpty();
    }

    @Test
    void aRefusedActionExitsTwoAndWritesNothing() throws IOException {
        var plan = plan(create("a1", UUID_A, "mtty-2") + ", " + create("a2", UUID_B, "mtty-9"));
        var writes = kernel.writeLog().size();

        assertThat(onKernel("apply", "--plan", plan.toString(), "--root", SIM_ROOT.toString())).isEqualTo(2);

        var results = results();
        assertThat(results.get(0).get("status").asText()).isEqualTo("skipped");
        assertThat(results.get(1).get("status").asText()).isEqualTo("refused");
        assertThat(results.get(1).get("error").get("message").asText()).contains("mtty-9");
        assertThat(kernel.writeLog()).hasSize(writes);
    }

    @Test
    void anUnreadablePlanExitsTwoWithTheReasonAndNoResults() throws IOException {
        var plan = Files.writeString(dir.resolve("plan.json"),
                "{\"host\": \"node-01\", \"actions\": [], \"force\": 1}");

        assertThat(onKernel("apply", "--plan", plan.toString(), "--root", SIM_ROOT.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("unknown field \"force\"").contains("Maybe");
        assertThat(out.toString()).isEmpty();
    }

    static Stream<Arguments> hostilePlans() {
        var action = "{\"id\": \"a1\", \"op\": \"create\", \"uuid\": \"" + UUID_A + "\", ";
        return Stream.of(
                Arguments.of(action + "\"parent\": \"../../etc\", \"type\": \"mtty-1\"}", "\"../../etc\"",
                        "results"),
                Arguments.of(action + "\"parent\": \"mtty\", \"type\": \"mtty-1\","
                        + " \"attrs\": [{\"vfio-dev/vfio0/device/remove\": \"1\"}]}",
                        "\"vfio-dev/vfio0/device/remove\"", "results"),
                Arguments.of(action + "\"parent\": \"mtty\", \"type\": \"mtty-1\", \"instances\": 2.7}",
                        "$.actions[0].instances", "stderr"),
                Arguments.of("null", "$.actions[0]", "stderr"),
                Arguments.of("[".repeat(60) + "]".repeat(60), "$.actions[0]", "stderr"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("hostilePlans")
    void aHostilePlanExitsTwoNamingTheValueWithoutAStackTraceOrAWrite(String actions, String named, String where)
            throws IOException {
        var plan = plan(actions);
        var writes = kernel.writeLog().size();

        assertThat(onKernel("apply", "--plan", plan.toString(), "--root", SIM_ROOT.toString())).isEqualTo(2);

        assertThat(where.equals("results") ? results().get(0).get("error").get("message").asText() : err.toString())
                .contains(named).contains("Maybe");
        assertThat(err.toString()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(kernel.writeLog()).hasSize(writes);
    }

    @Test
    void aPlanIsRequired() {
        assertThat(onKernel("apply", "--root", SIM_ROOT.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("--plan");
    }

    @Test
    void onARealTreeARefusalLeavesEveryFileAsItWas() throws IOException {
        var root = Files.createDirectory(dir.resolve("root"));
        new FakeSysfs(root).mtty();
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "node-01\n");
        var create = root.resolve("sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/create");
        var plan = plan(create("a1", UUID_A, "mtty-2") + ", " + create("a2", UUID_B, "mtty-2").replace(
                "\"mtty\"", "\"mtty/../mtty\""));

        var exitCode = ExecutorCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("apply", "--plan", plan.toString(), "--root", root.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(results().get(1).get("error").get("message").asText()).contains("contains '/'");
        assertThat(create).hasContent("");
        assertThat(root.resolve("etc/mdevctl.d")).doesNotExist();
    }

    @Test
    void onATreeWithoutAKernelACreateThatMakesNoDeviceFails() throws IOException {
        var root = Files.createDirectory(dir.resolve("root"));
        new FakeSysfs(root).mtty();
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "node-01\n");

        var exitCode = ExecutorCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("apply", "--plan", plan(create("a1", UUID_A, "mtty-1")).toString(), "--root", root.toString());

        assertThat(exitCode).isEqualTo(3);
        assertThat(results().get(0).get("error").get("errno").asText()).isEqualTo("ENODEV");
        assertThat(root.resolve("etc/mdevctl.d")).doesNotExist();
    }

    @Test
    void helpListsApplyAndItsExitCodes() {
        assertThat(onKernel("apply", "--help")).isZero();

        assertThat(out.toString()).contains("--plan").contains("--no-persist").contains("Exit codes")
                .contains("refused");
    }
}

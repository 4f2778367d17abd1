package io.mdevplan.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mdevplan.executor.agent.FakeService;
import io.mdevplan.executor.files.SysfsWriteException;
import io.mdevplan.executor.simulation.SimulatedKernel;
import io.mdevplan.executor.sysfs.SysfsLayout;

class RunCommandTest {

    private static final Path SIM_ROOT = Path.of("/sim");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final SimulatedKernel kernel = new SimulatedKernel(SIM_ROOT).addMtty();
    private FakeService service;

    @BeforeEach
    void start() throws SysfsWriteException, IOException {
        kernel.writeRegularFile(new SysfsLayout(SIM_ROOT).hostnameFile(), "node-01.lab.example\n");
        service = new FakeService("node-01");
    }

    @AfterEach
    void close() {
        service.close();
    }

    private int run(String... options) {
        var args = new String[options.length + 3];
        args[0] = "run";
        args[1] = "--root";
        args[2] = SIM_ROOT.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return ExecutorCli.commandLine(root -> kernel).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void aHostNameThatIsNotThisHostsIsRefusedBeforeAnyRequest() {
        assertThat(run("--service", service.uri().toString(), "--host", "node-02")).isEqualTo(2);

        assertThat(err.toString()).contains("The --host node-02 is not this host").contains("Maybe --host node-01");
        assertThat(service.inventories()).isEmpty();
    }

    @Test
    void aServiceThatIsNoHttpUrlIsRefused() {
        assertThat(run("--service", "mdevplan.example:8443")).isEqualTo(2);

        assertThat(err.toString()).contains("The --service \"mdevplan.example:8443\" is not an http(s) base URL")
                .contains("Maybe write https://");
    }

    @Test
    void anEmptyTokenFileIsRefused() throws IOException {
        var token = Files.writeString(dir.resolve("token"), "\n");

        assertThat(run("--service", service.uri().toString(), "--token-file", token.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("The --token-file " + token + " is empty");
    }

    @Test
    void aZeroPollWaitIsRefused() {
        assertThat(run("--service", service.uri().toString(), "--poll-wait", "0s")).isEqualTo(2);

        assertThat(err.toString()).contains("The --poll-wait 0 ms is not positive");
    }

    /** The service answers 404 for a host it has no path for: an agent for another host's service gives up. */
    @Test
    void anInventoryTheServiceRefusesForGoodEndsTheAgentWithExitCodeTwo() throws IOException {
        try (var other = new FakeService("node-07")) {
            assertThat(run("--service", other.uri().toString())).isEqualTo(2);
        }

        assertThat(err.toString()).contains("mdevplan-executor 0.1.0 for host node-01")
                .contains("answered 404").contains("Maybe check --service, --host and the token");
    }
}

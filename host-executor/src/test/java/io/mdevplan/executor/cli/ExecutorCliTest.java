package io.mdevplan.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.executor.sysfs.FakeSysfs;

class ExecutorCliTest {

    @TempDir
    Path root;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ExecutorCli.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private void nameTheHost(String name) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), name + "\n");
    }

    @Test
    void inventoryPrintsTheHostInTheFleetDocumentsShape() throws IOException {
        new FakeSysfs(root).mtty();
        nameTheHost("node-01");

        var exitCode = run("inventory", "--root", root.toString());

        assertThat(err.toString()).isEmpty();
        assertThat(exitCode).isZero();
        var json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("name").asText()).isEqualTo("node-01");
        assertThat(json.get("parents")).hasSize(1);
        var parent = json.get("parents").get(0);
        assertThat(parent.get("address").asText()).isEqualTo("mtty");
        assertThat(parent.get("driver").asText()).isEqualTo("mtty");
        assertThat(parent.get("pools").get("ports").asLong()).isEqualTo(24);
        assertThat(parent.get("types")).hasSize(2);
        var single = parent.get("types").get(0);
        assertThat(single.get("id").asText()).isEqualTo("mtty-1");
        assertThat(single.get("name").asText()).isEqualTo("Single port serial");
        assertThat(single.get("deviceApi").asText()).isEqualTo("vfio-pci");
        assertThat(single.get("cost").get("ports").asLong()).isEqualTo(1);
        var dual = parent.get("types").get(1);
        assertThat(dual.get("id").asText()).isEqualTo("mtty-2");
        assertThat(dual.get("cost").get("ports").asLong()).isEqualTo(2);
        assertThat(parent.get("devices")).isEmpty();
    }

    @Test
    void inventoryLeavesOutFilesTheDriverDoesNotHave() throws IOException {
        var fake = new FakeSysfs(root);
        fake.type(fake.parent("0000:00:02.0", "sys/devices/pci0000:00/0000:00:02.0"), "i915-GVTg_V5_4", null,
                "vfio-pci", "3");

        assertThat(run("inventory", "--root", root.toString(), "--host", "node-01")).isZero();

        var type = new ObjectMapper().readTree(out.toString()).get("parents").get(0).get("types").get(0);
        assertThat(type.has("name")).isFalse();
        assertThat(type.has("aggregation")).isFalse();
        assertThat(type.get("cost").get("instances").asLong()).isEqualTo(1);
    }

    @Test
    void inventoryOfAHostWithoutMdevIsEmpty() throws IOException {
        nameTheHost("node-01");

        assertThat(run("inventory", "--root", root.toString())).isZero();

        assertThat(new ObjectMapper().readTree(out.toString()).get("parents")).isEmpty();
    }

    @Test
    void inventoryTakesTheNameFromHostOverEtcHostname() throws IOException {
        nameTheHost("localhost");

        assertThat(run("inventory", "--root", root.toString(), "--host", "node-02")).isZero();

        assertThat(new ObjectMapper().readTree(out.toString()).get("name").asText()).isEqualTo("node-02");
    }

    @Test
    void inventoryWithoutAHostNameAsksForOne() {
        assertThat(run("inventory", "--root", root.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("has no name in " + root.resolve("etc/hostname"))
                .contains("Maybe pass --host NAME");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void inventoryRefusesAnUnsafeHostName() {
        assertThat(run("inventory", "--root", root.toString(), "--host", "a/b")).isEqualTo(2);

        assertThat(err.toString()).contains("The host name \"a/b\" contains '/'").contains("Maybe");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void inventoryRefusesARootThatIsNoDirectory() {
        var missing = root.resolve("missing");

        assertThat(run("inventory", "--root", missing.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("The --root " + missing + " is not a directory. Maybe");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void inventoryReportsABrokenTreeInOneLine() throws IOException {
        var fake = new FakeSysfs(root);
        fake.type(fake.parent("mtty", "sys/devices/virtual/mtty/mtty"), "mtty-1", null, null, "many");

        assertThat(run("inventory", "--root", root.toString(), "--host", "node-01")).isEqualTo(1);

        assertThat(err.toString()).startsWith("mdevplan-executor: The file ").contains("reads \"many\"")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void withoutACommandItAsksForOne() {
        assertThat(run()).isEqualTo(2);

        assertThat(err.toString()).contains("Missing command. Maybe run: inventory");
    }

    @Test
    void helpListsTheCommandsButNotTheBenchmark() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("inventory").contains("apply").contains("export").doesNotContain("bench");
        assertThat(Files.exists(root.resolve("sys"))).isFalse();
    }

    @Test
    void theHiddenBenchmarkPrintsAndWritesItsMarkdown() throws IOException {
        var file = root.resolve("bench.md");

        assertThat(run("bench", "--parents", "2", "--plans", "2", "--actions", "4", "--warmup", "0", "--runs", "1",
                "--out", file.toString())).isZero();

        assertThat(out.toString()).contains("### Plan actions applied per second").contains("2 parents");
        assertThat(Files.readString(file)).isEqualTo(out.toString());
    }

    @Test
    void theBenchmarkRefusesSettingsThatMeasureNothing() {
        assertThat(run("bench", "--runs", "0")).isEqualTo(2);

        assertThat(err.toString()).contains("0 measured runs are out of range").contains("Maybe");
    }
}

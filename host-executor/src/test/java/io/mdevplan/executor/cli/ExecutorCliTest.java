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

    @Test
    void inventoryPrintsTheParentsAndTypesAsJson() throws IOException {
        new FakeSysfs(root).mtty();

        var exitCode = run("inventory", "--root", root.toString());

        assertThat(err.toString()).isEmpty();
        assertThat(exitCode).isZero();
        var json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("parents")).hasSize(1);
        var parent = json.get("parents").get(0);
        assertThat(parent.get("address").asText()).isEqualTo("mtty");
        assertThat(parent.get("types")).hasSize(2);
        var single = parent.get("types").get(0);
        assertThat(single.get("id").asText()).isEqualTo("mtty-1");
        assertThat(single.get("name").asText()).isEqualTo("Single port serial");
        assertThat(single.get("deviceApi").asText()).isEqualTo("vfio-pci");
        assertThat(single.get("availableInstances").asLong()).isEqualTo(24);
        var dual = parent.get("types").get(1);
        assertThat(dual.get("id").asText()).isEqualTo("mtty-2");
        assertThat(dual.get("availableInstances").asLong()).isEqualTo(12);
    }

    @Test
    void inventoryLeavesOutFilesTheDriverDoesNotHave() throws IOException {
        var fake = new FakeSysfs(root);
        fake.type(fake.parent("0000:00:02.0", "sys/devices/pci0000:00/0000:00:02.0"), "i915-GVTg_V5_4", null,
                "vfio-pci", "3");

        assertThat(run("inventory", "--root", root.toString())).isZero();

        var type = new ObjectMapper().readTree(out.toString()).get("parents").get(0).get("types").get(0);
        assertThat(type.has("name")).isFalse();
        assertThat(type.get("availableInstances").asLong()).isEqualTo(3);
    }

    @Test
    void inventoryOfAHostWithoutMdevIsEmpty() throws IOException {
        assertThat(run("inventory", "--root", root.toString())).isZero();

        assertThat(new ObjectMapper().readTree(out.toString()).get("parents")).isEmpty();
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

        assertThat(run("inventory", "--root", root.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("mdevplan-executor: The file ").contains("reads \"many\"")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void withoutACommandItAsksForOne() {
        assertThat(run()).isEqualTo(2);

        assertThat(err.toString()).contains("Missing command. Maybe run: inventory");
    }

    @Test
    void helpListsTheInventoryCommand() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("inventory");
        assertThat(Files.exists(root.resolve("sys"))).isFalse();
    }
}

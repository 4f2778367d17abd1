package io.mdevplan.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mdevplan.executor.sysfs.FakeSysfs;

/** Runs the shaded jar as an operator would, proving its manifest and bundled dependencies. */
class ExecutorJarIT {

    @TempDir
    Path root;

    @Test
    void theRunnableJarPrintsTheInventory() throws IOException, InterruptedException {
        new FakeSysfs(root).mtty();
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "node-01\n");
        var jar = Path.of(System.getProperty("executor.jar", "target/mdevplan-executor.jar"));
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        var process = new ProcessBuilder(java, "-jar", jar.toString(), "inventory", "--root", root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var output = new String(process.getInputStream().readAllBytes());

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        // the planner's inference and fleet records are in the jar: the host in the fleet document's shape
        var host = new ObjectMapper().readTree(output);
        assertThat(host.get("name").asText()).isEqualTo("node-01");
        var parent = host.get("parents").get(0);
        assertThat(parent.get("pools").get("ports").asLong()).isEqualTo(24);
        assertThat(parent.get("types").get(0).get("cost").get("ports").asLong()).isEqualTo(1);
        assertThat(parent.get("types").get(1).get("cost").get("ports").asLong()).isEqualTo(2);
    }
}

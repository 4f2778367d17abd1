package io.mdevplan.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
        var jar = Path.of(System.getProperty("executor.jar", "target/mdevplan-executor.jar"));
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        var process = new ProcessBuilder(java, "-jar", jar.toString(), "inventory", "--root", root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var output = new String(process.getInputStream().readAllBytes());

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        var types = new ObjectMapper().readTree(output).get("parents").get(0).get("types");
        assertThat(types.get(0).get("availableInstances").asLong()).isEqualTo(24);
        assertThat(types.get(1).get("availableInstances").asLong()).isEqualTo(12);
    }
}

package io.mdevplan.executor.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * One boot that measures the executor in the VM (guest/bench.sh): start time and apply's actions per second against
 * raw writes by a shell loop. The numbers go to target/kernel-lab/benchmarks.md and the build's output.
 */
@Isolated // measures: nothing else may run meanwhile
@Tag("kernel-bench") // a benchmark, not a test: bench/kernel-lab.sh runs it, ./mvnw verify leaves it out
final class KernelBenchmarkIT {

    private static final Supplier<GuestRun> RUN = KernelLab.booting("bench");

    @Test
    void theGuestScriptRanToItsEnd() {
        RUN.get().assertRanToItsEnd();
    }

    @TestFactory
    Stream<DynamicTest> guestChecks() {
        return RUN.get().checkTests();
    }

    @Test
    void theNumbersAreWrittenDownAndPrinted() throws IOException {
        var run = RUN.get();
        var measured = run.dir().resolve("share/benchmarks.md");
        assertThat(measured).as("the guest's benchmarks %s", run.where()).exists();
        var target = run.dir().resolveSibling("benchmarks.md");
        Files.copy(measured, target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println(Files.readString(target));
        System.out.println("kernel-lab: the numbers are in " + target);
    }
}

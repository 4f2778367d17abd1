package io.mdevplan.executor.kernel;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs the kernel lab's scripts (host-executor/kernel-lab, see docs/kernel-lab.md) for the *IT classes of this
 * package: {@code prepare.sh} once per JVM (packages, kernel image, modules, initramfs; cached across runs), then
 * {@code boot.sh} once per test class. A machine that cannot run the lab (exit code 77: not root, apt-get failing)
 * makes every kernel test SKIPPED with the reason printed loudly, never passed.
 */
final class KernelLab {

    private static final Path SCRIPTS = Path.of(System.getProperty("kernel.lab.dir", "kernel-lab"));
    private static final Path OUT = Path.of(System.getProperty("kernel.lab.out", "target/kernel-lab"));
    private static final Path JAR = Path.of(System.getProperty("executor.jar", "target/mdevplan-executor.jar"));
    /** prepare.sh's exit code and message prefix (lib.sh's cannot_run) where this machine cannot run the lab. */
    private static final int CANNOT_RUN = 77;
    private static final String CANNOT_RUN_HERE = "CANNOT RUN HERE";
    /** Backstops: prepare.sh may install and download; each guest script has its own, shorter limit (# timeout:). */
    private static final Duration PREPARE_LIMIT = Duration.ofMinutes(20);
    private static final Duration BOOT_LIMIT = Duration.ofMinutes(15);

    /** prepare.sh's output (KEY=VALUE lines) once it succeeded; every boot reuses it. */
    private static Path prepared;
    /** Why this machine cannot run the lab, once prepare.sh said so: later classes skip without trying again. */
    private static String cannotRun;

    private KernelLab() {
    }

    /**
     * The run of guest/{@code scenario}.sh, booted on first use: every test of a class asks for the same run, so
     * that all of them are skipped (a machine that cannot run the lab) or fail (a VM that gave no answer) alike.
     */
    static Supplier<GuestRun> booting(String scenario) {
        return new Supplier<>() {
            private GuestRun run;
            /** An abort (this machine cannot run the lab) or another exception, for every later caller too. */
            private RuntimeException exception;
            /** A failed assertion (e.g. prepare.sh failed), for every later caller too. */
            private Error error;

            @Override
            public synchronized GuestRun get() {
                if (run == null && exception == null && error == null) {
                    try {
                        run = boot(scenario);
                    } catch (RuntimeException e) {
                        exception = e;
                    } catch (Error e) {
                        error = e;
                    }
                }
                if (exception != null) {
                    throw exception;
                }
                if (error != null) {
                    throw error;
                }
                return run;
            }
        };
    }

    /** Boots the VM once for guest/{@code scenario}.sh and reads what the guest left in the share. */
    private static GuestRun boot(String scenario) {
        var env = prepare();
        var dir = OUT.resolve(scenario).toAbsolutePath();
        var log = OUT.resolve(scenario + "-boot.log").toAbsolutePath();
        var started = System.nanoTime();
        var exitCode = run(List.of("bash", SCRIPTS.resolve("boot.sh").toString(), scenario, dir.toString(),
                JAR.toAbsolutePath().toString()), env, log, BOOT_LIMIT);
        var seconds = (System.nanoTime() - started) / 1_000_000_000;
        System.out.printf("kernel-lab: %s booted and ran in %d s (exit code %d); logs in %s%n", scenario, seconds,
                exitCode, dir);
        var output = read(log);
        if (exitCode == CANNOT_RUN && output.contains(CANNOT_RUN_HERE)) {
            skip(output);
        }
        return GuestRun.read(scenario, dir, exitCode, output);
    }

    private static synchronized Path prepare() {
        if (cannotRun != null) {
            Assumptions.abort(cannotRun);
        }
        if (prepared == null) {
            var log = OUT.resolve("prepare.log").toAbsolutePath();
            var env = OUT.resolve("prepared.env").toAbsolutePath();
            var started = System.nanoTime();
            var exitCode = run(List.of("bash", "-c", "exec bash \"$0\" >\"$1\"", SCRIPTS.resolve("prepare.sh").toString(),
                    env.toString()), null, log, PREPARE_LIMIT);
            var text = read(log);
            if (exitCode == CANNOT_RUN) {
                skip(text);
            }
            if (exitCode != 0) {
                fail("The kernel lab could not be prepared (prepare.sh exit code " + exitCode + "); its log, "
                        + log + ":\n" + text);
            }
            System.out.printf("kernel-lab: prepared in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
            prepared = env;
        }
        return prepared;
    }

    private static synchronized void skip(String log) {
        var reason = log.lines().filter(line -> line.contains(CANNOT_RUN_HERE)).findFirst()
                .orElse("prepare.sh exited with 77: this machine cannot run the kernel lab");
        cannotRun = "The executor was NOT tested against the real kernel. " + reason;
        System.err.println();
        System.err.println("=".repeat(100));
        System.err.println("KERNEL LAB SKIPPED: " + cannotRun);
        System.err.println("Run ./mvnw verify as root on a Debian machine with the package mirror (docs/kernel-lab.md).");
        System.err.println("=".repeat(100));
        Assumptions.abort(cannotRun);
    }

    /** Runs a command with its output in {@code log}; {@code prepared} (or null) is handed to boot.sh. */
    private static int run(List<String> command, Path prepared, Path log, Duration limit) {
        try {
            Files.createDirectories(log.getParent());
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("LAB_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (prepared != null) {
                builder.environment().put("LAB_PREPARED", prepared.toString());
            }
            var process = builder.start();
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(command.get(1) + " did not finish within " + limit.toMinutes() + " min; its log, " + log
                        + ":\n" + read(log));
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command + ": " + e.getMessage() + ". Maybe bash is"
                    + " missing.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

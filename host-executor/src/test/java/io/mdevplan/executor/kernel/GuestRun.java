package io.mdevplan.executor.kernel;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;

/**
 * What one boot left behind: the exit code, the guest's results (results.txt: "ok\tNAME" or "fail\tNAME\tDETAILS"
 * per check, "end" once the scenario ran through) and its snapshots of the kernel's view.
 */
record GuestRun(String scenario, Path dir, int exitCode, String bootLog, List<GuestCheck> checks, boolean finished,
                List<KernelSnapshot> snapshots) {

    /** One check the guest made. */
    record GuestCheck(String name, boolean ok, String details) {
    }

    static GuestRun read(String scenario, Path dir, int exitCode, String bootLog) {
        var share = dir.resolve("share");
        var checks = new ArrayList<GuestCheck>();
        var finished = false;
        for (var line : KernelLab.read(share.resolve("results.txt")).split("\n")) {
            var fields = line.split("\t", 3);
            if (fields[0].equals("end")) {
                finished = true;
            } else if (fields.length >= 2) {
                checks.add(new GuestCheck(fields[1], fields[0].equals("ok"), fields.length > 2 ? fields[2] : ""));
            }
        }
        try {
            return new GuestRun(scenario, dir, exitCode, bootLog, checks, finished,
                    KernelSnapshot.readAll(share.resolve("snapshots")));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the snapshots of " + scenario + " in " + share + ": "
                    + e.getMessage(), e);
        }
    }

    /** Fails unless the guest script ran to its end: exit code 0 and the "end" line after its checks. */
    void assertRanToItsEnd() {
        if (exitCode != 0 || !finished) {
            fail("guest/" + scenario + ".sh did not run to its end (exit code " + exitCode + ", " + checks.size()
                    + " checks recorded).\n" + where() + "\nThe boot's log:\n" + bootLog
                    + "\nThe end of the serial console:\n" + serialTail(40));
        }
    }

    /** One test per guest check. */
    Stream<DynamicTest> checkTests() {
        return checks.stream().map(check -> DynamicTest.dynamicTest(check.name(), () -> {
            if (!check.ok()) {
                fail("guest/" + scenario + ".sh: " + check.name() + ": " + check.details() + "\n" + where());
            }
        }));
    }

    /** Where to look: the guest's share (plans, apply outputs, snapshots) and the serial console. */
    String where() {
        return "(guest files: " + dir.resolve("share") + ", serial console: " + dir.resolve("serial.log") + ")";
    }

    private String serialTail(int lines) {
        try {
            var all = Files.readAllLines(dir.resolve("serial.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no serial console: " + e.getMessage() + ")";
        }
    }
}

package io.mdevplan.executor.apply;

import java.util.List;

/** What apply prints: one result per action, in the plan's order. */
public record ApplyReport(List<ActionResult> results) {

    /** Every action done. */
    public static final int EXIT_DONE = 0;
    /** An action was refused (bad input): nothing was written. */
    public static final int EXIT_REFUSED = 2;
    /** A write failed on the host: the actions before it are done, it was unwound, the later ones skipped. */
    public static final int EXIT_FAILED = 3;

    public ApplyReport {
        results = List.copyOf(results);
    }

    /** Not a record component, so not printed: the process's exit code for this report. */
    public int exitCode() {
        if (results.stream().anyMatch(result -> result.status() == ActionStatus.REFUSED)) {
            return EXIT_REFUSED;
        }
        return results.stream().allMatch(result -> result.status() == ActionStatus.DONE) ? EXIT_DONE : EXIT_FAILED;
    }
}

package io.mdevplan.web.problem;

import java.util.List;

import io.mdevplan.planner.fleet.SysfsNames;

/** Refuses a name from the request's path or query that is not a safe sysfs path component, before anything else. */
public final class SafeNames {

    private SafeNames() {
    }

    /**
     * Answers 400 invalid-name unless {@code value} is safe; {@code what} names it in the message ("the host name"),
     * {@code path} where it came from ("{name}", "host").
     */
    public static void check(String what, String path, String value) {
        SysfsNames.whyUnsafe(value).ifPresent(reason -> {
            throw new ProblemException(ProblemType.INVALID_NAME, capitalized(what) + " " + reason + ". Maybe use"
                    + " letters, digits, '-', '_', '.' and ':' only.", List.of(new ProblemItem(path, value,
                            what + " " + reason)));
        });
    }

    private static String capitalized(String what) {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}

package io.mdevplan.planner.fleet;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names that end up as sysfs or /etc/mdevctl.d path components (hosts, parent addresses, type ids, pool names)
 * must be safe there: no separators, no parent references, no control characters.
 */
public final class SysfsNames {

    private static final int MAX_LENGTH = 255;
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private SysfsNames() {
    }

    /** Why {@code name} is not a safe path component, or empty when it is. */
    public static Optional<String> whyUnsafe(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("is missing or blank");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters");
        }
        if (name.contains("/")) {
            return Optional.of("contains '/'");
        }
        if (name.equals(".") || name.equals("..") || name.contains("..")) {
            return Optional.of("contains '..'");
        }
        for (var i = 0; i < name.length(); i++) {
            var c = name.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                return Optional.of("contains a control or white-space character at offset " + i);
            }
        }
        return Optional.empty();
    }

    public static boolean isUuid(String value) {
        return value != null && UUID.matcher(value).matches();
    }
}

package io.mdevplan.web.http;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Durations in a query (?wait=30s, ?timeLimit=2m): a whole number of ms, seconds (the default unit) or minutes. */
public final class QueryDurations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private QueryDurations() {
    }

    /** The duration in milliseconds; empty when the text is not one. */
    public static OptionalLong millis(String text) {
        var matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        var amount = Long.parseLong(matcher.group(1));
        var unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return OptionalLong.of(switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            default -> amount * 1_000;
        });
    }
}

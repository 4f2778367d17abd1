package io.mdevplan.executor.cli;

import java.time.Duration;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** Reads 500ms, 30s, 2m or 1h; a bare number is seconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        var matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            throw new CommandLine.TypeConversionException("\"" + value + "\" is not a duration. Maybe write 500ms,"
                    + " 30s, 2m or 1h.");
        }
        var amount = Long.parseLong(matcher.group(1));
        var unit = matcher.group(2) == null ? "s" : matcher.group(2);
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofSeconds(amount);
        }
    }
}

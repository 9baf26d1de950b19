package io.gridledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;

/** Durations as people type them: {@code 90} or {@code 90s}, {@code 10m}, {@code 2h}, {@code 500ms}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String text, CommandSpec spec) {
        var matcher = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)?").matcher(text.trim());
        if (!matcher.matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "not a duration: " + text + " (e.g. 30s, 10m, 1h)");
        }
        long amount = Long.parseLong(matcher.group(1));
        var unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }
}

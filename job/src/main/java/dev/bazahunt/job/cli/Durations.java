package dev.bazahunt.job.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations as users type them: {@code 500ms}, {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, or ISO {@code PT30M}. */
public final class Durations {
    private Durations() {}

    public static Duration parse(String option, String text) throws UsageException {
        return parse(option, text, false);
    }

    /** As {@link #parse(String, String)}, but zero is allowed too (e.g. a watermark bound of 0). */
    public static Duration parseAllowingZero(String option, String text) throws UsageException {
        return parse(option, text, true);
    }

    private static Duration parse(String option, String text, boolean zeroAllowed) throws UsageException {
        String t = text.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return checked(option, text, Duration.parse(t), zeroAllowed);
            }
            int unitStart = 0;
            while (unitStart < t.length() && Character.isDigit(t.charAt(unitStart))) {
                unitStart++;
            }
            if (unitStart == 0) {
                throw new UsageException(message(option, text));
            }
            long amount = Long.parseLong(t.substring(0, unitStart));
            Duration value = switch (t.substring(unitStart)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new UsageException(message(option, text));
            };
            return checked(option, text, value, zeroAllowed);
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new UsageException(message(option, text));
        }
    }

    private static Duration checked(String option, String text, Duration value, boolean zeroAllowed)
            throws UsageException {
        if (value.isNegative() || (value.isZero() && !zeroAllowed)) {
            throw new UsageException("--" + option + " must be " + (zeroAllowed ? "zero or more" : "positive")
                    + ", got '" + text + "'");
        }
        return value;
    }

    private static String message(String option, String text) {
        return "--" + option + " must be a duration such as 500ms, 90s, 30m, 2h, 1d or PT30M; got '" + text + "'";
    }
}

package dev.bazahunt.job.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Event-time options such as {@code --from 2021-07-01}: ISO-8601, as an instant with an offset
 * ({@code 2021-07-01T08:00:00+02:00}, {@code …Z}), a date-time without one, or a date. Times without an
 * offset are UTC, as Defender's own Timestamps are.
 */
public final class EventTimes {
    private EventTimes() {}

    /** The option's instant, or null when it is not given. */
    public static Instant parse(CommandLine line, String name) throws UsageException {
        String text = line.get(name, null);
        return text == null ? null : parse(name, text);
    }

    static Instant parse(String name, String text) throws UsageException {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException ignored) {
            // try the forms without an offset
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            // try a date
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException e) {
            throw new UsageException("--" + name + " must be an ISO-8601 date or date-time such as 2021-07-01 or "
                    + "2021-07-01T08:00:00Z, got '" + text + "'");
        }
    }
}

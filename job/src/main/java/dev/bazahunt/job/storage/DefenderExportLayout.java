package dev.bazahunt.job.storage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Defender's export to Azure Storage: one container per table, {@code insights-logs-advancedhunting-<table>},
 * and in it one blob per hour, {@code tenantId=<id>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json}. The hour
 * is when Defender received the rows, never before a row's own Timestamp.
 */
public final class DefenderExportLayout {
    public static final String CONTAINER_PREFIX = "insights-logs-advancedhunting-";

    private DefenderExportLayout() {}

    /** The table that the last container in {@code path} is named after, lower case; null when there is none. */
    public static String containerTable(String path) {
        String table = null;
        for (String segment : path.split("/")) {
            String lower = segment.toLowerCase(Locale.ROOT);
            if (lower.startsWith(CONTAINER_PREFIX) && lower.length() > CONTAINER_PREFIX.length()) {
                table = lower.substring(CONTAINER_PREFIX.length());
            }
        }
        return table;
    }

    /** When rows under a folder or in a blob were received: {@code [start, end)}. */
    public record ReceiptSpan(Instant start, Instant end) {}

    /**
     * The receipt times that {@code path}'s {@code y=}, {@code m=}, {@code d=} and {@code h=} folders
     * allow: a year, a month, a day or an hour. Null when the path has no {@code y=} folder or its
     * folders are not a date (then nothing is pruned by it). The {@code m=} after {@code h=} is the
     * minute, always 00.
     */
    public static ReceiptSpan receiptSpan(String path) {
        int[] fields = new int[4]; // year, month, day, hour
        int found = 0;
        for (String segment : path.split("/")) {
            String prefix = switch (found) {
                case 0 -> "y=";
                case 1 -> "m=";
                case 2 -> "d=";
                case 3 -> "h=";
                default -> null;
            };
            if (prefix == null) {
                break;
            }
            if (segment.startsWith(prefix)) {
                try {
                    fields[found++] = Integer.parseInt(segment.substring(2));
                } catch (NumberFormatException e) {
                    return null;
                }
            } else if (found > 0) {
                break; // the date folders are consecutive
            }
        }
        if (found == 0) {
            return null;
        }
        try {
            LocalDateTime start = LocalDateTime.of(fields[0], found > 1 ? fields[1] : 1, found > 2 ? fields[2] : 1,
                    found > 3 ? fields[3] : 0, 0);
            LocalDateTime end = switch (found) {
                case 1 -> start.plusYears(1);
                case 2 -> start.plusMonths(1);
                case 3 -> start.plusDays(1);
                default -> start.plusHours(1);
            };
            return new ReceiptSpan(start.toInstant(ZoneOffset.UTC), end.toInstant(ZoneOffset.UTC));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}

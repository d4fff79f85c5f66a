package dev.bazahunt.job.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bundled testdata rows laid out as Defender's continuous export to Azure Storage writes them: one
 * container per table, {@code insights-logs-advancedhunting-<table>}, and one blob per hour of receipt,
 * {@code tenantId=<id>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json}. Each row is received
 * {@link #RECEIPT_DELAY} after its Timestamp. The {@link #TRUNCATED_BLOB} ends with a line cut short,
 * as a blob copied while Defender still appended to it: it must become exactly one dead letter. One
 * more container, of a table no rule reads ({@code deviceregistryevents}), holds a blob that is not
 * even JSON: a replay that opened it would dead-letter its line too.
 */
public final class DefenderStorageExport {
    public static final String TENANT = "3f2b9c1e-5d7a-4a1b-9c2d-7e5f1a2b3c4d";
    public static final Duration RECEIPT_DELAY = Duration.ofMinutes(2);
    public static final String UNREAD_CONTAINER = "insights-logs-advancedhunting-deviceregistryevents";
    public static final String TRUNCATED_BLOB = "insights-logs-advancedhunting-devicefileevents/tenantId=" + TENANT
            + "/y=2021/m=07/d=21/h=09/m=00/PT1H.json";

    private DefenderStorageExport() {}

    /** One hourly blob: its path under the export's root and the hour Defender received its rows. */
    public record Blob(String path, Instant receiptHour) {}

    /**
     * Writes the export under {@code root}; returns the blobs of the two tables the rules read, by path.
     * Rows of other tables land in their own containers, which the rules do not read either.
     */
    public static List<Blob> write(Path root) throws IOException {
        Map<String, List<String>> lines = new TreeMap<>();
        Map<String, Instant> hours = new TreeMap<>();
        for (TestdataRows.Row row : TestdataRows.wellFormedRows()) {
            Instant received = Instant.parse(row.timestamp()).plus(RECEIPT_DELAY);
            Instant hour = received.truncatedTo(ChronoUnit.HOURS);
            String path = blobPath(row.table(), hour);
            ObjectNode envelope = row.envelope().deepCopy();
            envelope.put("time", received.toString());
            envelope.put("tenantId", TENANT);
            lines.computeIfAbsent(path, p -> new ArrayList<>()).add(TestRows.line(envelope));
            hours.put(path, hour);
        }
        lines.get(TRUNCATED_BLOB).add("{\"time\":\"2021-07-21T09:59:58Z\",\"tenantId\":\"" + TENANT
                + "\",\"category\":\"AdvancedHunting-DeviceFileEvents\",\"properties\":{\"Timestamp\":\"2021-07-21T09:5");
        List<Blob> blobs = new ArrayList<>();
        for (Map.Entry<String, List<String>> blob : lines.entrySet()) {
            Path file = root.resolve(blob.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", blob.getValue()) + "\n", StandardCharsets.UTF_8);
            if (blob.getKey().startsWith("insights-logs-advancedhunting-devicefileevents/")
                    || blob.getKey().startsWith("insights-logs-advancedhunting-deviceprocessevents/")) {
                blobs.add(new Blob(blob.getKey(), hours.get(blob.getKey())));
            }
        }
        Path unread = root.resolve(UNREAD_CONTAINER + "/tenantId=" + TENANT + "/y=2021/m=07/d=21/h=09/m=00/PT1H.json");
        Files.createDirectories(unread.getParent());
        Files.writeString(unread, "this blob must never be opened\n", StandardCharsets.UTF_8);
        return blobs;
    }

    static String blobPath(String table, Instant hour) {
        ZonedDateTime at = hour.atZone(ZoneOffset.UTC);
        return String.format(Locale.ROOT, "insights-logs-advancedhunting-%s/tenantId=%s/y=%04d/m=%02d/d=%02d/h=%02d/m=00/PT1H.json",
                table.toLowerCase(Locale.ROOT), TENANT, at.getYear(), at.getMonthValue(), at.getDayOfMonth(), at.getHour());
    }
}

package dev.bazahunt.job.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazahunt.job.storage.DefenderExportLayout;
import dev.bazahunt.job.storage.ExportPruning;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration RECEIPT_DELAY = Duration.ofMinutes(2);
    public static final String UNREAD_CONTAINER = "insights-logs-advancedhunting-deviceregistryevents";
    public static final String TRUNCATED_BLOB = "insights-logs-advancedhunting-devicefileevents/tenantId=" + TENANT
            + "/y=2021/m=07/d=21/h=09/m=00/PT1H.json";

    /** The range the tests hunt: the 09:23 and 09:26 downloads of 2021-07-21, not those around them. */
    public static final Instant RANGE_FROM = Instant.parse("2021-07-21T09:20:00Z");
    public static final Instant RANGE_UNTIL = Instant.parse("2021-07-21T09:28:00Z");
    /** The ingestion delay the range tests give, so blobs after the range are pruned too. */
    public static final String RANGE_MAX_INGESTION_DELAY = "1h";

    private DefenderStorageExport() {}

    /** The golden alerts whose download lies in {@code [from, until)}, in the golden file's order. */
    public static List<String> goldenAlertsOfDownloadsIn(Instant from, Instant until) throws IOException {
        List<String> alerts = new ArrayList<>();
        for (String alert : Files.readAllLines(TestdataRows.TESTDATA.resolve("expected-alerts.jsonl"))) {
            Instant at = Instant.parse(JSON.readTree(alert).get("Timestamp").asText());
            if (!at.isBefore(from) && at.isBefore(until)) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    /**
     * The blobs a hunt of {@link #RANGE_FROM} to {@link #RANGE_UNTIL} with a 30-minute window and a
     * 1-hour ingestion delay must read, derived by hand: rows received in hour H happened in
     * [H - 1h, H + 1h), and the rows that matter lie in [09:20 - 30m, 09:28 + 30m) = [08:50, 09:58).
     * So the hours 08:00 to 10:00 can hold them, and no other.
     */
    public static long blobsReadForTheRange(List<Blob> blobs) {
        return blobs.stream().filter(blob -> !blob.receiptHour().isBefore(Instant.parse("2021-07-21T08:00:00Z"))
                && !blob.receiptHour().isAfter(Instant.parse("2021-07-21T10:00:00Z"))).count();
    }

    /** Writes the export under {@code scratch} and uploads it to {@code s3://bucket/prefix}. */
    public static List<Blob> uploadTo(LocalObjectStore store, String bucket, String prefix, Path scratch) throws Exception {
        List<Blob> blobs = write(scratch);
        store.makeBucket(bucket);
        store.upload(scratch, "s3://" + bucket + "/" + prefix);
        return blobs;
    }

    /** One hourly blob: its path under the export's root and the hour Defender received its rows. */
    public record Blob(String path, Instant receiptHour) {}

    /**
     * Writes the export under {@code root}; returns the blobs of the tables the loaded rules read, by
     * path. Rows of other tables land in their own containers, which replay leaves closed.
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
            String table = blob.getKey().substring(DefenderExportLayout.CONTAINER_PREFIX.length(), blob.getKey().indexOf('/'));
            if (ExportPruning.tablesReadByLoadedRules().contains(table)) {
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

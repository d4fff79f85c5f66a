package dev.bazahunt.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The bundled telemetry taken apart into single rows, so tests can re-deliver the same events in other
 * wire forms, orders and files: every row becomes a Storage envelope line (category + properties).
 */
public final class TestdataRows {
    public static final Path TESTDATA = Path.of("").toAbsolutePath().getParent().resolve("testdata");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestdataRows() {}

    /** One well-formed row as a Storage envelope, with its table, device and event time. */
    public record Row(String table, String deviceId, String timestamp, ObjectNode envelope) {
        public String json() {
            try {
                return JSON.writeValueAsString(envelope);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every row of testdata/telemetry except the malformed lines, in file order. */
    public static List<Row> wellFormedRows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Path file : telemetryFiles()) {
            if (file.toString().contains("malformed")) {
                continue;
            }
            for (String line : readLines(file)) {
                JsonNode unit = JSON.readTree(line);
                List<JsonNode> records = new ArrayList<>();
                if (unit.has("records")) {
                    unit.get("records").forEach(records::add);
                } else {
                    records.add(unit);
                }
                for (JsonNode record : records) {
                    rows.add(toRow(record));
                }
            }
        }
        return rows;
    }

    /** The malformed lines, unchanged. */
    public static List<String> malformedLines() throws IOException {
        return readLines(TESTDATA.resolve("telemetry/malformed/bad-lines.jsonl"));
    }

    /** Rows sorted by event time, as a live feed would deliver them. */
    public static List<Row> inEventTimeOrder(List<Row> rows) {
        return rows.stream().sorted(Comparator.comparing(Row::timestamp)).toList();
    }

    /**
     * Sends one benign row a day after the testdata to each of the topic's {@code partitions}, keyed
     * "clock": it moves event time past every correlation window, so every open window closes.
     */
    public static void produceClockRowsADayLater(KafkaTestClient client, String topic, int partitions) throws Exception {
        java.time.Instant later = java.time.Instant.parse("2021-07-23T12:00:00Z");
        for (int partition = 0; partition < partitions; partition++) {
            client.produce(topic, List.<String[]>of(new String[] {"clock",
                    TestRows.line(TestRows.benign(TestRows.DEVICE, later, 900 + partition))}), partition);
        }
    }

    /**
     * The well-formed testdata rows in event-time order, one Event Hubs message each, as
     * {@code {key (DeviceId), body}} pairs for a producer.
     */
    public static List<String[]> oneRowMessagesInEventTimeOrder() throws IOException {
        List<String[]> messages = new java.util.ArrayList<>();
        for (Row row : inEventTimeOrder(wellFormedRows())) {
            messages.add(new String[] {row.deviceId(), eventHubsMessage(List.of(row))});
        }
        return messages;
    }

    /** An Event Hubs message body holding these rows as its {@code records[]}. */
    public static String eventHubsMessage(List<Row> rows) {
        ObjectNode message = JSON.createObjectNode();
        rows.forEach(row -> message.withArray("records").add(row.envelope()));
        try {
            return JSON.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Row toRow(JsonNode record) {
        String table = record.has("category")
                ? record.get("category").asText().replace("AdvancedHunting-", "")
                : record.get("Type").asText();
        ObjectNode envelope;
        if (record.has("properties")) {
            envelope = (ObjectNode) record.deepCopy();
        } else {
            envelope = JSON.createObjectNode();
            envelope.put("time", "2021-07-23T00:00:00.0000000Z");
            envelope.put("category", "AdvancedHunting-" + table);
            ObjectNode properties = record.deepCopy();
            if (!properties.has("Timestamp")) {
                properties.set("Timestamp", properties.get("TimeGenerated"));
            }
            envelope.set("properties", properties);
        }
        JsonNode properties = envelope.get("properties");
        return new Row(table, properties.get("DeviceId").asText(), normalisedTime(properties.get("Timestamp").asText()),
                envelope);
    }

    /** Sortable form: Defender writes 0 to 7 fractional digits. */
    private static String normalisedTime(String iso) {
        return java.time.Instant.parse(iso).toString();
    }

    private static List<Path> telemetryFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(TESTDATA.resolve("telemetry"))) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    public static List<String> readLines(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).toList();
        }
    }
}

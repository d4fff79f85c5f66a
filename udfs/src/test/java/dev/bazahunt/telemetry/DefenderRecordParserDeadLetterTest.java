package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DefenderRecordParserDeadLetterTest {

    private static DeadLetter deadLetterOfFileRow(String row) {
        return CollectingSink.parse(envelope("DeviceFileEvents", row)).onlyDeadLetter();
    }

    @Test
    void invalidJsonIsMalformed() {
        DeadLetter letter = CollectingSink.parse("{\"records\":[{\"time\":2021-07-21}]}").onlyDeadLetter();
        assertThat(letter.reason).isEqualTo("malformed-json");
        assertThat(letter.detail).startsWith("not valid JSON:").contains("at byte");
    }

    @Test
    void truncatedMessageKeepsTheRecordsBeforeTheCutAndDeadLettersTheRest() {
        String message = batch(envelope("DeviceProcessEvents", PROCESS_ROW), envelope("DeviceFileEvents", FILE_ROW));
        String truncated = message.substring(0, message.length() - 300);

        CollectingSink sink = CollectingSink.parse(truncated);

        assertThat(sink.processEvents).hasSize(1);
        assertThat(sink.fileEvents).isEmpty();
        DeadLetter letter = sink.deadLetters.get(0);
        assertThat(sink.deadLetters).hasSize(1);
        assertThat(letter.reason).isEqualTo("malformed-json");
        assertThat(letter.recordIndex).isEqualTo(1);
        assertThat(letter.excerpt).startsWith("{\"time\":\"" + ENVELOPE_TIME + "\"");
    }

    @Test
    void aRecordFollowedByMoreContentIsOneDeadLetterNotARowAndADeadLetter() {
        CollectingSink sink = CollectingSink.parse(envelope("DeviceFileEvents", FILE_ROW) + " {");
        assertThat(sink.total()).isEqualTo(1);
        assertThat(sink.onlyDeadLetter().reason).isEqualTo("malformed-json");
        assertThat(sink.onlyDeadLetter().detail).contains("unexpected content after the end of the JSON value");
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] ascii = envelope("DeviceFileEvents", FILE_ROW).getBytes(StandardCharsets.UTF_8);
        int inFileName = new String(ascii, StandardCharsets.UTF_8).indexOf("mso4021");
        ascii[inFileName] = (byte) 0xC3; // a lead byte followed by ASCII: not UTF-8
        assertThat(CollectingSink.parse(ascii, null).onlyDeadLetter().reason).isEqualTo("malformed-json");
    }

    @Test
    void contentAfterTheJsonObjectIsMalformed() {
        CollectingSink sink = CollectingSink.parse("[1] {\"a\":1}");
        assertThat(sink.onlyDeadLetter().reason).isEqualTo("malformed-json");
    }

    @Test
    void jsonThatIsNotAnObjectIsAnUnrecognisedForm() {
        for (String notAnObject : new String[] {"[]", "\"DeviceFileEvents\"", "42", "null"}) {
            DeadLetter letter = CollectingSink.parse(notAnObject).onlyDeadLetter();
            assertThat(letter.reason).as(notAnObject).isEqualTo("unrecognised-form");
            assertThat(letter.detail).as(notAnObject).contains("not a JSON object");
        }
    }

    @Test
    void recordsThatIsNotAnArrayIsAnUnrecognisedForm() {
        DeadLetter letter = CollectingSink.parse("{\"records\":{\"category\":\"AdvancedHunting-DeviceFileEvents\"}}")
                .onlyDeadLetter();
        assertThat(letter.reason).isEqualTo("unrecognised-form");
        assertThat(letter.detail).isEqualTo("records is an object, not an array");
    }

    @Test
    void batchElementThatIsNotAnObjectIsDeadLetteredWithItsIndex() {
        CollectingSink sink = CollectingSink.parse(batch(envelope("DeviceFileEvents", FILE_ROW), "\"oops\""));
        assertThat(sink.fileEvents).hasSize(1);
        DeadLetter letter = sink.deadLetters.get(0);
        assertThat(letter.reason).isEqualTo("unrecognised-form");
        assertThat(letter.recordIndex).isEqualTo(1);
        assertThat(letter.excerpt).isEqualTo("\"oops\"");
    }

    @Test
    void batchRecordWithoutPropertiesIsAnUnrecognisedForm() {
        DeadLetter letter = CollectingSink.parse(batch(FILE_ROW)).onlyDeadLetter();
        assertThat(letter.reason).isEqualTo("unrecognised-form");
        assertThat(letter.detail).isEqualTo("record 0 has no properties object");
        assertThat(letter.recordIndex).isZero();
    }

    @Test
    void flatRowWithNeitherTypeNorHintIsAnUnrecognisedForm() {
        DeadLetter letter = CollectingSink.parse(FILE_ROW).onlyDeadLetter();
        assertThat(letter.reason).isEqualTo("unrecognised-form");
        assertThat(letter.detail).contains("Type column or a table hint");
        assertThat(letter.recordIndex).isEqualTo(-1);
        assertThat(letter.excerpt).startsWith("{\"Timestamp\":\"" + DROP_TIMESTAMP);
    }

    @Test
    void envelopeWithNoCategoryAndNoHintIsAnUnrecognisedForm() {
        DeadLetter letter = CollectingSink.parse("{\"time\":\"" + ENVELOPE_TIME + "\",\"properties\":" + FILE_ROW + "}")
                .onlyDeadLetter();
        assertThat(letter.reason).isEqualTo("unrecognised-form");
        assertThat(letter.detail).contains("no category");
    }

    @Test
    void missingDeviceIdIsDeadLettered() {
        DeadLetter letter = deadLetterOfFileRow(without(FILE_ROW, "DeviceId"));
        assertThat(letter.reason).isEqualTo("missing-device-id");
        assertThat(letter.detail).isEqualTo("DeviceId is absent or null");
    }

    @Test
    void emptyDeviceIdIsDeadLettered() {
        DeadLetter letter = deadLetterOfFileRow(withColumn(FILE_ROW, "DeviceId", "\"\""));
        assertThat(letter.reason).isEqualTo("missing-device-id");
        assertThat(letter.detail).isEqualTo("DeviceId is empty");
    }

    @Test
    void missingTimestampIsDeadLettered() {
        DeadLetter letter = deadLetterOfFileRow(without(FILE_ROW, "Timestamp"));
        assertThat(letter.reason).isEqualTo("missing-timestamp");
    }

    @Test
    void unparseableTimestampIsDeadLetteredWithTheColumnAndValue() {
        DeadLetter letter = deadLetterOfFileRow(withColumn(FILE_ROW, "Timestamp", "\"21/07/2021 09:14:03\""));
        assertThat(letter.reason).isEqualTo("bad-timestamp");
        assertThat(letter.detail).startsWith("Timestamp: '21/07/2021 09:14:03' is not an ISO-8601 datetime");
    }

    @Test
    void unparseableDatetimeInAnyDatetimeColumnIsDeadLettered() {
        DeadLetter letter = deadLetterOfFileRow(
                withColumn(FILE_ROW, "InitiatingProcessParentCreationTime", "\"Invalid date\""));
        assertThat(letter.reason).isEqualTo("bad-timestamp");
        assertThat(letter.detail).startsWith("InitiatingProcessParentCreationTime:");
    }

    @Test
    void objectInAStringColumnIsAWrongType() {
        DeadLetter letter = deadLetterOfFileRow(
                withColumn(FILE_ROW, "InitiatingProcessCommandLine", "{\"cmd\":\"qv7t.exe\"}"));
        assertThat(letter.reason).isEqualTo("wrong-type");
        assertThat(letter.detail).isEqualTo("InitiatingProcessCommandLine: expected a string, found a JSON object");
    }

    @Test
    void nonNumericReportIdIsAWrongType() {
        DeadLetter letter = deadLetterOfFileRow(withColumn(FILE_ROW, "ReportId", "\"abc\""));
        assertThat(letter.reason).isEqualTo("wrong-type");
        assertThat(letter.detail).isEqualTo("ReportId: expected an integer, found the string \"abc\"");
    }

    @Test
    void fractionalOrOversizedOrBooleanIdsAreWrongTypes() {
        assertThat(deadLetterOfFileRow(withColumn(FILE_ROW, "InitiatingProcessId", "9316.5")).detail)
                .isEqualTo("InitiatingProcessId: expected an integer, found the number 9316.5");
        assertThat(deadLetterOfFileRow(withColumn(FILE_ROW, "ReportId", "99999999999999999999")).reason)
                .isEqualTo("wrong-type");
        assertThat(deadLetterOfFileRow(withColumn(FILE_ROW, "FileSize", "true")).detail)
                .isEqualTo("FileSize: expected an integer, found the boolean true");
    }

    @Test
    void firstProblemOfARecordIsTheOneReported() {
        String row = withColumn(withColumn(FILE_ROW, "ReportId", "\"abc\""), "FileSize", "[1]");
        assertThat(deadLetterOfFileRow(row).detail).startsWith("FileSize:");
    }

    @Test
    void badRecordOfOneHundredKilobytesGetsABoundedExcerpt() {
        String hugeCommandLine = "powershell.exe -enc " + "QQBCAEMA".repeat(12_800);
        String row = withColumn(FILE_ROW, "ReportId", "\"" + hugeCommandLine + "\"");
        CollectingSink sink = CollectingSink.parse(batch(envelope("DeviceFileEvents", row)));

        DeadLetter letter = sink.onlyDeadLetter();
        assertThat(row.length()).isGreaterThan(100_000);
        assertThat(letter.excerpt.length()).isLessThanOrEqualTo(DeadLetter.MAX_EXCERPT_CHARS + 1);
        assertThat(letter.excerpt).startsWith("{\"time\":").endsWith("…");
        assertThat(letter.detail.length()).isLessThan(200);
    }

    @Test
    void exceptionsThrownByTheSinkAreNotSwallowed() {
        ParsedRecordSink failing = new CollectingSink() {
            @Override
            public void fileEvent(DeviceFileEvent event) {
                throw new IllegalStateException("downstream closed");
            }
        };
        byte[] message = batch(envelope("DeviceFileEvents", FILE_ROW)).getBytes(StandardCharsets.UTF_8);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DefenderRecordParser().parse(message, failing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("downstream closed");
    }

    @Test
    void exceptionsThrownByTheSinkForADeadLetterAreNotSwallowedEither() {
        ParsedRecordSink failing = new CollectingSink() {
            @Override
            public void deadLetter(DeadLetter deadLetter) {
                throw new IllegalStateException("dead-letter topic unavailable");
            }
        };
        byte[] broken = "{\"records\":[{".getBytes(StandardCharsets.UTF_8);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DefenderRecordParser().parse(broken, failing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dead-letter topic unavailable");
    }
}

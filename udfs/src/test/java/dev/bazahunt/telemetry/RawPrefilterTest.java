package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.FILE_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.NETWORK_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.PROCESS_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.batch;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.envelope;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.withColumn;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawPrefilterTest {
    /** svchost's OneDrive sync writing a document: nothing in it can matter to the hunt. */
    static final String BENIGN_ROW = """
            {"Timestamp":"2021-07-21T09:14:07.1200000Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
            "DeviceName":"fin-lt-0231.northwind.local","ActionType":"FileModified","FileName":"Q3 forecast.docx",\
            "FolderPath":"C:\\\\Users\\\\mhollis\\\\OneDrive - Northwind\\\\Q3 forecast.docx",\
            "InitiatingProcessFileName":"OneDrive.exe",\
            "InitiatingProcessCommandLine":"\\"OneDrive.exe\\" /background","ReportId":20455}""";

    /** As a file of DeviceProcessEvents rows is read: a flat row there is a process row. */
    private static boolean mayMatter(String unit) {
        return RawPrefilter.mayMatter(bytes(unit), DefenderTable.DEVICE_PROCESS_EVENTS);
    }

    private static byte[] bytes(String unit) {
        return unit.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void benignRowIsSkipped() {
        assertThat(mayMatter(BENIGN_ROW)).isFalse();
        assertThat(mayMatter(envelope("DeviceFileEvents", BENIGN_ROW))).isFalse();
        assertThat(mayMatter(NETWORK_ROW)).isFalse();
    }

    @Test
    void downloadRowIsKept() {
        assertThat(mayMatter(FILE_ROW)).isTrue();
    }

    @Test
    void excelChildIsKeptWhateverTheCase() {
        assertThat(mayMatter(PROCESS_ROW)).isTrue();
        assertThat(mayMatter(withColumn(BENIGN_ROW, "InitiatingProcessFileName", "\"ExCeL.eXe\""))).isTrue();
    }

    @Test
    void anExcelValueCountsOnlyWhereTheParserCanReadAProcessRow() {
        String excelWrites = withColumn(BENIGN_ROW, "InitiatingProcessFileName", "\"EXCEL.EXE\"");
        // Excel's own file writes: the hunt correlates only the processes Excel starts.
        assertThat(RawPrefilter.mayMatter(bytes(envelope("DeviceFileEvents", excelWrites)))).isFalse();
        assertThat(RawPrefilter.mayMatter(bytes(excelWrites), DefenderTable.DEVICE_FILE_EVENTS)).isFalse();
        assertThat(RawPrefilter.mayMatter(bytes(excelWrites))).isFalse(); // a flat row naming no table is none
        // A row that is or may be a process row: by its category, its Type, or the file it is in.
        assertThat(RawPrefilter.mayMatter(bytes(envelope("DeviceProcessEvents", excelWrites)))).isTrue();
        assertThat(RawPrefilter.mayMatter(bytes(withColumn(excelWrites, "Type", "\" deviceprocessEVENTS \"")),
                DefenderTable.DEVICE_FILE_EVENTS)).isTrue();
        assertThat(RawPrefilter.mayMatter(bytes(excelWrites), DefenderTable.DEVICE_PROCESS_EVENTS)).isTrue();
        assertThat(RawPrefilter.mayMatter(bytes(batch(envelope("DeviceFileEvents", excelWrites),
                envelope("DeviceProcessEvents", BENIGN_ROW))))).isTrue();
        // The name after the value, as when the category comes last.
        assertThat(RawPrefilter.mayMatter(bytes(DefenderTelemetrySamples.envelopeWithCategoryLast("DeviceProcessEvents",
                excelWrites)))).isTrue();
        // A dotless i makes no table name, to the parser as to the pre-filter.
        assertThat(DefenderTable.fromNameOrCategory("AdvancedHunting-Dev\u0131ceProcessEvents")).isNull();
        assertThat(RawPrefilter.mayMatter(bytes(envelope("Dev\u0131ceProcessEvents", excelWrites)))).isFalse();
    }

    @Test
    void theProcessTableIsFoundAtEveryOffsetInAnyCaseAndNotWhenCut() {
        // The search takes eight positions at a time and the last ones one by one: the name must be found
        // wherever it starts, up to the unit's end, in any ASCII case, and never past the end.
        java.util.Random random = new java.util.Random(7);
        String[] spellings = {"DeviceProcessEvents", "deviceprocessevents", "DEVICEPROCESSEVENTS", "dEvIcEpRoCeSsEvEnTs"};
        for (int prefix = 0; prefix < 40; prefix++) {
            for (int suffix = 0; suffix < 12; suffix++) {
                String name = spellings[random.nextInt(spellings.length)];
                // Fillers with many d's and p's, six apart or not, as in "DeviceId" and "AppData".
                String filler = "dd pp dxxxxxp Device AppData ".repeat(3);
                String unit = filler.substring(0, prefix) + name + filler.substring(0, suffix);
                byte[] bytes = bytes(unit);
                assertThat(RawPrefilter.mayHoldProcessRows(bytes, 0, bytes.length, null)).as(unit).isTrue();
                int cut = prefix + name.length() - 1;
                assertThat(RawPrefilter.mayHoldProcessRows(bytes, 0, cut, null)).as("cut: %s", unit).isFalse();
                assertThat(RawPrefilter.mayHoldProcessRows(bytes, prefix + 1, bytes.length, null)).as("after: %s", unit)
                        .isFalse();
                String broken = unit.substring(0, prefix + 7) + "_" + unit.substring(prefix + 8);
                assertThat(RawPrefilter.mayHoldProcessRows(bytes(broken), 0, broken.length(), null)).as(broken).isFalse();
            }
        }
    }

    @Test
    void upperCaseUrlcacheIsKept() {
        assertThat(mayMatter(withColumn(BENIGN_ROW, "InitiatingProcessCommandLine",
                "\"UPD2.EXE -URLCACHE -SPLIT -F HTTP://198.51.100.7/D.DLL\""))).isTrue();
    }

    @Test
    void cryptnetUrlCacheFolderIsSkipped() {
        // CryptoAPI's cache folder contains "urlcache" but never the rule's term "-urlcache". (A command
        // line naming "certutil.exe" is parsed: the Excel Macro Execution rule's needle is certutil.exe.)
        String decoy = withColumn(BENIGN_ROW, "FolderPath",
                "\"C:\\\\Users\\\\k.lee\\\\AppData\\\\LocalLow\\\\Microsoft\\\\CryptnetUrlCache\\\\MetaData\\\\77E1A2B3\"");
        assertThat(mayMatter(decoy)).isFalse();
        assertThat(mayMatter(withColumn(BENIGN_ROW, "InitiatingProcessCommandLine",
                "\"certutil /urlcache * delete\""))).isFalse();
    }

    @Test
    void rowsThatOnlyNameExcelAreSkipped() {
        // Explorer starting Excel, Excel's version info, or Excel as the grandparent: no Excel child.
        String excelStarted = withColumn(withColumn(withColumn(BENIGN_ROW, "FileName", "\"EXCEL.EXE\""),
                "ProcessVersionInfoOriginalFileName", "\"Excel.exe\""), "InitiatingProcessFileName", "\"explorer.exe\"");
        assertThat(mayMatter(excelStarted)).isFalse();
        assertThat(mayMatter(withColumn(BENIGN_ROW, "InitiatingProcessParentFileName", "\"excel.exe\""))).isFalse();
        assertThat(mayMatter(withColumn(BENIGN_ROW, "InitiatingProcessFileName", "\"excel.exe.bak\""))).isFalse();
        assertThat(mayMatter(withColumn(BENIGN_ROW, "InitiatingProcessFileName", "\"myexcel.exe\""))).isFalse();
    }

    @Test
    void excelAsInitiatingProcessIsFoundWhateverTheWhitespace() {
        String row = BENIGN_ROW.replace("\"InitiatingProcessFileName\":\"OneDrive.exe\"",
                "\"InitiatingProcessFileName\" \t: \r\n \"EXCEL.exe\"");
        assertThat(row).contains("EXCEL.exe");
        assertThat(mayMatter(row)).isTrue();
    }

    @Test
    void keyNamesAreMatchedExactlyAsTheParserDoes() {
        // The parser maps column names case-sensitively; a differently cased key is another column.
        String row = BENIGN_ROW.replace("\"InitiatingProcessFileName\":\"OneDrive.exe\"",
                "\"initiatingprocessfilename\":\"excel.exe\"");
        assertThat(mayMatter(row)).isFalse();
        assertThat(mayMatter(withColumn(BENIGN_ROW, "Initiating\\u0050rocessFileName", "\"excel.exe\""))).isTrue();
    }

    @Test
    void aNeedleAnywhereInABatchKeepsTheWholeMessage() {
        assertThat(mayMatter(batch(envelope("DeviceFileEvents", BENIGN_ROW),
                envelope("DeviceProcessEvents", PROCESS_ROW)))).isTrue();
        assertThat(mayMatter(batch(envelope("DeviceFileEvents", BENIGN_ROW),
                envelope("DeviceNetworkEvents", NETWORK_ROW)))).isFalse();
    }

    @Test
    void unicodeEscapeThatSpellsANeedleLetterIsParsed() {
        assertThat(mayMatter(withColumn(BENIGN_ROW, "InitiatingProcessCommandLine",
                "\"x.exe -\\u0075rlcache -split -f http://a/b\""))).isTrue();
        assertThat(mayMatter(withColumn(BENIGN_ROW, "InitiatingProcessFileName", "\"excel\\u002eexe\""))).isTrue();
    }

    @Test
    void anyUnicodeEscapeIsParsedEvenIfItSpellsNothingRelevant() {
        assertThat(mayMatter(withColumn(BENIGN_ROW, "FileName", "\"r\\u00e9sum\\u00e9.docx\""))).isTrue();
    }

    @Test
    void escapedSlashIsParsed() {
        assertThat(mayMatter(withColumn(BENIGN_ROW, "FileOriginUrl", "\"https:\\/\\/contoso.sharepoint.com\\/x\""))).isTrue();
    }

    @Test
    void escapedBackslashesBeforeUOrSlashAreNoEscapeOfThem() {
        // C:\\users and \\/ in JSON are a literal backslash followed by an ordinary 'u' or '/'.
        assertThat(mayMatter(withColumn(BENIGN_ROW, "FolderPath", "\"C:\\\\users\\\\mhollis\\\\/x\""))).isFalse();
    }

    @Test
    void oddBackslashRunBeforeUIsAnEscape() {
        // \\\u0075 is a literal backslash and then an escaped 'u'.
        assertThat(mayMatter(withColumn(BENIGN_ROW, "FolderPath", "\"C:\\\\\\u0075sers\""))).isTrue();
    }

    @Test
    void uEscapeNeedsAHexDigit() {
        // \\u followed by a hex digit may hide any character, in either case; \\u followed by another byte
        // is no JSON escape (the line is no JSON and can give no alert).
        for (String escape : new String[] {"\\u0065", "\\uFF41", "\\ua"}) {
            assertThat(mayMatter(withColumn(BENIGN_ROW, "FolderPath", "\"C:\\\\x" + escape + "\"")))
                    .as(escape).isTrue();
        }
        for (String notEscape : new String[] {"\\us", "\\uZ", "\\u\\"}) {
            assertThat(mayMatter(withColumn(BENIGN_ROW, "FolderPath", "\"C:\\\\x" + notEscape + "\"")))
                    .as(notEscape).isFalse();
        }
    }

    @Test
    void truncatedLineIsParsedSoItCanBeDeadLettered() {
        assertThat(mayMatter(BENIGN_ROW.substring(0, BENIGN_ROW.length() - 20))).isTrue();
    }

    @Test
    void nonJsonLineIsParsedSoItCanBeDeadLettered() {
        assertThat(mayMatter("this is not json at all")).isTrue();
        assertThat(mayMatter("[" + BENIGN_ROW + "]")).isTrue();
        assertThat(mayMatter("{")).isTrue();
        assertThat(mayMatter("")).isTrue();
    }

    @Test
    void surroundingWhitespaceAndCrLfDoNotHideTheObject() {
        assertThat(mayMatter("  " + BENIGN_ROW + "\r\n")).isFalse();
    }

    @Test
    void byteOrderMarkIsParsed() {
        assertThat(mayMatter("\uFEFF" + BENIGN_ROW)).isTrue();
    }

    @Test
    void needleCutByTheEndOfTheUnitIsNoNeedle() {
        byte[] bytes = ("{\"c\":\"x -urlcach\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(RawPrefilter.mayMatter(bytes)).isFalse();
    }

    @Test
    void onlyTheGivenSliceIsSearched() {
        byte[] bytes = (BENIGN_ROW + "-urlcache").getBytes(StandardCharsets.UTF_8);
        assertThat(RawPrefilter.mayMatter(bytes, 0, BENIGN_ROW.getBytes(StandardCharsets.UTF_8).length, null)).isFalse();
    }

    @Test
    void needlesAndEscapesAreFoundAtEveryByteAlignment() {
        // The scan reads eight bytes at a time: a needle may start in one word and end in the next.
        for (int pad = 0; pad < 17; pad++) {
            String prefix = "{\"a\":\"" + " ".repeat(pad);
            assertThat(mayMatter(prefix + "\",\"InitiatingProcessFileName\":\"EXCEL.EXE\"}")).as("excel.exe after %d", pad)
                    .isTrue();
            assertThat(mayMatter(prefix + "-UrlCache\"}")).as("urlcache after %d", pad).isTrue();
            assertThat(mayMatter(prefix + "\\u0041\"}")).as("escape after %d", pad).isTrue();
            assertThat(mayMatter(prefix + "C:\\\\x\\\\\\u0041\"}")).as("escape after a run, %d", pad).isTrue();
            assertThat(mayMatter(prefix + "C:\\\\users\\\\excel.ex\"}")).as("near miss after %d", pad).isFalse();
            assertThat(mayMatter(prefix + "x -urlcach\"}")).as("urlcache near miss after %d", pad).isFalse();
            assertThat(mayMatter(prefix + "\"\n}")).as("a line break inside after %d", pad).isFalse();
        }
    }
}

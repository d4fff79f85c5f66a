package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.DefenderTelemetrySamples.batch;
import static dev.bazahunt.telemetry.DefenderTelemetrySamples.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.rules.HuntRules;
import dev.bazahunt.rules.RuleNeedles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The needles derived from every rule file's compiled query keep the pre-filter's contract: on seeded
 * random units of all four hunted tables, in every wire form, pre-filter-then-parse finds exactly the
 * rule matches that parsing everything finds. Column values are built from the pieces the pack's
 * queries look for (and near misses), in random case, with JSON escapes hiding needle characters.
 */
class PackNeedlesConservativenessTest {
    private static final HuntRules PACK = HuntRules.standard();

    private static final String[] DEVICE_IDS = {"b2c4e6a8f0123456789abcdef0123456789abcde"};
    private static final String[] FILE_NAMES = {"ntdsutil.exe", "NTDSUTIL.EXE", "ntdsutil.ex", "rclone.exe", "svc.exe",
        "cmd.exe", "rundll32.exe", "x8k2.exe", "excel.exe", "ntds\\u0075til.exe", ""};
    private static final String[] PRODUCT_NAMES = {"Rclone", "rclone", "RCLONE", "rclon", "Microsoft Windows", "r\\u0063lone",
        "Rclone backup", ""};
    private static final String[] PROCESS_LINES = {
        "ntdsutil \\\"ac i ntds\\\" ifm \\\"create full C:\\\\Temp\\\\IFM\\\" q q",
        "ntdsutil \\\"ac i ntds\\\" ifm \\\"create fu C:\\\\ProgramData\\\\x\\\" q q",
        "ntdsutil \\\"ac i ntds\\\" ifm \\\"create full C:\\\\Backup\\\\IFM\\\" q q",
        "cmd.exe /c mkdir C:\\\\Users\\\\Public\\\\x8k2 && copy C:\\\\Windows\\\\System32\\\\certutil.exe C:\\\\Users\\\\Public\\\\x8k2\\\\x8k2.exe",
        "cmd.exe /c mkdir C:\\\\x && copy c:\\\\windows\\\\system32\\\\CERTUTIL.EXE C:\\\\x\\\\y.exe",
        "cmd.exe /c mkdir x && copy certutil\\u002eexe y.exe",
        "svc.exe copy sync mega: C:\\\\Temp\\\\IFM --transfers 8", "",
    };
    private static final String[] INITIATING_NAMES = {"excel.exe", "EXCEL.EXE", "rundll32.exe", "RunDll32.exe",
        "rundll32\\u002eexe", "chrome.exe", "cmd.exe", ""};
    private static final String[] INITIATING_LINES = {
        "rundll32.exe C:\\\\Users\\\\Public\\\\x8k2\\\\tmp1834.dll,GlobalOut",
        "rundll32.exe C:\\\\x\\\\y.dll,GLOBALOUT", "rundll32.exe C:\\\\x\\\\y.dll,GlobalOutput",
        "rundll32.exe y.dll,\\u0047lobalOut", "\\\"chrome.exe\\\" --type=renderer", "",
    };
    private static final String[] URLS = {"https://bomovie.net/cancel.php", "https://justpayless.net/CANCEL.PHP?id=1",
        "https://x.example/download.php", "https://x.example/cancel.phpx", "https://x.example/cancel\\/php",
        "https:\\/\\/x.example\\/download.php", "https://x.example/index.php", ""};
    private static final String[] REFERRERS = {"https://bomovie.net/account", "https://x.example/case/1",
        "https://x.example/accounts", "https://x.example/", ""};
    private static final String[] REMOTE_URLS = {"pshe0pxe339abc.xyz/config.php", "aaaaaaaaaaaaaa.XYZ/config.php",
        "short.xyz/config.php", "pshe0pxe339abc.xyz\\/config.php", "pshe0pxe339abc.xyz/config.phpx",
        "login.microsoftonline.com", ""};
    private static final String[] SUBJECTS = {"Your free trial KMR004215896311 is about to end",
        "Your FREE trial kmr004215896311 is about to end", "Membership AB1234567890 renewal notice",
        "Order 123456789 shipped", "Notification: case SR1234567890 updated", "Quarterly report",
        "Your fr\\u0065e trial KMR004215896311", ""};

    @Test
    void prefilterThenParseFindsWhatParsingEverythingFindsForEveryRuleFile() {
        SplittableRandom random = new SplittableRandom(20210729);
        int skipped = 0;
        int keptWithMatches = 0;
        for (int i = 0; i < 20_000; i++) {
            Unit unit = randomUnit(random);
            byte[] bytes = unit.text.getBytes(StandardCharsets.UTF_8);
            List<String> all = matches(CollectingSink.parse(bytes, unit.hint));
            boolean filtered = unit.hint == null || RawPrefilter.filtersRowsHintedAs(unit.hint);
            boolean mayMatter = !filtered || RawPrefilter.mayMatter(bytes);
            List<String> kept = mayMatter ? matches(CollectingSink.parse(bytes, unit.hint)) : List.of();
            assertThat(kept).as(unit.text).isEqualTo(all);
            if (!mayMatter) {
                skipped++;
            } else if (!all.isEmpty()) {
                keptWithMatches++;
            }
        }
        // The property must not hold vacuously: both outcomes occur often.
        assertThat(skipped).as("skipped units").isGreaterThan(1_000);
        assertThat(keptWithMatches).as("kept units with a match").isGreaterThan(1_000);
    }

    @Test
    void everyRuleFileHasNeedlesAndTheShortOnesFallBackToTheirTable() {
        RuleNeedles needles = RuleNeedles.standard();
        for (String id : PACK.selectedIds()) {
            assertThat(needles.of(id)).as(id).isNotEmpty()
                    .allMatch(n -> n.getBytes(StandardCharsets.UTF_8).length >= RuleNeedles.MIN_NEEDLE_BYTES);
        }
        assertThat(needles.of("f5ff5b00-a90e-40b8-b241-9427a8ec5189")).containsExactly("-urlcache");
        assertThat(needles.of("6fa3cf44-517f-4ce5-8727-948b0783b507")).containsExactly("/cancel.php", "/download.php");
        assertThat(needles.of("1dd47f50-d42d-4e2f-9c2b-6e6c22147916")).containsExactly(".xyz/config.php");
        // Bazacall Emails' words (free, demo, gold, ...) are too short to scan for; its table's name is not.
        assertThat(needles.of("54f12c74-fb8e-4871-a13f-4da835b319a7")).containsExactly("emailevents");
        assertThat(needles.parsesWholeFilesOf(DefenderTable.EMAIL_EVENTS)).isTrue();
        assertThat(needles.parsesWholeFilesOf(DefenderTable.DEVICE_PROCESS_EVENTS)).isFalse();
    }

    private record Unit(String text, DefenderTable hint) {}

    private static Unit randomUnit(SplittableRandom random) {
        DefenderTable table = DefenderTable.hunted().get(random.nextInt(DefenderTable.hunted().size()));
        String row = randomRow(table, random);
        String text;
        DefenderTable hint = null;
        switch (random.nextInt(4)) {
            case 0 -> text = envelope(table.tableName(), row);
            case 1 -> text = batch(envelope(table.tableName(), row), envelope(table.tableName(), randomRow(table, random)));
            case 2 -> text = row.substring(0, row.length() - 1) + ",\"Type\":\"" + table.tableName() + "\"}";
            default -> {
                text = row; // an export row: the table comes from the file's path
                hint = table;
            }
        }
        if (random.nextInt(12) == 0) {
            text = text.substring(0, random.nextInt(text.length()));
        }
        return new Unit(random.nextBoolean() ? text : DefenderTelemetrySamples.randomCase(text, random), hint);
    }

    private static String randomRow(DefenderTable table, SplittableRandom random) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("Timestamp", "2021-07-21T09:14:03.5520871Z");
        long reportId = random.nextInt(1_000_000);
        if (table == DefenderTable.EMAIL_EVENTS) {
            columns.put("NetworkMessageId", "m-" + reportId);
            columns.put("RecipientEmailAddress", "j.doe@contoso.com");
            columns.put("Subject", pick(SUBJECTS, random));
        } else {
            columns.put("DeviceId", pick(DEVICE_IDS, random));
            columns.put("ReportId", Long.toString(reportId));
            columns.put("InitiatingProcessFileName", pick(INITIATING_NAMES, random));
            columns.put("InitiatingProcessCommandLine", pick(INITIATING_LINES, random));
            switch (table) {
                case DEVICE_FILE_EVENTS -> {
                    columns.put("FileOriginUrl", pick(URLS, random));
                    columns.put("FileOriginReferrerUrl", pick(REFERRERS, random));
                }
                case DEVICE_PROCESS_EVENTS -> {
                    columns.put("FileName", pick(FILE_NAMES, random));
                    columns.put("ProcessCommandLine", pick(PROCESS_LINES, random));
                    columns.put("ProcessVersionInfoProductName", pick(PRODUCT_NAMES, random));
                }
                default -> columns.put("RemoteUrl", pick(REMOTE_URLS, random));
            }
        }
        StringBuilder row = new StringBuilder("{");
        columns.forEach((name, value) -> {
            row.append(row.length() == 1 ? "" : ",").append('"').append(name).append("\":");
            row.append(name.equals("ReportId") ? value : "\"" + value + "\"");
        });
        return row.append('}').toString();
    }

    /** Most of a fleet's values are benign: half the time a column gets one. */
    private static String pick(String[] values, SplittableRandom random) {
        return random.nextInt(5) < 3 ? BENIGN[random.nextInt(BENIGN.length)] : values[random.nextInt(values.length)];
    }

    private static final String[] BENIGN = {"svchost.exe", "C:\\\\Windows\\\\System32\\\\svchost.exe -k netsvcs -p",
        "https://www.office.com/launch", "Weekly newsletter", "Microsoft Corporation", "OneDrive.exe /background"};

    /** Every (rule, row) match the hunt's compiled rules make in what the parser emitted. */
    private static List<String> matches(CollectingSink sink) {
        List<DefenderEvent> events = new ArrayList<>(sink.fileEvents);
        events.addAll(sink.processEvents);
        events.addAll(sink.networkEvents);
        events.addAll(sink.emailEvents);
        List<String> found = new ArrayList<>();
        for (DefenderEvent event : events) {
            for (String id : PACK.matching(event)) {
                found.add(id + "@" + event.timestamp + "/" + event);
            }
        }
        return found;
    }
}

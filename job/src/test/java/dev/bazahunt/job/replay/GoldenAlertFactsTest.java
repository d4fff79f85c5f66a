package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.testing.AlertIdRecipe;
import dev.bazahunt.job.testing.TestdataRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The golden alerts ({@code testdata/expected-alerts.jsonl}) held to facts that were read off the raw
 * telemetry by hand (jq over {@code testdata/telemetry}), not computed by the project's code. The golden
 * file is what the job printed; this table is what it should print. Regenerating the golden file (README,
 * Tests) cannot move this table: a change in the job's output fails here until a reviewer agrees with it
 * and edits the facts.
 *
 * <p>The table also accounts for every well-formed row of the testdata: each ReportId is the evidence of
 * an alert below, or is listed with the reason it raises nothing. The malformed lines are dead letters
 * and are checked by {@link ReplayGoldenTest}.
 *
 * <p>To add an alert, add one entry to {@link #ALERTS} (and take its rows out of {@link #QUIET}).
 */
class GoldenAlertFactsTest {
    /** "Dropping payload via certutil", the faithful rule. */
    static final String CERTUTIL_DOWNLOAD = "f5ff5b00-a90e-40b8-b241-9427a8ec5189";
    /** "BazaCall certutil download tied to Excel macro activity", the correlation. */
    static final String BAZACALL_CORRELATION = "6115fe87-e990-4ade-b52f-b35ebea0864d";
    /** Microsoft's pack: "Malicious Excel Delivery" (DeviceFileEvents). */
    static final String MALICIOUS_EXCEL_DELIVERY = "6fa3cf44-517f-4ce5-8727-948b0783b507";
    /** Microsoft's pack: "Excel Macro Execution" (DeviceProcessEvents). */
    static final String EXCEL_MACRO_EXECUTION = "fa2c1c3a-18f8-4c83-8501-ea110873f99f";
    /** The campaign incident per device, over the pack's hits. */
    static final String CAMPAIGN_INCIDENT = "2a3ad1a6-46c5-4d36-bd99-08e07db7f0f1";

    static final String WKS_0142 = "wks-0142.contoso.local"; // device A: the full chain, Event Hubs
    static final String WKS_0377 = "wks-0377.contoso.local"; // device B: KQL edge cases, Storage blobs
    static final String SRV_CA01 = "srv-ca01.contoso.local"; // device C: false positives, Sentinel and gzip

    static final String A_PAYLOAD = "C:\\Users\\Public\\x8k2\\tmp1834.dll";
    static final String A_CACHE = "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache";
    static final List<String> A_DROPPED = List.of(A_PAYLOAD, A_CACHE + "\\Content\\9F3A1C0E5B7D2A4C6E8F0A1B2C3D4E5F",
            A_CACHE + "\\MetaData\\9F3A1C0E5B7D2A4C6E8F0A1B2C3D4E5F");

    /** Device B's one Excel child: {@code cmd.exe /c ping} under {@code excel.exe /dde}, 09:15:30. */
    static final ExcelChild B_PING = child(18530, 3390, "excel-child", "device-window");

    /** A: x8k2.exe (a renamed certutil, pid 7212) writes the payload and two CryptnetUrlCache files. */
    static final Fact A_DOWNLOAD = alert(CERTUTIL_DOWNLOAD, WKS_0142, 7212L, reports(18145, 18163, 18196), A_DROPPED);
    /** B: upper case everywhere, and KQL ignores case. */
    static final Fact B_UPPER_CASE = alert(CERTUTIL_DOWNLOAD, WKS_0377, 4400L, reports(18332),
            List.of("C:\\ProgramData\\upd\\d.dll"));
    /** B: no -split, but 'split' is a term of the URL path (the seed rule's false-positive surface). */
    static final Fact B_SPLIT_IN_PATH = alert(CERTUTIL_DOWNLOAD, WKS_0377, 4700L, reports(18435),
            List.of("C:\\ProgramData\\upd\\g.bin"));
    /** B: no InitiatingProcessFileName ("" passes both !~ filters) and no process id. */
    static final Fact B_NAMELESS = alert(CERTUTIL_DOWNLOAD, WKS_0377, null, reports(18490),
            List.of("C:\\ProgramData\\upd\\i.dll"));

    /** A: msedge.exe (pid 2210) saves the workbook from bomovie.net/cancel.php, referred by /account. */
    static final Fact A_EXCEL_DELIVERY = alert(MALICIOUS_EXCEL_DELIVERY, WKS_0142, 2210L, reports(18211),
            List.of("C:\\Users\\j.doe\\Downloads\\cancel_sub_KMR3410029.xlsb"));
    /** A: Excel (pid 5120) starts cmd 6640 with mkdir, && copy and certutil.exe; a process row drops no file. */
    static final Fact A_EXCEL_MACRO = alert(EXCEL_MACRO_EXECUTION, WKS_0142, 5120L, reports(18052), List.of());

    static final List<Fact> ALERTS = List.of(
            A_EXCEL_DELIVERY,
            A_EXCEL_MACRO,
            // Device A's three pack stages within 48 h: excel-delivery, excel-macro, certutil-download.
            new Fact(CAMPAIGN_INCIDENT, WKS_0142, null, reports(18052, 18145, 18163, 18196, 18211), A_DROPPED, null,
                    List.of()),
            A_DOWNLOAD,
            // The download's parent is cmd 6640, which Excel spawned to mkdir && copy certutil: lineage.
            correlated(A_DOWNLOAD, "lineage",
                    child(18022, 6012, "excel-child", "device-window"),       // cmd /c whoami /groups
                    child(18052, 6640, "certutil-copied", "lineage"),         // mkdir && copy certutil.exe
                    child(18100, 7388, "payload-executed", "device-window")), // rundll32 tmp1834.dll,GlobalOut
            B_UPPER_CASE,
            correlated(B_UPPER_CASE, "device-window", B_PING),
            B_SPLIT_IN_PATH,
            correlated(B_SPLIT_IN_PATH, "device-window", B_PING),
            B_NAMELESS,
            correlated(B_NAMELESS, "device-window", B_PING));

    /** Rows that raise nothing: the column whose text shows why, that text, and the reason. */
    static final List<Quiet> QUIET = List.of(
            quiet(18008, "InitiatingProcessFileName", "explorer.exe",
                    "Excel's own start: explorer.exe spawned it, so it is no Excel child"),
            quiet(18060, "InitiatingProcessFileName", "cmd.exe",
                    "cmd starting x8k2.exe is Excel's grandchild: the download's parent, not an Excel child"),
            quiet(18112, "Timestamp", "2021-07-20T15:10:02",
                    "Excel's splwow64 67 min after the download: outside the 30-minute window"),
            quiet(18201, "InitiatingProcessCommandLine", "cancel_sub_KMR3410029.xlsb",
                    "Excel writing a temp file: a file event without -urlcache, and no process event"),
            quiet(18659, "RemoteUrl", "pshe0pxe339.xyz",
                    "x8k2.exe connecting out: no 14 characters before .xyz/config.php, and not rundll32 ,GlobalOut"),
            quiet(18246, "InitiatingProcessCommandLine", "-f https://",
                    "https is one term, so has \"http\" is false"),
            quiet(18277, "InitiatingProcessFileName", "CertUtil.exe",
                    "certutil.exe itself: !~ \"certutil.exe\" ignores case"),
            quiet(18305, "InitiatingProcessFileName", "CMD.EXE",
                    "cmd.exe itself: !~ \"cmd.exe\" ignores case"),
            quiet(18369, "InitiatingProcessCommandLine", "/urlcache /split /f",
                    "no literal -urlcache"),
            quiet(18400, "InitiatingProcessCommandLine", "-urlcache -f http://198.51.100.7/f.dll",
                    "no term split anywhere"),
            quiet(18463, "InitiatingProcessCommandLine", "-splitter",
                    "splitter is not the term split"),
            quiet(18478, "InitiatingProcessCommandLine", "-k NetworkService -p -s CryptSvc",
                    "svchost writing the CryptnetUrlCache: the path names urlcache, the command line has no -urlcache"),
            quiet(18539, "InitiatingProcessFileName", "svchost.exe",
                    "a process not spawned by Excel"),
            quiet(18576, "InitiatingProcessCommandLine", "certutil -generate",
                    "seed false positive: certutil.exe itself, no -urlcache"),
            quiet(18596, "InitiatingProcessCommandLine", "certutil -addstore -user TrustedRootCertStore",
                    "seed false positive: certutil.exe itself, no -urlcache"),
            quiet(18625, "InitiatingProcessCommandLine", "certutil -addstore -user MyInternalServiceCert",
                    "seed false positive: powershell running certutil -addstore, no -urlcache and no http"),
            quiet(18634, "InitiatingProcessCommandLine", "certutil -dspublish",
                    "seed false positive: certutil.exe itself, no -urlcache"),
            quiet(18653, "InitiatingProcessCommandLine", "certutil -decode",
                    "seed false positive: certutil.exe itself, no -urlcache"),
            quiet(18657, "InitiatingProcessFileName", "AcroRd32.exe",
                    "a PDF reader writing a file: no certutil command line"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WINDOW = Duration.ofMinutes(30);

    private static List<JsonNode> golden;
    private static Map<Long, TestdataRows.Row> rowsByReportId;

    @BeforeAll
    static void read() throws IOException {
        golden = new ArrayList<>();
        for (String line : Files.readAllLines(ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl"),
                StandardCharsets.UTF_8)) {
            golden.add(JSON.readTree(line));
        }
        rowsByReportId = new HashMap<>();
        for (TestdataRows.Row row : TestdataRows.wellFormedRows()) {
            TestdataRows.Row earlier = rowsByReportId.put(row.envelope().get("properties").get("ReportId").asLong(), row);
            assertThat(earlier).as("ReportIds are unique in the testdata").isNull();
        }
    }

    @Test
    void goldenAlertsAreExactlyTheHandDerivedFacts() {
        List<Fact> derived = golden.stream().map(GoldenAlertFactsTest::factOf).toList();
        assertThat(derived).containsExactlyInAnyOrderElementsOf(ALERTS);
    }

    @Test
    void everyCorrelatedAlertPointsToTheBaseAlertOfItsDownload() {
        Map<String, JsonNode> byId = new HashMap<>();
        golden.forEach(alert -> byId.put(alert.get("AlertId").asText(), alert));
        assertThat(byId).as("AlertIds are unique").hasSize(golden.size());
        for (JsonNode alert : golden) {
            if (!alert.get("RuleId").asText().equals(BAZACALL_CORRELATION)) {
                continue;
            }
            JsonNode base = byId.get(alert.path("RelatedAlertId").asText());
            assertThat(base).as("RelatedAlertId of %s", alert.get("AlertId")).isNotNull();
            assertThat(base.get("RuleId").asText()).isEqualTo(CERTUTIL_DOWNLOAD);
            assertThat(base.get("DeviceId")).isEqualTo(alert.get("DeviceId"));
            assertThat(base.get("ReportIds")).isEqualTo(alert.get("ReportIds"));
        }
    }

    /** README's recipe: the rule and the download's process instance, or its row when it names none. */
    @Test
    void everyGoldenAlertIdFollowsTheReadmeRecipe() {
        for (JsonNode alert : golden) {
            JsonNode row = properties(alert.get("ReportIds").get(0).asLong());
            String rule = alert.get("RuleId").asText();
            if (rule.equals(CAMPAIGN_INCIDENT)) {
                // The incident's instance is its device and its first hit (no lure email in the testdata, so its
                // FirstSeen is that of its earliest device alert, as the recipe says).
                assertThat(alert.get("AlertId").asText()).isEqualTo(AlertIdRecipe.forIncident(rule,
                        row.get("DeviceId").asText(), Instant.parse(alert.get("FirstSeen").asText())));
                continue;
            }
            String expected = row.hasNonNull("InitiatingProcessId") && row.hasNonNull("InitiatingProcessCreationTime")
                    ? AlertIdRecipe.forProcess(rule, row.get("DeviceId").asText(), row.get("InitiatingProcessId").asLong(),
                            Instant.parse(row.get("InitiatingProcessCreationTime").asText()))
                    : AlertIdRecipe.forRow(rule, row.get("DeviceId").asText(), row.get("ReportId").asLong(),
                            Instant.parse(row.get("Timestamp").asText()));
            assertThat(alert.get("AlertId").asText()).as("AlertId of %s on %s", rule, alert.get("ReportIds"))
                    .isEqualTo(expected);
        }
    }

    @Test
    void everyFactIsReadOffTheRawTelemetry() {
        for (Fact fact : ALERTS) {
            if (fact.rule().equals(CAMPAIGN_INCIDENT)) {
                continue; // an incident spans several process instances; the alerts it gathers are facts above
            }
            List<JsonNode> downloads = fact.reportIds().stream().map(GoldenAlertFactsTest::properties).toList();
            List<String> folders = new ArrayList<>();
            for (JsonNode row : downloads) {
                assertThat(row.get("DeviceName").asText()).as("device of %s", row.get("ReportId")).isEqualTo(fact.device());
                Long pid = row.hasNonNull("InitiatingProcessId") ? row.get("InitiatingProcessId").asLong() : null;
                assertThat(pid).as("process of %s", row.get("ReportId")).isEqualTo(fact.processId());
                if (rowsByReportId.get(row.get("ReportId").asLong()).table().equals("DeviceFileEvents")) {
                    folders.add(row.get("FolderPath").asText()); // only a file row drops a file
                }
            }
            assertThat(folders).as("dropped files of %s", fact.reportIds()).isEqualTo(fact.droppedFiles());
            Instant download = Instant.parse(downloads.get(0).get("Timestamp").asText());
            for (ExcelChild child : fact.excelChildren()) {
                assertThat(rowsByReportId.get(child.reportId()).table()).isEqualTo("DeviceProcessEvents");
                JsonNode row = properties(child.reportId());
                assertThat(row.get("InitiatingProcessFileName").asText()).isEqualToIgnoringCase("excel.exe");
                assertThat(row.get("DeviceName").asText()).isEqualTo(fact.device());
                assertThat(row.get("ProcessId").asLong()).isEqualTo(child.processId());
                Duration apart = Duration.between(download, Instant.parse(row.get("Timestamp").asText())).abs();
                assertThat(apart).as("child %s within the window", child.reportId()).isLessThanOrEqualTo(WINDOW);
                boolean parentOfDownload = downloads.get(0).path("InitiatingProcessParentId").asLong(-1)
                        == row.get("ProcessId").asLong()
                        && downloads.get(0).path("InitiatingProcessParentCreationTime").asText("")
                                .equals(row.get("ProcessCreationTime").asText());
                assertThat(child.link()).as("link of %s", child.reportId())
                        .isEqualTo(parentOfDownload ? "lineage" : "device-window");
            }
        }
    }

    @Test
    void everyOtherRowShowsTheReasonItRaisesNothing() {
        Set<Long> alerting = new TreeSet<>();
        for (JsonNode alert : golden) {
            alert.get("ReportIds").forEach(id -> alerting.add(id.asLong()));
            alert.path("Evidence").forEach(evidence -> alerting.add(evidence.get("ReportId").asLong()));
        }
        Set<Long> accounted = new TreeSet<>();
        for (Fact fact : ALERTS) {
            accounted.addAll(fact.reportIds());
            fact.excelChildren().forEach(child -> accounted.add(child.reportId()));
        }
        for (Quiet quiet : QUIET) {
            assertThat(alerting).as(quiet.reason()).doesNotContain(quiet.reportId());
            JsonNode row = properties(quiet.reportId());
            assertThat(row.path(quiet.column()).asText()).as("%s: %s", quiet.reportId(), quiet.reason())
                    .contains(quiet.shows());
            assertThat(accounted.add(quiet.reportId())).as("%s listed once", quiet.reportId()).isTrue();
        }
        assertThat(accounted).isEqualTo(new TreeSet<>(rowsByReportId.keySet()));
    }

    /**
     * README's examples of alerts from the bundled telemetry quote golden alerts: every ReportId in an
     * example whose AlertId is a golden alert's must be that alert's (evidence in Evidence, its own rows).
     */
    @Test
    void readmeQuotesTheReportIdsOfTheGoldenAlerts() throws IOException {
        String readme = Files.readString(ReplayHarness.TESTDATA.resolveSibling("README.md"), StandardCharsets.UTF_8);
        Map<String, JsonNode> byId = new HashMap<>();
        golden.forEach(alert -> byId.put(alert.get("AlertId").asText(), alert));
        int quotedAlerts = 0;
        Matcher block = Pattern.compile("```json\n(.*?)\n```", Pattern.DOTALL).matcher(readme);
        while (block.find()) {
            String example = block.group(1);
            Matcher alertId = Pattern.compile("\"AlertId\": \"([0-9a-f-]{36})\"").matcher(example);
            if (!alertId.find() || !byId.containsKey(alertId.group(1))) {
                continue;
            }
            JsonNode alert = byId.get(alertId.group(1));
            List<Long> quoted = new ArrayList<>();
            Matcher ids = Pattern.compile("\"ReportId\": (\\d+)").matcher(example);
            while (ids.find()) {
                quoted.add(Long.parseLong(ids.group(1)));
            }
            List<Long> evidence = new ArrayList<>();
            alert.path("Evidence").forEach(e -> evidence.add(e.get("ReportId").asLong()));
            assertThat(quoted).as("README's example of %s", alertId.group(1)).isEqualTo(evidence);
            Matcher rows = Pattern.compile("\"ReportIds\": \\[([0-9, ]*)\\]").matcher(example);
            assertThat(rows.find()).as("ReportIds in README's example of %s", alertId.group(1)).isTrue();
            assertThat(rows.group(1).replace(" ", "")).isEqualTo(alert.get("ReportIds").toString().replaceAll("[\\[\\] ]", ""));
            quotedAlerts++;
        }
        assertThat(quotedAlerts).as("README shows at least one golden alert").isPositive();
    }

    private static JsonNode properties(long reportId) {
        TestdataRows.Row row = rowsByReportId.get(reportId);
        assertThat(row).as("ReportId %s in testdata/telemetry", reportId).isNotNull();
        return row.envelope().get("properties");
    }

    private static Fact factOf(JsonNode alert) {
        List<Long> reportIds = new ArrayList<>();
        alert.get("ReportIds").forEach(id -> reportIds.add(id.asLong()));
        List<String> dropped = new ArrayList<>();
        alert.path("DroppedFiles").forEach(file -> dropped.add(file.asText()));
        List<ExcelChild> children = new ArrayList<>();
        alert.path("Evidence").forEach(e -> children.add(new ExcelChild(e.get("ReportId").asLong(),
                e.get("ProcessId").asLong(), e.get("Stage").asText(), e.get("Link").asText())));
        return new Fact(alert.get("RuleId").asText(), alert.get("DeviceName").asText(),
                alert.hasNonNull("InitiatingProcessId") ? alert.get("InitiatingProcessId").asLong() : null,
                reportIds, dropped, alert.hasNonNull("LinkStrength") ? alert.get("LinkStrength").asText() : null,
                children);
    }

    /** One expected alert. {@code linkStrength} and {@code excelChildren} are a correlated alert's. */
    record Fact(String rule, String device, Long processId, List<Long> reportIds, List<String> droppedFiles,
            String linkStrength, List<ExcelChild> excelChildren) {}

    /** One Excel-spawned process in a correlated alert's Evidence. */
    record ExcelChild(long reportId, long processId, String stage, String link) {}

    /** A row that raises nothing; {@code column} holds {@code shows}, the text that shows why. */
    record Quiet(long reportId, String column, String shows, String reason) {}

    static Fact alert(String rule, String device, Long processId, List<Long> reportIds, List<String> droppedFiles) {
        return new Fact(rule, device, processId, reportIds, droppedFiles, null, List.of());
    }

    /** The correlated alert raised for the download of {@code base}. */
    static Fact correlated(Fact base, String linkStrength, ExcelChild... children) {
        return new Fact(BAZACALL_CORRELATION, base.device(), base.processId(), base.reportIds(), base.droppedFiles(),
                linkStrength, List.of(children));
    }

    static ExcelChild child(long reportId, long processId, String stage, String link) {
        return new ExcelChild(reportId, processId, stage, link);
    }

    static Quiet quiet(long reportId, String column, String shows, String reason) {
        return new Quiet(reportId, column, shows, reason);
    }

    static List<Long> reports(long... ids) {
        return Arrays.stream(ids).boxed().toList();
    }
}

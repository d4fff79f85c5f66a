package dev.bazahunt.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bazahunt.rules.CampaignStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hunt report as one self-contained HTML page: inline CSS, no script, no external asset, so it
 * opens from a mail attachment or an air-gapped share as it is. Every value from the alerts is escaped:
 * command lines, URLs and email subjects are attacker-controlled text.
 */
public final class HuntReportPage {
    /** The step of the BazaCall chain each stage shows, as the timeline names it. */
    static final Map<CampaignStage, String[]> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put(CampaignStage.EMAIL_LURE, new String[] {"Email", "lure email with a fake subscription id"});
        STEPS.put(CampaignStage.EXCEL_DELIVERY, new String[] {"Excel", "workbook from the fake call centre"});
        STEPS.put(CampaignStage.EXCEL_MACRO, new String[] {"cmd copy", "the macro copies certutil"});
        STEPS.put(CampaignStage.CERTUTIL_DOWNLOAD, new String[] {"Renamed certutil download", "BazaLoader fetched"});
        STEPS.put(CampaignStage.BAZALOADER_C2, new String[] {"rundll32", "BazaLoader beacons"});
        STEPS.put(CampaignStage.CREDENTIAL_THEFT, new String[] {"ntdsutil", "NTDS database taken"});
        STEPS.put(CampaignStage.EXFILTRATION, new String[] {"rclone", "data exfiltrated"});
    }

    private static final String CSS = """
            :root { --ink:#1d2430; --muted:#6b7383; --line:#d9dee7; --bg:#f6f7fa; --card:#fff;
                    --high:#b3261e; --medium:#c26a00; --low:#2f6fb3; --seen:#23395d; }
            * { box-sizing:border-box; }
            body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink);
                   background:var(--bg); }
            header { background:#16213a; color:#fff; padding:20px 32px; }
            header h1 { margin:0 0 4px; font-size:22px; }
            header p { margin:0; color:#b9c3d6; }
            header code { background:#2a3a5c; color:#e6ecf5; }
            main { padding:20px 32px 40px; max-width:1280px; }
            h2 { font-size:17px; margin:28px 0 10px; }
            .cards { display:flex; gap:12px; flex-wrap:wrap; margin-top:16px; }
            .card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 16px; min-width:130px; }
            .card b { display:block; font-size:22px; }
            .card span { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
            .grid { display:grid; grid-template-columns:1fr 1fr; gap:20px; }
            table { border-collapse:collapse; width:100%; background:var(--card); border:1px solid var(--line); }
            th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
            th { background:#eef1f6; font-weight:600; font-size:12px; text-transform:uppercase; letter-spacing:.03em; }
            td.count, td.stages, th.num { text-align:right; font-variant-numeric:tabular-nums; }
            .bar { display:inline-block; height:10px; background:#4a6fa5; border-radius:2px; vertical-align:middle; }
            .id { color:var(--muted); font:12px ui-monospace,SFMono-Regular,Consolas,monospace; }
            .sev { display:inline-block; padding:1px 8px; border-radius:10px; color:#fff; font-size:12px; font-weight:600; }
            .sev-High { background:var(--high); } .sev-Medium { background:var(--medium); }
            .sev-Low, .sev-Informational { background:var(--low); }
            section.incident { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px 20px;
                               margin:16px 0; }
            section.incident h3 { margin:0 0 4px; font-size:16px; }
            .meta { color:var(--muted); margin:0 0 12px; }
            ol.timeline { list-style:none; display:flex; margin:0 0 14px; padding:0; gap:0; }
            ol.timeline li { flex:1; position:relative; padding:34px 6px 0; text-align:center; font-size:12px; }
            ol.timeline li::before { content:""; position:absolute; top:14px; left:0; right:0; height:3px; background:var(--line); }
            ol.timeline li:first-child::before { left:50%; } ol.timeline li:last-child::before { right:50%; }
            ol.timeline li .dot { position:absolute; top:5px; left:calc(50% - 11px); width:22px; height:22px; border-radius:50%;
                                  background:#fff; border:3px dashed #b7bfcc; z-index:1; }
            ol.timeline li.seen .dot { background:var(--seen); border:3px solid var(--seen); }
            ol.timeline li.seen::before { background:#8ea3c5; }
            ol.timeline li .step { display:block; font-weight:600; }
            ol.timeline li.missing .step, ol.timeline li.missing .when { color:#9aa2b1; }
            ol.timeline li .when { display:block; color:var(--muted); font-variant-numeric:tabular-nums; }
            .evidence { border-left:3px solid var(--seen); padding:4px 0 4px 12px; margin:8px 0; }
            .evidence h4 { margin:0; font-size:13px; }
            .evidence dl { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:4px 0 0; }
            .evidence dl + dl { border-top:1px dashed var(--line); padding-top:6px; margin-top:8px; }
            .evidence dt { color:var(--muted); }
            .evidence dd { margin:0; }
            code { font:12px ui-monospace,SFMono-Regular,Consolas,monospace; word-break:break-all; background:#f0f2f6;
                   padding:1px 4px; border-radius:3px; }
            .note { color:var(--muted); font-style:italic; }
            ul.skipped { color:var(--high); }
            """;

    private HuntReportPage() {}

    /** The page for {@code report}; {@code source} names where the alerts came from. */
    public static String render(HuntReport report, String source) {
        StringBuilder html = new StringBuilder(16_384);
        List<JsonNode> alerts = report.alerts();
        List<JsonNode> incidents = report.incidents();
        List<HuntReport.DeviceRank> devices = report.devices();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>bazahunt hunt report</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        html.append("<header><h1>BazaCall hunt report</h1><p>From <code>").append(esc(source)).append("</code>");
        if (!alerts.isEmpty()) {
            html.append(", alerts from ").append(esc(day(alerts.get(0)))).append(" to ")
                    .append(esc(day(alerts.get(alerts.size() - 1))));
        }
        html.append("</p></header>\n<main>\n<div class=\"cards\">");
        card(html, "alerts", alerts.size() - incidents.size(), "alerts");
        card(html, "incidents", incidents.size(), "campaign incidents");
        card(html, "devices", devices.size(), "devices");
        card(html, "revisions", report.revisionsRead(), "revisions read");
        card(html, "skipped", report.skipped().size(), "lines skipped");
        html.append("</div>\n<div class=\"grid\">\n");
        byRule(html, report);
        byDay(html, report);
        html.append("</div>\n");
        devices(html, devices);
        html.append("<h2>Campaign incidents</h2>\n");
        if (incidents.isEmpty()) {
            html.append("<p class=\"note\" id=\"no-incidents\">No campaign incident: no device showed two BazaCall stages"
                    + " within the campaign window.</p>\n");
        }
        for (JsonNode incident : incidents) {
            incident(html, incident);
        }
        if (!report.skipped().isEmpty()) {
            html.append("<h2>Lines that were not alerts</h2>\n<ul class=\"skipped\" id=\"skipped\">");
            for (String line : report.skipped()) {
                html.append("<li>").append(esc(line)).append("</li>");
            }
            html.append("</ul>\n");
        }
        html.append("</main>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void card(StringBuilder html, String id, int value, String label) {
        html.append("<div class=\"card\" id=\"total-").append(id).append("\"><b>").append(value).append("</b><span>")
                .append(esc(label)).append("</span></div>");
    }

    private static void byRule(StringBuilder html, HuntReport report) {
        html.append("<div><h2>Alerts by rule</h2>\n<table id=\"by-rule\"><thead><tr><th>Rule</th><th class=\"num\">Alerts</th></tr>"
                + "</thead><tbody>\n");
        for (HuntReport.RuleCount rule : report.byRule()) {
            html.append("<tr data-rule-id=\"").append(esc(rule.ruleId())).append("\"><td>").append(esc(rule.ruleName()))
                    .append("<br><span class=\"id\">").append(esc(rule.ruleId())).append("</span></td><td class=\"count\">")
                    .append(rule.count()).append("</td></tr>\n");
        }
        html.append("</tbody></table></div>\n");
    }

    private static void byDay(StringBuilder html, HuntReport report) {
        Map<String, Integer> days = report.byDay();
        int most = days.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        html.append("<div><h2>Alerts by day (UTC)</h2>\n<table id=\"by-day\"><thead><tr><th>Day</th><th></th>"
                + "<th class=\"num\">Alerts</th></tr></thead><tbody>\n");
        days.forEach((day, count) -> html.append("<tr data-day=\"").append(esc(day)).append("\"><td>").append(esc(day))
                .append("</td><td><span class=\"bar\" style=\"width:").append(Math.max(2, 240 * count / most))
                .append("px\"></span></td><td class=\"count\">").append(count).append("</td></tr>\n"));
        html.append("</tbody></table></div>\n");
    }

    private static void devices(StringBuilder html, List<HuntReport.DeviceRank> devices) {
        html.append("<h2>Devices ranked by incident stages</h2>\n<table id=\"devices\"><thead><tr><th>#</th>"
                + "<th>Device</th><th class=\"num\">Stages</th><th class=\"num\">Incidents</th>"
                + "<th class=\"num\">Other alerts</th></tr></thead><tbody>\n");
        int rank = 0;
        for (HuntReport.DeviceRank device : devices) {
            html.append("<tr data-device-id=\"").append(esc(device.deviceId())).append("\"><td>").append(++rank)
                    .append("</td><td>").append(esc(device.deviceName() == null ? device.deviceId() : device.deviceName()))
                    .append("<br><span class=\"id\">").append(esc(device.deviceId())).append("</span></td>")
                    .append("<td class=\"stages\">").append(device.maxStages()).append(" / ").append(STEPS.size())
                    .append("</td><td class=\"count\">").append(device.incidents()).append("</td><td class=\"count\">")
                    .append(device.alerts()).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private static void incident(StringBuilder html, JsonNode incident) {
        Map<String, JsonNode> stages = new LinkedHashMap<>();
        for (JsonNode stage : incident.get(HuntReport.INCIDENT_STAGES)) {
            stages.put(stage.path("Stage").asText(), stage);
        }
        String severity = incident.path("Severity").asText("");
        html.append("<section class=\"incident\" id=\"incident-").append(esc(incident.get("AlertId").asText()))
                .append("\" data-device-id=\"").append(esc(incident.path("DeviceId").asText())).append("\">\n<h3>")
                .append(esc(incident.path("DeviceName").asText(incident.path("DeviceId").asText())))
                .append(" <span class=\"sev sev-").append(esc(severity)).append("\">").append(esc(severity))
                .append("</span></h3>\n<p class=\"meta\">").append(stages.size()).append(" of ").append(STEPS.size())
                .append(" stages, ").append(esc(incident.path("FirstSeen").asText())).append(" to ")
                .append(esc(incident.path("LastSeen").asText())).append(" · <span class=\"id\">")
                .append(esc(incident.get("AlertId").asText())).append("</span></p>\n<ol class=\"timeline\">\n");
        for (Map.Entry<CampaignStage, String[]> step : STEPS.entrySet()) {
            JsonNode stage = stages.get(step.getKey().label());
            html.append("<li class=\"").append(stage != null ? "seen" : "missing").append("\" data-stage=\"")
                    .append(step.getKey().label()).append("\" title=\"").append(esc(step.getValue()[1]))
                    .append("\"><span class=\"dot\"></span><span class=\"step\">").append(esc(step.getValue()[0]))
                    .append("</span> <span class=\"when\">")
                    .append(stage != null ? esc(shortTime(stage.path("FirstSeen").asText())) : "not seen")
                    .append("</span></li>\n");
        }
        html.append("</ol>\n");
        for (Map.Entry<CampaignStage, String[]> step : STEPS.entrySet()) {
            JsonNode stage = stages.get(step.getKey().label());
            if (stage != null) {
                evidence(html, step, stage);
            }
        }
        JsonNode join = incident.path("EmailJoin");
        if (join.path("Reason").isTextual()) {
            html.append("<p class=\"note email-join\">No lure email: ").append(esc(join.get("Reason").asText()))
                    .append(".</p>\n");
        }
        html.append("</section>\n");
    }

    private static void evidence(StringBuilder html, Map.Entry<CampaignStage, String[]> step, JsonNode stage) {
        html.append("<div class=\"evidence\" data-stage=\"").append(step.getKey().label()).append("\"><h4>")
                .append(esc(step.getValue()[0])).append(": ").append(esc(step.getValue()[1])).append("</h4>\n");
        for (JsonNode hit : stage.path("Hits")) {
            html.append("<dl>");
            field(html, "Time", hit, "Timestamp", false);
            field(html, "Rule", hit, "RuleName", false);
            field(html, "From", hit, "Sender", false);
            field(html, "Subject", hit, "Subject", false);
            field(html, "Account", hit, "Account", false);
            field(html, "Process", hit, "FileName", true);
            field(html, "Command line", hit, "ProcessCommandLine", true);
            field(html, "File", hit, "FolderPath", true);
            field(html, "URL", hit, "Url", true);
            field(html, "Remote IP", hit, "RemoteIP", true);
            field(html, "AlertId", hit, "AlertId", true);
            html.append("</dl>\n");
        }
        html.append("</div>\n");
    }

    private static void field(StringBuilder html, String label, JsonNode hit, String name, boolean code) {
        JsonNode value = hit.get(name);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            return;
        }
        html.append("<dt>").append(esc(label)).append("</dt><dd class=\"").append(esc(name)).append("\">")
                .append(code ? "<code>" : "").append(esc(value.asText())).append(code ? "</code>" : "").append("</dd>");
    }

    private static String day(JsonNode alert) {
        String timestamp = alert.path("Timestamp").asText("");
        return timestamp.length() >= 10 ? timestamp.substring(0, 10) : timestamp;
    }

    /** 2021-07-20T14:02:58.1034567Z as "07-20 14:02:58". */
    private static String shortTime(String timestamp) {
        return timestamp.length() >= 19 ? timestamp.substring(5, 10) + " " + timestamp.substring(11, 19) : timestamp;
    }

    /** Text and attribute escaping: the five characters HTML gives meaning to. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

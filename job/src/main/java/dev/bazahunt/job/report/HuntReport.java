package dev.bazahunt.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a hunt's alerts add up to, read from alert JSON lines: replay's output, or a dump of the alerts
 * topic, where each AlertId may appear once per revision. An upserting SIEM keeps the highest Revision
 * of each AlertId, and so does the report. Lines that are not alerts are counted with their line number
 * and reason, never silently dropped.
 */
public final class HuntReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String INCIDENT_STAGES = "Stages";

    /** The latest revision of each alert, by AlertId. */
    private final Map<String, JsonNode> latest = new TreeMap<>();
    private final List<String> skipped = new ArrayList<>();
    private int linesRead;
    private int revisionsRead;

    private HuntReport() {}

    /**
     * Reads alert lines. A line of a console-consumer dump that printed the record key first
     * ({@code key<TAB>{...}}) is read from its first {@code {}.
     */
    public static HuntReport read(BufferedReader lines) throws IOException {
        HuntReport report = new HuntReport();
        String line;
        while ((line = lines.readLine()) != null) {
            report.add(line);
        }
        return report;
    }

    private void add(String line) {
        linesRead++;
        String text = line.strip();
        if (text.isEmpty()) {
            return;
        }
        int brace = text.indexOf('{');
        if (brace > 0 && text.charAt(brace - 1) == '\t') {
            text = text.substring(brace);
        }
        JsonNode alert;
        try {
            alert = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            skipped.add("line " + linesRead + ": not JSON (" + e.getOriginalMessage() + ")");
            return;
        }
        if (alert == null || !alert.isObject() || !alert.path("AlertId").isTextual() || !alert.path("Revision").isInt()) {
            skipped.add("line " + linesRead + ": not an alert (no AlertId and Revision)");
            return;
        }
        revisionsRead++;
        String id = alert.get("AlertId").asText();
        JsonNode known = latest.get(id);
        if (known == null || known.get("Revision").asInt() < alert.get("Revision").asInt()) {
            latest.put(id, alert);
        }
    }

    /** The latest revision of every alert, oldest Timestamp first (AlertId breaks ties). */
    public List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>(latest.values());
        alerts.sort(Comparator.comparing((JsonNode a) -> a.path("Timestamp").asText())
                .thenComparing(a -> a.get("AlertId").asText()));
        return alerts;
    }

    /** Campaign incidents only, most stages first, then oldest first. */
    public List<JsonNode> incidents() {
        List<JsonNode> incidents = new ArrayList<>();
        for (JsonNode alert : alerts()) {
            if (alert.path(INCIDENT_STAGES).isArray()) {
                incidents.add(alert);
            }
        }
        incidents.sort(Comparator.comparingInt((JsonNode a) -> -a.get(INCIDENT_STAGES).size())
                .thenComparing(a -> a.path("Timestamp").asText())
                .thenComparing(a -> a.get("AlertId").asText()));
        return incidents;
    }

    /** Lines that were not alerts: "line N: reason". */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    public int revisionsRead() {
        return revisionsRead;
    }

    /** Alerts per rule, most first: RuleId to (RuleName, count). */
    public List<RuleCount> byRule() {
        Map<String, RuleCount> counts = new TreeMap<>();
        for (JsonNode alert : latest.values()) {
            String ruleId = alert.path("RuleId").asText("");
            RuleCount known = counts.get(ruleId);
            counts.put(ruleId, new RuleCount(ruleId, alert.path("RuleName").asText(ruleId),
                    known == null ? 1 : known.count() + 1));
        }
        List<RuleCount> ordered = new ArrayList<>(counts.values());
        ordered.sort(Comparator.comparingInt((RuleCount c) -> -c.count()).thenComparing(RuleCount::ruleName));
        return ordered;
    }

    /** Alerts per UTC day of their Timestamp, oldest day first. */
    public Map<String, Integer> byDay() {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode alert : latest.values()) {
            String timestamp = alert.path("Timestamp").asText("");
            String day = timestamp.length() >= 10 ? timestamp.substring(0, 10) : "(no Timestamp)";
            counts.merge(day, 1, Integer::sum);
        }
        return counts;
    }

    /** Every device with an alert, ranked by the stages of its largest incident, then by its alerts. */
    public List<DeviceRank> devices() {
        Map<String, DeviceRank> devices = new TreeMap<>();
        for (JsonNode alert : latest.values()) {
            String deviceId = alert.path("DeviceId").asText("");
            if (deviceId.isEmpty()) {
                continue;
            }
            DeviceRank known = devices.getOrDefault(deviceId, new DeviceRank(deviceId, null, 0, 0, 0));
            String name = known.deviceName() != null ? known.deviceName()
                    : alert.path("DeviceName").isTextual() ? alert.get("DeviceName").asText() : null;
            boolean incident = alert.path(INCIDENT_STAGES).isArray();
            int stages = incident ? alert.get(INCIDENT_STAGES).size() : 0;
            devices.put(deviceId, new DeviceRank(deviceId, name, Math.max(known.maxStages(), stages),
                    known.incidents() + (incident ? 1 : 0), known.alerts() + (incident ? 0 : 1)));
        }
        List<DeviceRank> ranked = new ArrayList<>(devices.values());
        ranked.sort(Comparator.comparingInt((DeviceRank d) -> -d.maxStages())
                .thenComparingInt(d -> -d.alerts())
                .thenComparing(DeviceRank::deviceId));
        return ranked;
    }

    public record RuleCount(String ruleId, String ruleName, int count) {}

    /**
     * @param maxStages the stages of the device's largest campaign incident, 0 without one
     * @param alerts the device's alerts that are not incidents
     */
    public record DeviceRank(String deviceId, String deviceName, int maxStages, int incidents, int alerts) {}
}

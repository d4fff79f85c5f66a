package dev.bazahunt.campaign;

import dev.bazahunt.alert.Alert;
import dev.bazahunt.alert.AlertIds;
import dev.bazahunt.rules.CampaignStage;
import dev.bazahunt.rules.IncidentPolicy;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DefenderTimestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the campaign hits of one device into its BazaCall incidents. Pure and order-independent: the
 * same set of hits, in any order and multiplicity, gives the same incidents with the same AlertIds, so
 * replay (which calls this once, at the end) and live mode (which calls it on every new hit and writes
 * what changed) agree.
 *
 * <p>An incident starts at the device's earliest alert not yet in an incident and takes every alert
 * that starts within the campaign window after it; the next alert after the window starts the next
 * incident. Alerts, not rows, are the unit, so an alert whose rows straddle the window's end stays
 * whole. It is named by its device and the time of that first alert, not by arrival order. A lure
 * email belongs to the incident of the device alert it was joined through (the earliest, when it was
 * joined through several); it may lie before the first device alert, so the incident's FirstSeen can be
 * earlier than the time in its name. An incident exists once it shows the policy's minimum number of
 * distinct stages.
 */
public final class CampaignIncidents {
    private static final Comparator<CampaignHit> ROW_ORDER = Comparator
            .comparingLong((CampaignHit h) -> h.timestamp)
            .thenComparing(h -> h.alertId)
            .thenComparing(h -> h.reportId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(h -> Objects.toString(h.joinedAlertId, ""));

    private final RuleCatalog catalog;
    private final RuleDefinition incidentRule;
    private final IncidentPolicy policy;
    private final long windowNanos;
    private final Duration window;

    public CampaignIncidents(RuleCatalog catalog, Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("--campaign-window must be positive, got " + window);
        }
        this.catalog = catalog;
        this.incidentRule = catalog.byId(RuleIds.BAZACALL_CAMPAIGN_INCIDENT);
        this.policy = Objects.requireNonNull(incidentRule.incident(),
                "rule " + incidentRule.id() + " has no incident policy");
        this.window = window;
        this.windowNanos = window.toNanos();
    }

    /**
     * The incidents of one device, oldest first, each with Revision {@code revision}. Emails without a
     * device (not joined) are ignored; hits of other devices are refused.
     */
    public List<Alert> incidents(Collection<CampaignHit> hits, int revision) {
        Groups groups = group(hits);
        List<Alert> incidents = new ArrayList<>();
        for (int i = 0; i < groups.devices.size(); i++) {
            Alert incident = incident(groups.deviceId, groups.devices.get(i), groups.emails.get(i), revision);
            if (incident != null) {
                incidents.add(incident);
            }
        }
        return incidents;
    }

    /**
     * The AlertIds of the hits of incidents the campaign window has closed by {@code watermarkNanos}: no
     * new alert can join those incidents, and the incidents after them start where they ended, so live
     * mode can forget these hits without changing any later incident.
     */
    public Set<String> alertsOfClosedIncidents(Collection<CampaignHit> hits, long watermarkNanos) {
        Groups groups = group(hits);
        Set<String> alertIds = new TreeSet<>();
        for (int i = 0; i < groups.devices.size(); i++) {
            List<AlertHits> devices = groups.devices.get(i);
            if (devices.get(0).firstSeen + windowNanos < watermarkNanos) {
                devices.forEach(alert -> alertIds.add(alert.alertId));
                groups.emails.get(i).forEach(email -> alertIds.add(email.alertId));
            }
        }
        return alertIds;
    }

    private String incidentId(String deviceId, AlertHits anchor) {
        return AlertIds.of(incidentRule.id(), deviceId + "|campaign|" + anchor.firstSeen);
    }

    /** The device's alerts split into incident windows, with the emails each window's alerts joined. */
    private Groups group(Collection<CampaignHit> hits) {
        Map<String, AlertHits> deviceAlerts = new TreeMap<>();
        Map<String, List<CampaignHit>> emailRows = new TreeMap<>();
        String deviceId = null;
        for (CampaignHit hit : hits) {
            if (hit.deviceId == null) {
                continue;
            }
            if (deviceId == null) {
                deviceId = hit.deviceId;
            } else if (!deviceId.equals(hit.deviceId)) {
                throw new IllegalArgumentException("hits of two devices: " + deviceId + " and " + hit.deviceId);
            }
            if (hit.isEmail()) {
                emailRows.computeIfAbsent(hit.alertId, id -> new ArrayList<>()).add(hit);
            } else {
                deviceAlerts.computeIfAbsent(hit.alertId, AlertHits::new).add(hit);
            }
        }
        List<AlertHits> ordered = new ArrayList<>(deviceAlerts.values());
        ordered.forEach(AlertHits::seal);
        ordered.sort(Comparator.comparingLong((AlertHits a) -> a.firstSeen).thenComparing(a -> a.alertId));

        Groups groups = new Groups(deviceId);
        Map<String, Integer> groupOfAlert = new TreeMap<>();
        for (AlertHits alert : ordered) {
            List<AlertHits> open = groups.devices.isEmpty() ? null : groups.devices.get(groups.devices.size() - 1);
            if (open == null || alert.firstSeen - open.get(0).firstSeen > windowNanos) {
                open = new ArrayList<>();
                groups.devices.add(open);
                groups.emails.add(new ArrayList<>());
            }
            open.add(alert);
            groupOfAlert.put(alert.alertId, groups.devices.size() - 1);
        }
        emailRows.forEach((alertId, rows) -> {
            // The earliest incident among the device alerts this email was joined through.
            int group = Integer.MAX_VALUE;
            for (CampaignHit row : rows) {
                Integer joined = groupOfAlert.get(row.joinedAlertId);
                if (joined != null) {
                    group = Math.min(group, joined);
                }
            }
            if (group != Integer.MAX_VALUE) {
                AlertHits email = new AlertHits(alertId);
                for (CampaignHit row : rows) {
                    if (groupOfAlert.containsKey(row.joinedAlertId)) {
                        email.add(row);
                    }
                }
                email.seal();
                groups.emails.get(group).add(email);
            }
        });
        return groups;
    }

    /** Parallel lists: the device alerts of each incident window, and the emails joined to them. */
    private static final class Groups {
        final String deviceId;
        final List<List<AlertHits>> devices = new ArrayList<>();
        final List<List<AlertHits>> emails = new ArrayList<>();

        Groups(String deviceId) {
            this.deviceId = deviceId;
        }
    }

    private Alert incident(String deviceId, List<AlertHits> deviceMembers, List<AlertHits> emails, int revision) {
        Map<CampaignStage, List<AlertHits>> byStage = new EnumMap<>(CampaignStage.class);
        List<AlertHits> members = new ArrayList<>(deviceMembers);
        members.addAll(emails);
        for (AlertHits member : members) {
            byStage.computeIfAbsent(member.stage, stage -> new ArrayList<>()).add(member);
        }
        if (byStage.size() < policy.minimumStages()) {
            return null;
        }
        AlertHits anchor = deviceMembers.get(0);
        Alert alert = new Alert();
        alert.alertId = incidentId(deviceId, anchor);
        alert.revision = revision;
        alert.ruleId = incidentRule.id();
        alert.ruleName = incidentRule.name();
        alert.severity = policy.severityFor(byStage.size()).label();
        alert.description = incidentRule.description();
        long firstSeen = Long.MAX_VALUE;
        long lastSeen = Long.MIN_VALUE;
        for (AlertHits member : members) {
            firstSeen = Math.min(firstSeen, member.firstSeen);
            lastSeen = Math.max(lastSeen, member.lastSeen);
        }
        alert.timestamp = DefenderTimestamps.format(firstSeen);
        alert.firstSeen = alert.timestamp;
        alert.lastSeen = DefenderTimestamps.format(lastSeen);
        alert.deviceId = deviceId;
        for (AlertHits member : deviceMembers) {
            if (alert.deviceName == null && member.first().deviceName != null && !member.first().deviceName.isEmpty()) {
                alert.deviceName = member.first().deviceName;
            }
        }
        alert.campaign = incidentRule.campaignName();

        Set<String> tactics = new LinkedHashSet<>(incidentRule.tactics());
        Set<String> techniques = new LinkedHashSet<>(incidentRule.techniqueIds());
        Set<String> dropped = new TreeSet<>();
        Set<Long> reportIds = new TreeSet<>();
        List<Alert.Stage> stages = new ArrayList<>();
        for (Map.Entry<CampaignStage, List<AlertHits>> entry : byStage.entrySet()) {
            List<AlertHits> stageAlerts = entry.getValue();
            stageAlerts.sort(Comparator.comparingLong((AlertHits a) -> a.firstSeen).thenComparing(a -> a.alertId));
            Alert.Stage stage = new Alert.Stage();
            stage.stage = entry.getKey().label();
            long stageFirst = Long.MAX_VALUE;
            long stageLast = Long.MIN_VALUE;
            Set<String> ids = new TreeSet<>();
            List<Alert.StageHit> stageHits = new ArrayList<>();
            for (AlertHits member : stageAlerts) {
                stageFirst = Math.min(stageFirst, member.firstSeen);
                stageLast = Math.max(stageLast, member.lastSeen);
                ids.add(member.alertId);
                RuleDefinition rule = catalog.byId(member.ruleId);
                tactics.addAll(rule.tactics());
                techniques.addAll(rule.techniqueIds());
                stageHits.add(stageHit(member.first(), rule));
                for (CampaignHit row : member.rows) {
                    if (row.reportId != null) {
                        reportIds.add(row.reportId);
                    }
                    if (!row.isEmail() && row.folderPath != null && !row.folderPath.isEmpty()
                            && entry.getKey() == CampaignStage.CERTUTIL_DOWNLOAD) {
                        dropped.add(row.folderPath);
                    }
                }
            }
            stage.firstSeen = DefenderTimestamps.format(stageFirst);
            stage.lastSeen = DefenderTimestamps.format(stageLast);
            stage.alertIds = List.copyOf(ids);
            stage.hits = stageHits;
            stages.add(stage);
        }
        alert.tactics = List.copyOf(tactics);
        alert.techniques = List.copyOf(techniques);
        alert.droppedFiles = List.copyOf(dropped);
        alert.reportIds = List.copyOf(reportIds);
        alert.stageCount = stages.size();
        alert.stages = stages;
        alert.emailJoin = emailJoin(deviceMembers, emails);
        return alert;
    }

    private Alert.EmailJoin emailJoin(List<AlertHits> deviceMembers, List<AlertHits> emails) {
        Alert.EmailJoin join = new Alert.EmailJoin();
        Set<String> accounts = new TreeSet<>();
        if (!emails.isEmpty()) {
            emails.forEach(email -> email.rows.forEach(row -> {
                if (row.account != null) {
                    accounts.add(row.account);
                }
            }));
            join.accounts = List.copyOf(accounts);
            return join;
        }
        deviceMembers.forEach(member -> member.rows.forEach(row -> {
            if (row.account != null) {
                accounts.add(row.account);
            }
        }));
        join.accounts = List.copyOf(accounts);
        join.reason = accounts.isEmpty()
                ? "the device's hits name no account UPN (AccountUpn, InitiatingProcessAccountUpn), so no lure"
                        + " email can be joined to the device"
                : "no lure email to " + String.join(", ", accounts) + " within " + CampaignWindow.text(window)
                        + " before one of the device's hits";
        return join;
    }

    private static Alert.StageHit stageHit(CampaignHit row, RuleDefinition rule) {
        Alert.StageHit hit = new Alert.StageHit();
        hit.timestamp = DefenderTimestamps.format(row.timestamp);
        hit.alertId = row.alertId;
        hit.ruleId = rule.id();
        hit.ruleName = rule.name();
        hit.reportId = row.reportId;
        hit.networkMessageId = row.networkMessageId;
        hit.account = row.account;
        hit.fileName = row.fileName;
        hit.processCommandLine = row.processCommandLine;
        hit.folderPath = row.folderPath;
        hit.url = row.url;
        hit.remoteIp = row.remoteIp;
        hit.sender = row.sender;
        hit.subject = row.subject;
        return hit;
    }

    /** The distinct rows of one alert (or of one email, across the joins kept). */
    private static final class AlertHits {
        final String alertId;
        final Map<String, CampaignHit> byIdentity = new LinkedHashMap<>();
        List<CampaignHit> rows;
        CampaignStage stage;
        String ruleId;
        long firstSeen;
        long lastSeen;

        AlertHits(String alertId) {
            this.alertId = alertId;
        }

        void add(CampaignHit hit) {
            byIdentity.putIfAbsent(hit.identity(), hit);
        }

        void seal() {
            rows = new ArrayList<>(byIdentity.values());
            rows.sort(ROW_ORDER);
            CampaignHit first = rows.get(0);
            stage = first.stage;
            ruleId = first.ruleId;
            firstSeen = first.timestamp;
            lastSeen = rows.get(rows.size() - 1).timestamp;
        }

        CampaignHit first() {
            return rows.get(0);
        }
    }
}

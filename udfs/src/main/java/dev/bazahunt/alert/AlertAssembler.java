package dev.bazahunt.alert;

import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.EvidenceStage;
import dev.bazahunt.correlation.ExcelChildEvent;
import dev.bazahunt.correlation.LinkStrength;
import dev.bazahunt.rules.ExcelMacroActivity;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DefenderTimestamps;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the evidence of one download process instance into alerts. Pure and order-independent: the
 * rows and links may arrive in any order and any multiplicity, and the same set always gives the same
 * alert, so replay and live mode agree and AlertIds are stable. Rule metadata comes from the rule
 * files, never from literals here.
 */
public final class AlertAssembler {
    private static final Comparator<DownloadRow> ROW_ORDER = Comparator
            .comparingLong((DownloadRow r) -> r.timestamp)
            .thenComparing(r -> r.reportId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(r -> Objects.toString(r.folderPath, ""));
    private static final Comparator<ExcelChildEvent> EVIDENCE_ORDER = Comparator
            .comparingLong((ExcelChildEvent e) -> e.timestamp)
            .thenComparing(e -> e.reportId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.processId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> Objects.toString(e.processCommandLine, ""));

    private final RuleCatalog catalog;
    private final RuleDefinition downloadRule;
    private final RuleDefinition hardenedDownloadRule;
    private final RuleDefinition correlationRule;

    public AlertAssembler(RuleCatalog catalog) {
        this.catalog = catalog;
        this.downloadRule = catalog.byId(RuleIds.CERTUTIL_DOWNLOAD);
        this.hardenedDownloadRule = catalog.byId(RuleIds.CERTUTIL_DOWNLOAD_HARDENED);
        this.correlationRule = catalog.byId(RuleIds.BAZACALL_CORRELATION);
    }

    /** The single-event alert of the rule that matched these rows (all rows share one rule). */
    public Alert ruleAlert(String ruleId, Collection<DownloadRow> rows, int revision) {
        if (RuleIds.CERTUTIL_DOWNLOAD_HARDENED.equals(ruleId)) {
            return hardenedAlert(rows, revision);
        }
        if (RuleIds.CERTUTIL_DOWNLOAD.equals(ruleId)) {
            return baseAlert(rows, revision);
        }
        RuleDefinition rule = catalog.byId(ruleId);
        if (!rule.runsQuery()) {
            throw new IllegalArgumentException("no single-event rule " + ruleId);
        }
        return packAlert(rows, revision, rule);
    }

    /**
     * The alert of a pack rule for one initiating process instance (one message for email rules): the
     * rule's metadata, the rows' device and process columns, and each matched row as evidence with the
     * columns of its table. The download-specific fields stay as the certutil alert fills them for
     * DeviceFileEvents rules, so both read alike.
     */
    private static Alert packAlert(Collection<DownloadRow> rows, int revision, RuleDefinition rule) {
        List<DownloadRow> ordered = distinctOrdered(rows);
        Alert alert = describeDownload(ordered, rule);
        alert.revision = revision;
        alert.tactics = List.copyOf(rule.tactics());
        alert.techniques = List.copyOf(rule.techniqueIds());
        DownloadRow first = ordered.get(0);
        if (first.networkMessageId != null) {
            alert.networkMessageId = first.networkMessageId;
            alert.subject = firstNonEmpty(ordered, r -> r.subject);
            alert.senderFromAddress = firstNonEmpty(ordered, r -> r.senderFromAddress);
            Set<String> recipients = new TreeSet<>();
            for (DownloadRow row : ordered) {
                if (row.recipientEmailAddress != null && !row.recipientEmailAddress.isEmpty()) {
                    recipients.add(row.recipientEmailAddress);
                }
            }
            alert.recipients = List.copyOf(recipients);
            alert.droppedFiles = null;
            return alert;
        }
        if (first.processCommandLine != null || first.remoteUrl != null || first.remoteIP != null) {
            alert.droppedFiles = null; // process and network rows drop no file
            List<Alert.MatchedRow> matched = new ArrayList<>();
            for (DownloadRow row : ordered) {
                Alert.MatchedRow item = new Alert.MatchedRow();
                item.timestamp = DefenderTimestamps.format(row.timestamp);
                item.reportId = row.reportId;
                item.processId = row.processId;
                item.processCreationTime = row.processCreationTime == null
                        ? null : DefenderTimestamps.format(row.processCreationTime);
                item.fileName = row.fileName;
                item.folderPath = row.folderPath;
                item.processCommandLine = row.processCommandLine;
                item.accountName = row.accountName;
                item.remoteUrl = row.remoteUrl;
                item.remoteIP = row.remoteIP;
                item.remotePort = row.remotePort;
                matched.add(item);
            }
            alert.matchedRows = matched;
        }
        if (first.fileOriginReferrerUrl != null) {
            alert.fileOriginReferrerUrl = firstNonEmpty(ordered, r -> r.fileOriginReferrerUrl);
        }
        return alert;
    }

    /** The faithful rule's alert for one download process instance; {@code rows} must not be empty. */
    public Alert baseAlert(Collection<DownloadRow> rows, int revision) {
        return singleRuleAlert(rows, revision, downloadRule);
    }

    /**
     * The hardened rule's alert for one download process instance, with that rule's name, severity,
     * description and ATT&amp;CK mapping; {@code rows} must not be empty.
     */
    public Alert hardenedAlert(Collection<DownloadRow> rows, int revision) {
        return singleRuleAlert(rows, revision, hardenedDownloadRule);
    }

    private static Alert singleRuleAlert(Collection<DownloadRow> rows, int revision, RuleDefinition rule) {
        Alert alert = describeDownload(distinctOrdered(rows), rule);
        alert.revision = revision;
        alert.tactics = List.copyOf(rule.tactics());
        alert.techniques = List.copyOf(rule.techniqueIds());
        return alert;
    }

    /**
     * The BazaCall alert: the same download, with every Excel-spawned process linked to it as
     * evidence. {@code excelChildren} must not be empty.
     */
    public Alert correlatedAlert(Collection<DownloadRow> rows, Collection<ExcelChildEvent> excelChildren, int revision) {
        return correlatedAlert(rows, excelChildren, revision, 0);
    }

    /** As above, on a busy host where {@code excelChildrenOmitted} children near the download were left out. */
    public Alert correlatedAlert(Collection<DownloadRow> rows, Collection<ExcelChildEvent> excelChildren, int revision,
            int excelChildrenOmitted) {
        Alert alert = correlatedAlertOf(rows, excelChildren, revision);
        alert.excelChildrenOmitted = excelChildrenOmitted > 0 ? excelChildrenOmitted : null;
        return alert;
    }

    private Alert correlatedAlertOf(Collection<DownloadRow> rows, Collection<ExcelChildEvent> excelChildren, int revision) {
        List<DownloadRow> ordered = distinctOrdered(rows);
        Alert alert = describeDownload(ordered, correlationRule);
        alert.revision = revision;
        alert.campaign = correlationRule.campaignName();
        alert.relatedAlertId = AlertIds.of(downloadRule.id(), ordered.get(0).instanceKey());

        List<String> droppedNames = new ArrayList<>();
        for (DownloadRow row : ordered) {
            droppedNames.add(row.fileName);
        }
        Set<String> techniques = new LinkedHashSet<>(downloadRule.techniqueIds());
        techniques.addAll(correlationRule.techniqueIds());
        LinkStrength strongest = LinkStrength.DEVICE_WINDOW;
        List<Alert.Evidence> evidence = new ArrayList<>();
        DownloadRow representative = ordered.get(0);
        for (ExcelChildEvent child : distinctEvidence(excelChildren)) {
            EvidenceStage stage = EvidenceStage.classify(child, droppedNames);
            LinkStrength link = LinkStrength.of(representative, child);
            strongest = strongest.strongest(link);
            if (ExcelMacroActivity.runsRundll32GlobalOut(child.fileName, child.processCommandLine)) {
                techniques.addAll(correlationRule.stageTechniqueIds(RULE_STAGE_RUNDLL32));
            }
            evidence.add(evidenceOf(child, stage, link));
        }
        Set<String> tactics = new LinkedHashSet<>(downloadRule.tactics());
        tactics.addAll(correlationRule.tactics());
        alert.tactics = List.copyOf(tactics);
        alert.techniques = List.copyOf(techniques);
        alert.linkStrength = strongest.label();
        alert.evidence = evidence;
        return alert;
    }

    /** The stage name under which the correlation rule file lists rundll32's technique. */
    static final String RULE_STAGE_RUNDLL32 = "rundll32";

    private static Alert describeDownload(List<DownloadRow> ordered, RuleDefinition rule) {
        DownloadRow first = ordered.get(0);
        DownloadRow last = ordered.get(ordered.size() - 1);
        Alert alert = new Alert();
        alert.alertId = AlertIds.of(rule.id(), first.instanceKey());
        alert.ruleId = rule.id();
        alert.ruleName = rule.name();
        alert.severity = rule.severity().label();
        alert.description = rule.description();
        alert.timestamp = DefenderTimestamps.format(first.timestamp);
        alert.lastSeen = DefenderTimestamps.format(last.timestamp);
        alert.deviceId = first.deviceId;
        alert.deviceName = firstNonEmpty(ordered, r -> r.deviceName);
        alert.machineGroup = firstNonEmpty(ordered, r -> r.machineGroup);
        alert.accountDomain = firstNonEmpty(ordered, r -> r.initiatingProcessAccountDomain);
        alert.accountName = firstNonEmpty(ordered, r -> r.initiatingProcessAccountName);
        alert.initiatingProcessId = first.initiatingProcessId;
        alert.initiatingProcessCreationTime = first.initiatingProcessCreationTime == null
                ? null : DefenderTimestamps.format(first.initiatingProcessCreationTime);
        alert.initiatingProcessFileName = firstNonEmpty(ordered, r -> r.initiatingProcessFileName);
        alert.initiatingProcessFolderPath = firstNonEmpty(ordered, r -> r.initiatingProcessFolderPath);
        alert.initiatingProcessCommandLine = firstNonEmpty(ordered, r -> r.initiatingProcessCommandLine);
        alert.initiatingProcessOriginalFileName =
                firstNonEmpty(ordered, r -> r.initiatingProcessVersionInfoOriginalFileName);
        alert.initiatingProcessParentFileName = firstNonEmpty(ordered, r -> r.initiatingProcessParentFileName);
        alert.downloadUrl = CommandLineIocs.firstUrl(alert.initiatingProcessCommandLine);
        if (alert.downloadUrl == null) {
            alert.downloadUrl = firstNonEmpty(ordered, r -> r.fileOriginUrl);
        }
        Set<String> dropped = new TreeSet<>();
        Set<Long> reportIds = new TreeSet<>();
        for (DownloadRow row : ordered) {
            String path = row.folderPath != null && !row.folderPath.isEmpty() ? row.folderPath : row.fileName;
            if (path != null && !path.isEmpty()) {
                dropped.add(path);
            }
            if (row.reportId != null) {
                reportIds.add(row.reportId);
            }
        }
        alert.droppedFiles = List.copyOf(dropped);
        alert.reportIds = List.copyOf(reportIds);
        return alert;
    }

    private static Alert.Evidence evidenceOf(ExcelChildEvent child, EvidenceStage stage, LinkStrength link) {
        Alert.Evidence item = new Alert.Evidence();
        item.timestamp = DefenderTimestamps.format(child.timestamp);
        item.reportId = child.reportId;
        item.processId = child.processId;
        item.processCreationTime = child.processCreationTime == null
                ? null : DefenderTimestamps.format(child.processCreationTime);
        item.fileName = child.fileName;
        item.processCommandLine = child.processCommandLine;
        item.stage = stage.label();
        item.link = link.label();
        return item;
    }

    private static List<DownloadRow> distinctOrdered(Collection<DownloadRow> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("an alert needs at least one matching row");
        }
        TreeSet<String> seen = new TreeSet<>();
        List<DownloadRow> ordered = new ArrayList<>(rows.size());
        rows.stream().sorted(ROW_ORDER).forEach(row -> {
            if (seen.add(row.rowKey())) {
                ordered.add(row);
            }
        });
        return ordered;
    }

    private static List<ExcelChildEvent> distinctEvidence(Collection<ExcelChildEvent> children) {
        if (children.isEmpty()) {
            throw new IllegalArgumentException("a correlated alert needs at least one Excel-spawned process");
        }
        TreeSet<String> seen = new TreeSet<>();
        List<ExcelChildEvent> ordered = new ArrayList<>(children.size());
        children.stream().sorted(EVIDENCE_ORDER).forEach(child -> {
            if (seen.add(child.rowKey())) {
                ordered.add(child);
            }
        });
        return ordered;
    }

    private static String firstNonEmpty(List<DownloadRow> ordered, java.util.function.Function<DownloadRow, String> column) {
        for (DownloadRow row : ordered) {
            String value = column.apply(row);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}

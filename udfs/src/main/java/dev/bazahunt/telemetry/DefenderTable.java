package dev.bazahunt.telemetry;

import dev.bazahunt.kql.KqlOperators;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Every table of the Advanced Hunting schema, as Microsoft's schema reference lists it
 * (defender-xdr/advanced-hunting-schema-tables.md, MicrosoftDocs/defender-docs, dated 2026-02-05).
 * Only the {@linkplain #isHunted() hunted} ones become events; a row of any other table is counted as
 * skipped, not an error. Knowing every name is what lets a file called {@code DeviceEvents.jsonl} or a
 * container {@code insights-logs-advancedhunting-deviceregistryevents} be recognised as another table
 * instead of dead-lettering its rows.
 */
public enum DefenderTable {
    AAD_SIGN_IN_EVENTS_BETA("AADSignInEventsBeta", Hunting.NOT_HUNTED),
    AAD_SPN_SIGN_IN_EVENTS_BETA("AADSpnSignInEventsBeta", Hunting.NOT_HUNTED),
    AI_AGENTS_INFO("AIAgentsInfo", Hunting.NOT_HUNTED),
    ALERT_EVIDENCE("AlertEvidence", Hunting.NOT_HUNTED),
    ALERT_INFO("AlertInfo", Hunting.NOT_HUNTED),
    BEHAVIOR_ENTITIES("BehaviorEntities", Hunting.NOT_HUNTED),
    BEHAVIOR_INFO("BehaviorInfo", Hunting.NOT_HUNTED),
    CAMPAIGN_INFO("CampaignInfo", Hunting.NOT_HUNTED),
    CLOUD_APP_EVENTS("CloudAppEvents", Hunting.NOT_HUNTED),
    CLOUD_AUDIT_EVENTS("CloudAuditEvents", Hunting.NOT_HUNTED),
    CLOUD_DNS_EVENTS("CloudDnsEvents", Hunting.NOT_HUNTED),
    CLOUD_PROCESS_EVENTS("CloudProcessEvents", Hunting.NOT_HUNTED),
    CLOUD_STORAGE_AGGREGATED_EVENTS("CloudStorageAggregatedEvents", Hunting.NOT_HUNTED),
    DATA_SECURITY_BEHAVIORS("DataSecurityBehaviors", Hunting.NOT_HUNTED),
    DATA_SECURITY_EVENTS("DataSecurityEvents", Hunting.NOT_HUNTED),
    DEVICE_BASELINE_COMPLIANCE_ASSESSMENT("DeviceBaselineComplianceAssessment", Hunting.NOT_HUNTED),
    DEVICE_BASELINE_COMPLIANCE_ASSESSMENT_KB("DeviceBaselineComplianceAssessmentKB", Hunting.NOT_HUNTED),
    DEVICE_BASELINE_COMPLIANCE_PROFILES("DeviceBaselineComplianceProfiles", Hunting.NOT_HUNTED),
    DEVICE_EVENTS("DeviceEvents", Hunting.NOT_HUNTED),
    DEVICE_FILE_CERTIFICATE_INFO("DeviceFileCertificateInfo", Hunting.NOT_HUNTED),
    DEVICE_FILE_EVENTS("DeviceFileEvents", Hunting.HUNTED),
    DEVICE_IMAGE_LOAD_EVENTS("DeviceImageLoadEvents", Hunting.NOT_HUNTED),
    DEVICE_INFO("DeviceInfo", Hunting.NOT_HUNTED),
    DEVICE_LOGON_EVENTS("DeviceLogonEvents", Hunting.NOT_HUNTED),
    DEVICE_NETWORK_EVENTS("DeviceNetworkEvents", Hunting.HUNTED),
    DEVICE_NETWORK_INFO("DeviceNetworkInfo", Hunting.NOT_HUNTED),
    DEVICE_PROCESS_EVENTS("DeviceProcessEvents", Hunting.HUNTED),
    DEVICE_REGISTRY_EVENTS("DeviceRegistryEvents", Hunting.NOT_HUNTED),
    DEVICE_TVM_BROWSER_EXTENSIONS("DeviceTvmBrowserExtensions", Hunting.NOT_HUNTED),
    DEVICE_TVM_BROWSER_EXTENSIONS_KB("DeviceTvmBrowserExtensionsKB", Hunting.NOT_HUNTED),
    DEVICE_TVM_CERTIFICATE_INFO("DeviceTvmCertificateInfo", Hunting.NOT_HUNTED),
    DEVICE_TVM_HARDWARE_FIRMWARE("DeviceTvmHardwareFirmware", Hunting.NOT_HUNTED),
    DEVICE_TVM_INFO_GATHERING("DeviceTvmInfoGathering", Hunting.NOT_HUNTED),
    DEVICE_TVM_INFO_GATHERING_KB("DeviceTvmInfoGatheringKB", Hunting.NOT_HUNTED),
    DEVICE_TVM_SECURE_CONFIGURATION_ASSESSMENT("DeviceTvmSecureConfigurationAssessment", Hunting.NOT_HUNTED),
    DEVICE_TVM_SECURE_CONFIGURATION_ASSESSMENT_KB("DeviceTvmSecureConfigurationAssessmentKB", Hunting.NOT_HUNTED),
    DEVICE_TVM_SOFTWARE_EVIDENCE_BETA("DeviceTvmSoftwareEvidenceBeta", Hunting.NOT_HUNTED),
    DEVICE_TVM_SOFTWARE_INVENTORY("DeviceTvmSoftwareInventory", Hunting.NOT_HUNTED),
    DEVICE_TVM_SOFTWARE_VULNERABILITIES("DeviceTvmSoftwareVulnerabilities", Hunting.NOT_HUNTED),
    DEVICE_TVM_SOFTWARE_VULNERABILITIES_KB("DeviceTvmSoftwareVulnerabilitiesKB", Hunting.NOT_HUNTED),
    DISRUPTION_AND_RESPONSE_EVENTS("DisruptionAndResponseEvents", Hunting.NOT_HUNTED),
    EMAIL_ATTACHMENT_INFO("EmailAttachmentInfo", Hunting.NOT_HUNTED),
    EMAIL_EVENTS("EmailEvents", Hunting.HUNTED),
    EMAIL_POST_DELIVERY_EVENTS("EmailPostDeliveryEvents", Hunting.NOT_HUNTED),
    EMAIL_URL_INFO("EmailUrlInfo", Hunting.NOT_HUNTED),
    ENTRA_ID_SIGN_IN_EVENTS("EntraIdSignInEvents", Hunting.NOT_HUNTED),
    ENTRA_ID_SPN_SIGN_IN_EVENTS("EntraIdSpnSignInEvents", Hunting.NOT_HUNTED),
    EXPOSURE_GRAPH_EDGES("ExposureGraphEdges", Hunting.NOT_HUNTED),
    EXPOSURE_GRAPH_NODES("ExposureGraphNodes", Hunting.NOT_HUNTED),
    FILE_MALICIOUS_CONTENT_INFO("FileMaliciousContentInfo", Hunting.NOT_HUNTED),
    GRAPH_API_AUDIT_EVENTS("GraphApiAuditEvents", Hunting.NOT_HUNTED),
    IDENTITY_ACCOUNT_INFO("IdentityAccountInfo", Hunting.NOT_HUNTED),
    IDENTITY_DIRECTORY_EVENTS("IdentityDirectoryEvents", Hunting.NOT_HUNTED),
    IDENTITY_EVENTS("IdentityEvents", Hunting.NOT_HUNTED),
    IDENTITY_INFO("IdentityInfo", Hunting.NOT_HUNTED),
    IDENTITY_LOGON_EVENTS("IdentityLogonEvents", Hunting.NOT_HUNTED),
    IDENTITY_QUERY_EVENTS("IdentityQueryEvents", Hunting.NOT_HUNTED),
    MESSAGE_EVENTS("MessageEvents", Hunting.NOT_HUNTED),
    MESSAGE_POST_DELIVERY_EVENTS("MessagePostDeliveryEvents", Hunting.NOT_HUNTED),
    MESSAGE_URL_INFO("MessageUrlInfo", Hunting.NOT_HUNTED),
    OAUTH_APP_INFO("OAuthAppInfo", Hunting.NOT_HUNTED),
    URL_CLICK_EVENTS("UrlClickEvents", Hunting.NOT_HUNTED);

    /** Event Hubs and Storage envelopes name the table as {@code category: "AdvancedHunting-<Table>"}. */
    public static final String CATEGORY_PREFIX = "AdvancedHunting-";

    private static final List<DefenderTable> HUNTED_TABLES = huntedTables();

    private final String tableName;
    private final boolean hunted;

    DefenderTable(String tableName, Hunting hunting) {
        this.tableName = tableName;
        this.hunted = hunting == Hunting.HUNTED;
    }

    /** The table name as Defender and Sentinel spell it, e.g. {@code DeviceFileEvents}. */
    public String tableName() {
        return tableName;
    }

    /** Whether the hunt reads this table's rows; rows of the other tables are skipped. */
    public boolean isHunted() {
        return hunted;
    }

    /** The tables the hunt reads, in declaration order; for per-table counters and summaries. */
    public static List<DefenderTable> hunted() {
        return HUNTED_TABLES;
    }

    /**
     * Finds the table by its name ({@code DeviceFileEvents}) or its envelope category
     * ({@code AdvancedHunting-DeviceFileEvents}), ignoring case. Returns null for a name that is no
     * Advanced Hunting table. Only ASCII letters fold, as in KQL: Java's own folding would let a dotless
     * {@code ı} stand for {@code i}, and the pre-filter relies on a table's name being in a row's bytes
     * as it is spelt ({@link RawPrefilter#mayHoldProcessRows}).
     */
    public static DefenderTable fromNameOrCategory(String name) {
        if (name == null) {
            return null;
        }
        int prefix = KqlOperators.regionMatches(name, 0, CATEGORY_PREFIX, true) ? CATEGORY_PREFIX.length() : 0;
        for (DefenderTable table : values()) {
            if (name.length() - prefix == table.tableName.length()
                    && KqlOperators.regionMatches(name, prefix, table.tableName, true)) {
                return table;
            }
        }
        return null;
    }

    /**
     * The table a file's path names, for rows that do not say it themselves (an Advanced Hunting export
     * has no Type column). Defender's storage containers are {@code insights-logs-advancedhunting-<table>},
     * and exports are usually named after their table. The name that ends closest to the end of the path
     * wins, and of two ending at the same place the longer
     * ({@code DeviceTvmSoftwareVulnerabilitiesKB} over {@code DeviceTvmSoftwareVulnerabilities}); null
     * when the path names no table.
     */
    public static DefenderTable fromPath(String path) {
        if (path == null) {
            return null;
        }
        DefenderTable found = null;
        int foundEnd = -1;
        for (DefenderTable table : values()) {
            int at = lastIndexOfIgnoreCase(path, table.tableName);
            int end = at < 0 ? -1 : at + table.tableName.length();
            if (end > foundEnd || (end == foundEnd && end >= 0 && table.tableName.length() > found.tableName.length())) {
                found = table;
                foundEnd = end;
            }
        }
        return found;
    }

    private static int lastIndexOfIgnoreCase(String text, String needle) {
        for (int i = text.length() - needle.length(); i >= 0; i--) {
            // ASCII case only, as for table names in rows: Java's folding would let a dotless ı stand for i.
            if (KqlOperators.regionMatches(text, i, needle, true)) {
                return i;
            }
        }
        return -1;
    }

    private static List<DefenderTable> huntedTables() {
        List<DefenderTable> tables = new ArrayList<>();
        for (DefenderTable table : values()) {
            if (table.hunted) {
                tables.add(table);
            }
        }
        return Collections.unmodifiableList(tables);
    }

    @Override
    public String toString() {
        return tableName;
    }

    /** Lower-case key for metric and counter names, e.g. {@code devicefileevents}. */
    public String metricKey() {
        return tableName.toLowerCase(Locale.ROOT);
    }

    /** Spelled out in the constant list above, so that which tables are hunted reads at a glance. */
    private enum Hunting {
        HUNTED,
        NOT_HUNTED
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.campaign.CampaignHit;
import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.rules.ExcelMacroActivity;
import dev.bazahunt.rules.HardenedCertutilRule;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.tuning.Exclusion;
import dev.bazahunt.tuning.ExclusionAudit;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The single-event part of the hunt. Rows that the faithful rule matches become download rows (side
 * output) and correlation events (main output); rows of the hardened rule, when it runs, become download
 * rows of their own rule (they are not correlated: the BazaCall alert is defined on the faithful rule).
 * A match that an exclusion covers is counted and written to the exclusion audit, never dropped
 * silently. Processes that Excel spawned become correlation events; dead letters go to their side
 * output. Everything else is counted and ends here: almost all of a fleet's telemetry is irrelevant.
 */
public final class RouteTelemetry extends ProcessFunction<TelemetryRecord, CorrelationEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DownloadRow> DOWNLOAD_ROWS = new OutputTag<>("download-rows") {};
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    /** One JSON line per excluded match: which exclusion, which rule, which row. */
    public static final OutputTag<String> EXCLUSION_AUDIT = new OutputTag<>("exclusion-audit") {};
    /** Every row a rule with a campaign stage matched (and no exclusion covered), for the campaign incident. */
    public static final OutputTag<CampaignHit> CAMPAIGN_HITS = new OutputTag<>("campaign-hits") {};

    private final HuntTuning tuning;

    private transient Map<DefenderTable, HuntCounter> recordsIn;
    private transient HuntCounter skipped;
    private transient HuntCounter deadLettered;
    private transient HuntCounter matchedRows;
    private transient HuntCounter excelChildren;
    private transient HuntCounter excluded;
    private transient HuntCounter campaignHits;
    private transient RuleCatalog rules;

    public RouteTelemetry(HuntTuning tuning) {
        this.tuning = tuning;
    }

    @Override
    public void open(OpenContext openContext) {
        recordsIn = new EnumMap<>(DefenderTable.class);
        for (DefenderTable table : DefenderTable.hunted()) {
            recordsIn.put(table, HuntCounter.register(getRuntimeContext(), HuntCounter.RECORDS_IN_PREFIX + table.tableName()));
        }
        skipped = HuntCounter.register(getRuntimeContext(), HuntCounter.SKIPPED);
        deadLettered = HuntCounter.register(getRuntimeContext(), HuntCounter.DEAD_LETTERED);
        matchedRows = HuntCounter.register(getRuntimeContext(), HuntCounter.MATCHED_ROWS);
        excelChildren = HuntCounter.register(getRuntimeContext(), HuntCounter.EXCEL_CHILDREN);
        excluded = HuntCounter.register(getRuntimeContext(), HuntCounter.EXCLUDED);
        campaignHits = HuntCounter.register(getRuntimeContext(), HuntCounter.CAMPAIGN_HITS);
        rules = RuleCatalog.standard();
    }

    private void download(DeviceFileEvent event, String ruleId, boolean correlate, Context context,
            Collector<CorrelationEvent> out) {
        Exclusion exclusion = tuning.exclusions() == null ? null : tuning.exclusions().firstMatch(ruleId, event);
        if (exclusion != null) {
            excluded.inc();
            context.output(EXCLUSION_AUDIT, ExclusionAudit.of(exclusion, ruleId, event).toJson());
            return;
        }
        matchedRows.inc();
        DownloadRow row = DownloadRow.from(event, ruleId);
        context.output(DOWNLOAD_ROWS, row);
        RuleDefinition rule = rules.byId(ruleId);
        if (rule.campaignStage() != null) {
            campaignHits.inc();
            context.output(CAMPAIGN_HITS, CampaignHit.of(rule, row.alertKey(), event));
        }
        if (correlate) {
            out.collect(CorrelationEvent.of(row));
        }
    }

    @Override
    public void processElement(TelemetryRecord record, Context context, Collector<CorrelationEvent> out) {
        if (record.fileEvent != null) {
            recordsIn.get(DefenderTable.DEVICE_FILE_EVENTS).inc();
            if (CertutilDownloadRule.matches(record.fileEvent)) {
                download(record.fileEvent, RuleIds.CERTUTIL_DOWNLOAD, true, context, out);
            }
            if (tuning.hardenedRule() && HardenedCertutilRule.matches(record.fileEvent)) {
                download(record.fileEvent, RuleIds.CERTUTIL_DOWNLOAD_HARDENED, false, context, out);
            }
        } else if (record.processEvent != null) {
            recordsIn.get(DefenderTable.DEVICE_PROCESS_EVENTS).inc();
            if (ExcelMacroActivity.isExcelChild(record.processEvent)) {
                excelChildren.inc();
                out.collect(CorrelationEvent.of(record.processEvent.deviceId, ExcelChildEvent.from(record.processEvent)));
            }
        } else if (record.deadLetter != null) {
            deadLettered.inc();
            context.output(DEAD_LETTERS, record.deadLetter);
        } else {
            skipped.inc();
        }
    }
}

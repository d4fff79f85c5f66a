package dev.bazahunt.job.pipeline;

import dev.bazahunt.campaign.CampaignHit;
import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import dev.bazahunt.rules.ExcelMacroActivity;
import dev.bazahunt.rules.HardenedCertutilRule;
import dev.bazahunt.rules.HuntRules;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.DeviceEvent;
import dev.bazahunt.tuning.Exclusion;
import dev.bazahunt.tuning.ExclusionAudit;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The single-event part of the hunt. Each row is offered to the compiled rules of its table
 * ({@link HuntRules}, built from the rule files); a match becomes a row of that rule's alert (side
 * output). Rows of the faithful rule also become correlation events (main output); rows of the hardened
 * rule, when it runs, become rows of their own rule (they are not correlated: the BazaCall alert is
 * defined on the faithful rule).
 * A match that an exclusion covers is counted and written to the exclusion audit, never dropped
 * silently. Exclusions are scoped by rule: one that names only the base rule removes the base alert,
 * and the row still reaches correlation; one that names the correlation rule keeps the row out of
 * correlation. A row from the future (its Timestamp more than the allowed clock skew ahead of the wall
 * clock) still raises its base alert, but its correlation event goes to {@link #FUTURE}, counted,
 * not to CEP. Processes that Excel spawned become correlation events; dead letters go to their side
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
    /** Correlation events of rows from the future: counted and kept out of correlation. */
    public static final OutputTag<CorrelationEvent> FUTURE = new OutputTag<>("from-the-future") {};

    private final HuntTuning tuning;
    /** Negative when rows from the future are not singled out. */
    private final long maxClockSkewMillis;

    private transient Map<DefenderTable, HuntCounter> recordsIn;
    private transient HuntCounter skipped;
    private transient HuntCounter deadLettered;
    private transient HuntCounter matchedRows;
    private transient HuntCounter excelChildren;
    private transient HuntCounter excluded;
    private transient HuntCounter campaignHits;
    private transient RuleCatalog catalog;
    private transient HuntRules rules;
    private transient HuntCounter futureRecords;

    public RouteTelemetry(HuntTuning tuning) {
        this(tuning, null);
    }

    /** @param maxClockSkew how far ahead of the wall clock a row may be and still correlate; null for any */
    public RouteTelemetry(HuntTuning tuning, java.time.Duration maxClockSkew) {
        this.tuning = tuning;
        this.maxClockSkewMillis = maxClockSkew == null ? -1 : maxClockSkew.toMillis();
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
        catalog = RuleCatalog.standard();
        rules = HuntRules.select(catalog, tuning.rules());
        futureRecords = HuntCounter.register(getRuntimeContext(), HuntCounter.FUTURE_RECORDS);
    }

    /** Keeps this task's counters on the reporters for a while, if the job asked for it. */
    @Override
    public void close() {
        HuntCounter.holdForReporters(getRuntimeContext());
    }

    private void download(DefenderEvent event, String ruleId, boolean correlate, Context context,
            Collector<CorrelationEvent> out) {
        boolean baseExcluded = excluded(ruleId, event, context);
        boolean correlationExcluded = correlate && excluded(RuleIds.BAZACALL_CORRELATION, event, context);
        correlate = correlate && !correlationExcluded;
        if (baseExcluded && !correlate) {
            return;
        }
        matchedRows.inc();
        DownloadRow row = DownloadRow.from(event, ruleId);
        row.baseExcluded = baseExcluded;
        context.output(DOWNLOAD_ROWS, row);
        RuleDefinition rule = catalog.byId(ruleId);
        if (!baseExcluded && rule.campaignStage() != null) {
            campaignHits.inc();
            context.output(CAMPAIGN_HITS, CampaignHit.of(rule, row.alertKey(), event));
        }
        if (correlate) {
            out.collect(CorrelationEvent.of(row));
        }
    }

    /**
     * Whether an exclusion covers the rule's match of this row; if so it is counted and audited.
     * Exclusions name device columns; email rows have none, so no exclusion applies to them.
     */
    private boolean excluded(String ruleId, DefenderEvent event, Context context) {
        if (tuning.exclusions() == null || !(event instanceof DeviceEvent device)) {
            return false;
        }
        Exclusion exclusion = tuning.exclusions().firstMatch(ruleId, device);
        if (exclusion == null) {
            return false;
        }
        excluded.inc();
        context.output(EXCLUSION_AUDIT, ExclusionAudit.of(exclusion, ruleId, device).toJson());
        return true;
    }

    @Override
    public void processElement(TelemetryRecord record, Context context, Collector<CorrelationEvent> toCorrelation) {
        Collector<CorrelationEvent> out = toCorrelation;
        if (HuntWatermarks.fromTheFuture(record.eventTimeMillis(), maxClockSkewMillis)) {
            futureRecords.inc();
            out = new Collector<>() {
                @Override
                public void collect(CorrelationEvent event) {
                    context.output(FUTURE, event);
                }

                @Override
                public void close() {}
            };
        }
        DefenderEvent event = record.event();
        if (event != null) {
            recordsIn.get(event.table()).inc();
            for (HuntRules.CompiledRule rule : rules.forTable(event.table())) {
                if (rule.query().matches(event)) {
                    // The BazaCall correlation is defined on the faithful rule's downloads.
                    download(event, rule.id(), rule.id().equals(RuleIds.CERTUTIL_DOWNLOAD), context, out);
                }
            }
            if (record.fileEvent != null && tuning.hardenedRule() && HardenedCertutilRule.matches(record.fileEvent)) {
                download(record.fileEvent, RuleIds.CERTUTIL_DOWNLOAD_HARDENED, false, context, out);
            }
            if (record.processEvent != null && ExcelMacroActivity.isExcelChild(record.processEvent)) {
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

package dev.bazahunt.job.pipeline;

import dev.bazahunt.alert.Alert;
import dev.bazahunt.alert.AlertAssembler;
import dev.bazahunt.alert.AlertJson;
import dev.bazahunt.correlation.CorrelationLink;
import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.tuning.SuppressionKey;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by the download's process instance: gathers its matching rows (one renamed certutil writes the
 * payload and its CryptnetUrlCache entries) and its CEP links to Excel activity, and writes the base
 * alert and, once a link exists, the correlated BazaCall alert. State lives until the event-time
 * window of the latest row has closed (after which no link can arrive), plus the configured retention
 * in live mode, then it is cleared: it never grows with the length of the history. In live mode a
 * {@link RevisionLedger} outlives it, so a row that arrives later still continues the revisions.
 *
 * <p>A row whose base rule an exclusion names raises no base alert, but it is evidence of the
 * correlated alert. An omission count (a link without an Excel child) adds to the correlated alert's
 * ExcelChildrenOmitted.
 */
public final class DownloadAlertFunction extends KeyedCoProcessFunction<String, DownloadRow, CorrelationLink, AlertRecord> {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long retentionMillis;
    private final RevisionPolicy policy;
    private final java.time.Duration revisionMemory;

    private transient ValueState<DownloadAlertState> state;
    private transient AlertAssembler assembler;
    private transient HuntCounter baseAlerts;
    private transient HuntCounter correlatedAlerts;
    private transient HuntCounter revisionsOut;
    private transient RevisionLedger ledger;

    /** @param revisionMemory how long the revision ledger remembers an AlertId (live mode) */
    public DownloadAlertFunction(Duration window, RevisionPolicy policy, Duration retention, Duration revisionMemory) {
        this.windowMillis = window.toMillis();
        this.retentionMillis = retention.toMillis();
        this.policy = policy;
        this.revisionMemory = revisionMemory;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>(
                "download-alert-state", TypeInformation.of(DownloadAlertState.class)));
        assembler = new AlertAssembler(RuleCatalog.standard());
        baseAlerts = HuntCounter.register(getRuntimeContext(), HuntCounter.BASE_ALERTS);
        correlatedAlerts = HuntCounter.register(getRuntimeContext(), HuntCounter.CORRELATED_ALERTS);
        revisionsOut = HuntCounter.register(getRuntimeContext(), HuntCounter.ALERT_REVISIONS);
        if (policy == RevisionPolicy.EVERY_CHANGE) {
            ledger = RevisionLedger.open(getRuntimeContext(), "revision-ledger", revisionMemory);
        }
    }

    /** Keeps this task's counters on the reporters for a while, if the job asked for it. */
    @Override
    public void close() {
        HuntCounter.holdForReporters(getRuntimeContext());
    }

    @Override
    public void processElement1(DownloadRow row, Context context, Collector<AlertRecord> out) throws Exception {
        DownloadAlertState current = currentState();
        boolean newRow = current.addRow(row);
        if (newRow) {
            scheduleCleanup(row.timestampMillis(), current, context);
        }
        if (policy == RevisionPolicy.EVERY_CHANGE && newRow) {
            if (!row.baseExcluded) {
                emitBase(current, out);
            }
            if (current.excelChildren.length > 0) {
                emitCorrelated(current, out); // the dropped files changed
            }
        }
        state.update(current);
    }

    @Override
    public void processElement2(CorrelationLink link, Context context, Collector<AlertRecord> out) throws Exception {
        DownloadAlertState current = currentState();
        boolean newEvidence;
        if (link.excelChild == null) {
            current.excelChildrenOmitted += link.excelChildrenOmitted;
            newEvidence = link.excelChildrenOmitted > 0 && current.excelChildren.length > 0;
        } else {
            newEvidence = current.addExcelChild(link.excelChild);
        }
        // The link names its download's time, so state is cleaned up even if it came before the row.
        scheduleCleanup(link.downloadTimestampMillis(), current, context);
        // The download's rows normally arrive first (they need no watermark); if not, the correlated
        // alert is written when the first row arrives.
        if (policy == RevisionPolicy.EVERY_CHANGE && newEvidence && current.rows.length > 0) {
            emitCorrelated(current, out);
        }
        state.update(current);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<AlertRecord> out) throws Exception {
        DownloadAlertState current = state.value();
        if (current == null || timestamp != current.cleanupAtMillis) {
            return;
        }
        if (policy == RevisionPolicy.FINAL && current.rows.length > 0) {
            emitBase(current, out);
            if (current.excelChildren.length > 0) {
                emitCorrelated(current, out);
            }
        }
        state.clear();
    }

    /** State lives until the window of the latest download row has closed, plus the retention. */
    private void scheduleCleanup(long downloadMillis, DownloadAlertState current, Context context) {
        long closesAt = downloadMillis + windowMillis + 1 + retentionMillis;
        if (closesAt > current.cleanupAtMillis) {
            if (current.cleanupAtMillis != Long.MIN_VALUE) {
                context.timerService().deleteEventTimeTimer(current.cleanupAtMillis);
            }
            current.cleanupAtMillis = closesAt;
            context.timerService().registerEventTimeTimer(closesAt);
        }
    }

    private DownloadAlertState currentState() throws Exception {
        DownloadAlertState current = state.value();
        return current != null ? current : new DownloadAlertState();
    }

    private void emitBase(DownloadAlertState current, Collector<AlertRecord> out) throws Exception {
        List<DownloadRow> rows = java.util.Arrays.stream(current.rows).filter(row -> !row.baseExcluded).toList();
        if (rows.isEmpty()) {
            return;
        }
        Alert alert = assembler.ruleAlert(rows.get(0).ruleId, rows, current.baseRevision + 1);
        int revision = revision(alert, current.baseRevision);
        if (revision == 0) {
            return;
        }
        current.baseRevision = revision;
        if (revision == 1) {
            baseAlerts.inc();
        }
        emit(alert, rows, false, out);
    }

    private void emitCorrelated(DownloadAlertState current, Collector<AlertRecord> out) throws Exception {
        List<DownloadRow> rows = List.of(current.rows);
        Alert alert = assembler.correlatedAlert(rows, List.of(current.excelChildren), current.correlatedRevision + 1,
                current.excelChildrenOmitted);
        int revision = revision(alert, current.correlatedRevision);
        if (revision == 0) {
            return;
        }
        current.correlatedRevision = revision;
        if (revision == 1) {
            correlatedAlerts.inc();
        }
        emit(alert, rows, true, out);
    }

    /** The alert's revision (set on it), or 0 when the ledger shows this content was written last. */
    private int revision(Alert alert, int localRevision) throws Exception {
        int revision = ledger == null ? localRevision + 1 : ledger.next(alert, localRevision);
        if (revision != 0) {
            alert.revision = revision;
        }
        return revision;
    }

    private void emit(Alert alert, List<DownloadRow> rows, boolean correlated, Collector<AlertRecord> out) {
        revisionsOut.inc();
        long firstSeenMillis = Long.MAX_VALUE;
        for (DownloadRow row : rows) {
            firstSeenMillis = Math.min(firstSeenMillis, row.timestampMillis());
        }
        SuppressionKey key = SuppressionKey.of(alert.ruleId, alert.deviceId, alert.initiatingProcessCommandLine);
        out.collect(new AlertRecord(alert.alertId, alert.revision, alert.ruleId, alert.deviceId, alert.timestamp,
                correlated, firstSeenMillis,
                key.ruleId() + '|' + key.deviceId() + '|' + key.foldedCommandLine(), AlertJson.write(alert)));
    }
}

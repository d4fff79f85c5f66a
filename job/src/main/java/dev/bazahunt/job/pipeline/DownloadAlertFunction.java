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
 * in live mode, then it is cleared: it never grows with the length of the history.
 */
public final class DownloadAlertFunction extends KeyedCoProcessFunction<String, DownloadRow, CorrelationLink, AlertRecord> {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long retentionMillis;
    private final RevisionPolicy policy;

    private transient ValueState<DownloadAlertState> state;
    private transient AlertAssembler assembler;
    private transient HuntCounter baseAlerts;
    private transient HuntCounter correlatedAlerts;
    private transient HuntCounter revisionsOut;

    public DownloadAlertFunction(Duration window, RevisionPolicy policy, Duration retention) {
        this.windowMillis = window.toMillis();
        this.retentionMillis = retention.toMillis();
        this.policy = policy;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>(
                "download-alert-state", TypeInformation.of(DownloadAlertState.class)));
        assembler = new AlertAssembler(RuleCatalog.standard());
        baseAlerts = HuntCounter.register(getRuntimeContext(), HuntCounter.BASE_ALERTS);
        correlatedAlerts = HuntCounter.register(getRuntimeContext(), HuntCounter.CORRELATED_ALERTS);
        revisionsOut = HuntCounter.register(getRuntimeContext(), HuntCounter.ALERT_REVISIONS);
    }

    @Override
    public void processElement1(DownloadRow row, Context context, Collector<AlertRecord> out) throws Exception {
        DownloadAlertState current = currentState();
        boolean newRow = current.addRow(row);
        if (newRow) {
            scheduleCleanup(row.timestampMillis(), current, context);
        }
        if (policy == RevisionPolicy.EVERY_CHANGE && newRow) {
            emitBase(current, out);
            if (current.excelChildren.length > 0) {
                emitCorrelated(current, out); // the dropped files changed
            }
        }
        state.update(current);
    }

    @Override
    public void processElement2(CorrelationLink link, Context context, Collector<AlertRecord> out) throws Exception {
        DownloadAlertState current = currentState();
        boolean newEvidence = current.addExcelChild(link.excelChild);
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

    private void emitBase(DownloadAlertState current, Collector<AlertRecord> out) {
        current.baseRevision++;
        if (current.baseRevision == 1) {
            baseAlerts.inc();
        }
        List<DownloadRow> rows = List.of(current.rows);
        emit(assembler.ruleAlert(rows.get(0).ruleId, rows, current.baseRevision), rows, false, out);
    }

    private void emitCorrelated(DownloadAlertState current, Collector<AlertRecord> out) {
        current.correlatedRevision++;
        if (current.correlatedRevision == 1) {
            correlatedAlerts.inc();
        }
        List<DownloadRow> rows = List.of(current.rows);
        Alert alert = assembler.correlatedAlert(rows, List.of(current.excelChildren), current.correlatedRevision);
        emit(alert, rows, true, out);
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

package dev.bazahunt.job.pipeline;

import dev.bazahunt.alert.Alert;
import dev.bazahunt.alert.AlertAssembler;
import dev.bazahunt.alert.AlertJson;
import dev.bazahunt.correlation.CorrelationLink;
import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.tuning.SuppressionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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

    private transient MapState<String, DownloadRow> rows;
    private transient MapState<String, ExcelChildEvent> excelChildren;
    private transient ValueState<AlertProgress> progress;
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
        rows = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "download-rows", Types.STRING, TypeInformation.of(DownloadRow.class)));
        excelChildren = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "excel-children", Types.STRING, TypeInformation.of(ExcelChildEvent.class)));
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>(
                "alert-progress", TypeInformation.of(AlertProgress.class)));
        assembler = new AlertAssembler(RuleCatalog.standard());
        baseAlerts = HuntCounter.register(getRuntimeContext(), HuntCounter.BASE_ALERTS);
        correlatedAlerts = HuntCounter.register(getRuntimeContext(), HuntCounter.CORRELATED_ALERTS);
        revisionsOut = HuntCounter.register(getRuntimeContext(), HuntCounter.ALERT_REVISIONS);
    }

    @Override
    public void processElement1(DownloadRow row, Context context, Collector<AlertRecord> out) throws Exception {
        AlertProgress state = currentProgress();
        boolean newRow = remember(row, state, context);
        if (policy == RevisionPolicy.EVERY_CHANGE && newRow) {
            emitBase(state, out);
            if (!excelChildren.isEmpty()) {
                emitCorrelated(state, out); // the dropped files changed
            }
        }
        progress.update(state);
    }

    @Override
    public void processElement2(CorrelationLink link, Context context, Collector<AlertRecord> out) throws Exception {
        AlertProgress state = currentProgress();
        boolean newEvidence = !excelChildren.contains(link.excelChild.rowKey());
        if (newEvidence) {
            excelChildren.put(link.excelChild.rowKey(), link.excelChild);
        }
        // The link names its download's time, so state is cleaned up even if it came before the row.
        scheduleCleanup(link.downloadTimestampMillis(), state, context);
        // The download's rows normally arrive first (they need no watermark); if not, the correlated
        // alert is written when the first row arrives.
        if (policy == RevisionPolicy.EVERY_CHANGE && newEvidence && !rows.isEmpty()) {
            emitCorrelated(state, out);
        }
        progress.update(state);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<AlertRecord> out) throws Exception {
        AlertProgress state = progress.value();
        if (state == null || timestamp != state.cleanupAtMillis) {
            return;
        }
        if (policy == RevisionPolicy.FINAL && !rows.isEmpty()) {
            emitBase(state, out);
            if (!excelChildren.isEmpty()) {
                emitCorrelated(state, out);
            }
        }
        rows.clear();
        excelChildren.clear();
        progress.clear();
    }

    private boolean remember(DownloadRow row, AlertProgress state, Context context) throws Exception {
        String key = row.rowKey();
        if (rows.contains(key)) {
            return false;
        }
        rows.put(key, row);
        scheduleCleanup(row.timestampMillis(), state, context);
        return true;
    }

    /** State lives until the window of the latest download row has closed, plus the retention. */
    private void scheduleCleanup(long downloadMillis, AlertProgress state, Context context) {
        long closesAt = downloadMillis + windowMillis + 1 + retentionMillis;
        if (closesAt > state.cleanupAtMillis) {
            if (state.cleanupAtMillis != Long.MIN_VALUE) {
                context.timerService().deleteEventTimeTimer(state.cleanupAtMillis);
            }
            state.cleanupAtMillis = closesAt;
            context.timerService().registerEventTimeTimer(closesAt);
        }
    }

    private AlertProgress currentProgress() throws Exception {
        AlertProgress state = progress.value();
        return state != null ? state : new AlertProgress();
    }

    private void emitBase(AlertProgress state, Collector<AlertRecord> out) throws Exception {
        state.baseRevision++;
        if (state.baseRevision == 1) {
            baseAlerts.inc();
        }
        List<DownloadRow> all = collect(rows.values());
        emit(assembler.ruleAlert(all.get(0).ruleId, all, state.baseRevision), all, false, out);
    }

    private void emitCorrelated(AlertProgress state, Collector<AlertRecord> out) throws Exception {
        state.correlatedRevision++;
        if (state.correlatedRevision == 1) {
            correlatedAlerts.inc();
        }
        List<DownloadRow> all = collect(rows.values());
        Alert alert = assembler.correlatedAlert(all, collect(excelChildren.values()), state.correlatedRevision);
        emit(alert, all, true, out);
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

    private static <T> List<T> collect(Iterable<T> values) {
        List<T> list = new ArrayList<>();
        values.forEach(list::add);
        return list;
    }
}

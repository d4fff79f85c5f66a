package dev.bazahunt.job.pipeline;

import dev.bazahunt.tuning.SuppressionWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code --suppress}: keyed by rule, device and normalised command line, an alert whose download lies
 * within the suppression duration of the last alert let through is suppressed and counted.
 *
 * <p>Alerts of one key come from parallel alert functions in no fixed order, so a first-come decision
 * would differ between runs, and between live mode and replay. Instead a new AlertId waits until the
 * watermark passes its download's event time, and then the waiting alerts are decided in event-time
 * order (AlertId breaks ties). Every revision of an AlertId follows its decision. This delays alerts
 * by the watermark bound when suppression is on, and makes the result the same in live mode and
 * replay. State is cleared by an event-time timer once no revision of a decided alert can arrive.
 */
public final class SuppressRepeats extends KeyedProcessFunction<String, AlertRecord, AlertRecord> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<AlertRecord> DECISION_ORDER = Comparator
            .comparingLong((AlertRecord a) -> a.eventTimeMillis)
            .thenComparing(a -> a.alertId)
            .thenComparingInt(a -> a.revision);

    private final SuppressionWindow window;
    /** Suppression duration plus how long an alert can still be revised. */
    private final long stateLifetimeMillis;

    private transient ValueState<Long> lastEmittedMillis;
    private transient MapState<String, Boolean> letThrough;
    private transient ListState<AlertRecord> waiting;
    private transient ValueState<Long> cleanupAt;
    private transient HuntCounter suppressed;

    public SuppressRepeats(Duration suppress, Duration revisionHorizon) {
        this.window = new SuppressionWindow(suppress);
        this.stateLifetimeMillis = suppress.toMillis() + revisionHorizon.toMillis() + 1;
    }

    @Override
    public void open(OpenContext openContext) {
        lastEmittedMillis = getRuntimeContext().getState(new ValueStateDescriptor<>("last-emitted", Types.LONG));
        letThrough = getRuntimeContext().getMapState(new MapStateDescriptor<>("decisions", Types.STRING, Types.BOOLEAN));
        waiting = getRuntimeContext().getListState(
                new ListStateDescriptor<>("waiting", TypeInformation.of(AlertRecord.class)));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        suppressed = HuntCounter.register(getRuntimeContext(), HuntCounter.SUPPRESSED);
    }

    /** Keeps this task's counters on the reporters for a while, if the job asked for it. */
    @Override
    public void close() {
        HuntCounter.holdForReporters(getRuntimeContext());
    }

    @Override
    public void processElement(AlertRecord alert, Context context, Collector<AlertRecord> out) throws Exception {
        Boolean decided = letThrough.get(alert.alertId);
        if (decided == null) {
            waiting.add(alert);
            context.timerService().registerEventTimeTimer(alert.eventTimeMillis);
        } else if (decided) {
            out.collect(alert);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<AlertRecord> out) throws Exception {
        List<AlertRecord> ready = new ArrayList<>();
        List<AlertRecord> stillWaiting = new ArrayList<>();
        for (AlertRecord alert : waiting.get()) {
            (alert.eventTimeMillis <= timestamp ? ready : stillWaiting).add(alert);
        }
        ready.sort(DECISION_ORDER);
        for (AlertRecord alert : ready) {
            Boolean decided = letThrough.get(alert.alertId);
            if (decided == null) {
                SuppressionWindow.Verdict verdict = window.decide(lastEmittedMillis.value(), alert.eventTimeMillis);
                decided = verdict.emit();
                letThrough.put(alert.alertId, decided);
                lastEmittedMillis.update(verdict.lastAlertEventTimeMillis());
                if (!decided) {
                    suppressed.inc();
                }
                scheduleCleanup(context, Math.max(verdict.lastAlertEventTimeMillis(), alert.eventTimeMillis));
            }
            if (decided) {
                out.collect(alert);
            }
        }
        waiting.update(stillWaiting);
        Long cleanup = cleanupAt.value();
        if (cleanup != null && timestamp >= cleanup && stillWaiting.isEmpty()) {
            lastEmittedMillis.clear();
            letThrough.clear();
            cleanupAt.clear();
        }
    }

    private void scheduleCleanup(OnTimerContext context, long lastEventMillis) throws Exception {
        long expiry = lastEventMillis + stateLifetimeMillis;
        Long pending = cleanupAt.value();
        if (pending == null || expiry > pending) {
            if (pending != null) {
                context.timerService().deleteEventTimeTimer(pending);
            }
            context.timerService().registerEventTimeTimer(expiry);
            cleanupAt.update(expiry);
        }
    }
}

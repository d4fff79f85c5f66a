package dev.bazahunt.job.pipeline;

import dev.bazahunt.tuning.SuppressionWindow;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code --suppress}: keyed by rule, device and normalised command line, an alert whose download lies
 * within the suppression duration of the last alert let through is suppressed and counted. The
 * decision is made once per AlertId, on event time only, and all of that alert's later revisions
 * follow it. State is cleared by an event-time timer once no revision of a decided alert can arrive.
 */
public final class SuppressRepeats extends KeyedProcessFunction<String, AlertRecord, AlertRecord> {
    private static final long serialVersionUID = 1L;

    private final SuppressionWindow window;
    /** Suppression duration plus how long an alert can still be revised. */
    private final long stateLifetimeMillis;

    private transient ValueState<Long> lastEmittedMillis;
    private transient MapState<String, Boolean> letThrough;
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
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        suppressed = HuntCounter.register(getRuntimeContext(), HuntCounter.SUPPRESSED);
    }

    @Override
    public void processElement(AlertRecord alert, Context context, Collector<AlertRecord> out) throws Exception {
        Boolean decided = letThrough.get(alert.alertId);
        if (decided == null) {
            SuppressionWindow.Verdict verdict = window.decide(lastEmittedMillis.value(), alert.eventTimeMillis);
            decided = verdict.emit();
            letThrough.put(alert.alertId, decided);
            lastEmittedMillis.update(verdict.lastAlertEventTimeMillis());
            if (!decided) {
                suppressed.inc();
            }
            long expiry = Math.max(verdict.lastAlertEventTimeMillis(), alert.eventTimeMillis) + stateLifetimeMillis;
            Long pending = cleanupAt.value();
            if (pending == null || expiry > pending) {
                if (pending != null) {
                    context.timerService().deleteEventTimeTimer(pending);
                }
                context.timerService().registerEventTimeTimer(expiry);
                cleanupAt.update(expiry);
            }
        }
        if (decided) {
            out.collect(alert);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<AlertRecord> out) {
        lastEmittedMillis.clear();
        letThrough.clear();
        cleanupAt.clear();
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.correlation.CorrelationEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Counts candidate events that arrived behind the watermark. Their base alert is still written (base
 * alerts need no watermark), but CEP can no longer correlate them, so they are surfaced, not lost.
 */
public final class CountLateRecords extends RichMapFunction<CorrelationEvent, CorrelationEvent> {
    private static final long serialVersionUID = 1L;
    private transient HuntCounter late;

    @Override
    public void open(OpenContext openContext) {
        late = HuntCounter.register(getRuntimeContext(), HuntCounter.LATE);
    }

    /** Keeps this task's counters on the reporters for a while, if the job asked for it. */
    @Override
    public void close() {
        HuntCounter.holdForReporters(getRuntimeContext());
    }

    @Override
    public CorrelationEvent map(CorrelationEvent event) {
        late.inc();
        return event;
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.correlation.CorrelationLink;
import dev.bazahunt.correlation.ExcelChildBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by device, in front of CEP: bounds what correlation holds per device and window (see
 * {@link ExcelChildBudget}), so a busy host costs CEP a flat amount per event and bounded state.
 *
 * <p>Events wait here until the watermark passes them, as they would in CEP's own buffer, and are
 * then decided in event-time order (downloads first, then row identity, at equal times): which
 * children are kept does not depend on arrival order, parallelism or restarts. Each download gets,
 * as {@link CorrelationLink#omitted omission counts} on {@link #OMISSIONS}, the number of children
 * omitted in every bucket its window touches, once per bucket: at the download for buckets already
 * closed, at a bucket's close for the rest. A row already behind the watermark goes straight on (CEP
 * counts it late).
 */
public final class BoundExcelChildren extends KeyedProcessFunction<String, CorrelationEvent, CorrelationEvent> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<CorrelationLink> OMISSIONS = new OutputTag<>("excel-children-omitted") {};
    private static final Comparator<CorrelationEvent> DECISION_ORDER = Comparator
            .comparing((CorrelationEvent e) -> !e.isDownload())
            .thenComparingLong(e -> e.timestamp)
            .thenComparing(e -> e.isDownload() ? e.downloadKey : e.excelChild.rowKey());

    private final long windowMillis;
    private final int budget;

    private transient MapState<Long, List<CorrelationEvent>> pending;
    private transient ValueState<ExcelBudgetState> state;
    private transient HuntCounter omittedCounter;

    public BoundExcelChildren(Duration window, int budget) {
        this.windowMillis = window.toMillis();
        this.budget = budget;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG,
                Types.LIST(TypeInformation.of(CorrelationEvent.class))));
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("excel-budget",
                TypeInformation.of(ExcelBudgetState.class)));
        omittedCounter = HuntCounter.register(getRuntimeContext(), HuntCounter.EXCEL_CHILDREN_OMITTED);
    }

    /** Keeps this task's counters on the reporters for a while, if the job asked for it. */
    @Override
    public void close() {
        HuntCounter.holdForReporters(getRuntimeContext());
    }

    @Override
    public void processElement(CorrelationEvent event, Context context, Collector<CorrelationEvent> out)
            throws Exception {
        long time = context.timestamp();
        if (time <= context.timerService().currentWatermark()) {
            out.collect(event);
            return;
        }
        List<CorrelationEvent> atTime = pending.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>();
            context.timerService().registerEventTimeTimer(time);
        }
        atTime.add(event);
        pending.put(time, atTime);
    }

    @Override
    public void onTimer(long time, OnTimerContext context, Collector<CorrelationEvent> out) throws Exception {
        ExcelBudgetState current = state.value();
        if (current == null) {
            current = new ExcelBudgetState();
        }
        List<CorrelationEvent> atTime = pending.get(time);
        if (atTime != null) {
            pending.remove(time);
            atTime.sort(DECISION_ORDER);
            for (CorrelationEvent event : atTime) {
                decide(event, time, current, context, out);
            }
        }
        if (!current.bucketClosed && time == (current.bucket + 1) * windowMillis - 1) {
            closeBucket(current, context);
        }
        if (current.bucketClosed && current.downloadKeys.length == 0 && current.previousOmitted == 0) {
            state.clear(); // nothing left that a later event needs
        } else {
            state.update(current);
        }
    }

    private void decide(CorrelationEvent event, long time, ExcelBudgetState current, OnTimerContext context,
            Collector<CorrelationEvent> out) {
        long bucket = ExcelChildBudget.bucket(time, windowMillis);
        if (bucket != current.bucket) {
            if (current.bucket == bucket - 1) {
                current.previousBucket = current.bucket;
                current.previousOmitted = current.omitted;
            } else {
                current.previousBucket = Long.MIN_VALUE;
                current.previousOmitted = 0;
            }
            current.bucket = bucket;
            current.bucketClosed = false;
            current.othersKept = 0;
            current.omitted = 0;
            context.timerService().registerEventTimeTimer((bucket + 1) * windowMillis - 1);
        }
        if (event.isDownload()) {
            addDownload(current, event);
            if (current.previousOmitted > 0 && ExcelChildBudget.windowTouches(event.timestampMillis(), windowMillis,
                    current.previousBucket)) {
                context.output(OMISSIONS, CorrelationLink.omitted(event.downloadKey, event.timestamp,
                        current.previousOmitted));
            }
            out.collect(event);
            return;
        }
        if (ExcelChildBudget.stageBearing(event.excelChild, Arrays.asList(current.downloadFileNames))) {
            out.collect(event);
        } else if (current.othersKept < budget) {
            current.othersKept++;
            out.collect(event);
        } else {
            current.omitted++;
            omittedCounter.inc();
        }
    }

    /** Reports the bucket's omissions to every download whose window touches it; forgets old downloads. */
    private void closeBucket(ExcelBudgetState current, OnTimerContext context) {
        current.bucketClosed = true;
        long nextStart = (current.bucket + 1) * windowMillis;
        int kept = 0;
        for (int i = 0; i < current.downloadKeys.length; i++) {
            long millis = Math.floorDiv(current.downloadTimes[i], 1_000_000L);
            if (current.omitted > 0 && ExcelChildBudget.windowTouches(millis, windowMillis, current.bucket)) {
                context.output(OMISSIONS, CorrelationLink.omitted(current.downloadKeys[i], current.downloadTimes[i],
                        current.omitted));
            }
            if (millis + windowMillis >= nextStart) {
                current.downloadKeys[kept] = current.downloadKeys[i];
                current.downloadTimes[kept] = current.downloadTimes[i];
                current.downloadFileNames[kept] = current.downloadFileNames[i];
                kept++;
            }
        }
        current.downloadKeys = Arrays.copyOf(current.downloadKeys, kept);
        current.downloadTimes = Arrays.copyOf(current.downloadTimes, kept);
        current.downloadFileNames = Arrays.copyOf(current.downloadFileNames, kept);
        current.previousBucket = current.bucket;
        current.previousOmitted = current.omitted;
        if (kept > 0 || current.omitted > 0) {
            // A download or this bucket's omissions still matter to the next bucket: open it now, so
            // that its close (with or without events) reports and then forgets them.
            current.bucket++;
            current.bucketClosed = false;
            current.othersKept = 0;
            current.omitted = 0;
            context.timerService().registerEventTimeTimer((current.bucket + 1) * windowMillis - 1);
        }
    }

    private static void addDownload(ExcelBudgetState current, CorrelationEvent download) {
        int n = current.downloadKeys.length;
        current.downloadKeys = Arrays.copyOf(current.downloadKeys, n + 1);
        current.downloadTimes = Arrays.copyOf(current.downloadTimes, n + 1);
        current.downloadFileNames = Arrays.copyOf(current.downloadFileNames, n + 1);
        current.downloadKeys[n] = download.downloadKey;
        current.downloadTimes[n] = download.timestamp;
        current.downloadFileNames[n] = download.fileName;
    }
}

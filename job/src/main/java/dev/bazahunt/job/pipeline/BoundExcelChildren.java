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
 *
 * <p>In BATCH mode a key's timers fire only after all of its input has arrived, and timers registered
 * while they fire are ignored: buckets are then closed as each event is decided and after the key's
 * last one, not by timers of their own. The device's downloads are all known when its first timer
 * fires, so a kept child with no download within the window on either side, which can pair with
 * nothing, is not handed to CEP at all: CEP's output is the same, without a sort and a shared-buffer
 * entry per benign Excel child.
 */
public final class BoundExcelChildren extends KeyedProcessFunction<String, CorrelationEvent, CorrelationEvent> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<CorrelationLink> OMISSIONS = new OutputTag<>("excel-children-omitted") {};
    private static final Comparator<CorrelationEvent> DECISION_ORDER = Comparator
            .comparing((CorrelationEvent e) -> !e.isDownload())
            .thenComparingLong(e -> e.timestamp)
            .thenComparing(e -> e.isDownload() ? e.downloadKey : e.excelChild.rowKey());

    private final long windowMillis;
    private final long windowNanos;
    private final int budget;
    private final boolean wholeKeyBeforeTimers;

    private transient MapState<Long, List<CorrelationEvent>> pending;
    private transient ValueState<ExcelBudgetState> state;
    private transient HuntCounter omittedCounter;
    /** With {@link #wholeKeyBeforeTimers}: the key whose timers are firing, and all its downloads' times, sorted. */
    private transient String downloadsKey;
    private transient long[] downloadTimesOfKey;

    /** For input that may arrive in any order relative to the key's timers (STREAMING). */
    public BoundExcelChildren(Duration window, int budget) {
        this(window, budget, false);
    }

    /**
     * @param wholeKeyBeforeTimers the runtime delivers all of a key's input before it fires the key's
     *     first timer, as BATCH mode does; then children that can pair with no download are dropped here
     */
    public BoundExcelChildren(Duration window, int budget, boolean wholeKeyBeforeTimers) {
        this.windowMillis = window.toMillis();
        this.windowNanos = window.toNanos();
        this.budget = budget;
        this.wholeKeyBeforeTimers = wholeKeyBeforeTimers;
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
        if (wholeKeyBeforeTimers) {
            if (!context.getCurrentKey().equals(downloadsKey)) {
                downloadsKey = context.getCurrentKey();
                downloadTimesOfKey = pendingDownloadTimes();
            }
            closeBucketsEndingBefore(time, current, context);
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
        if (wholeKeyBeforeTimers && pending.isEmpty()) {
            closeBucketsEndingBefore(Long.MAX_VALUE, current, context); // the key's last event is decided
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
            scheduleClose(bucket, context);
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
            collectIfPairable(event, out);
        } else if (current.othersKept < budget) {
            current.othersKept++;
            collectIfPairable(event, out);
        } else {
            current.omitted++;
            omittedCounter.inc();
        }
    }

    /**
     * A bucket closes when event time passes its end. In BATCH mode a timer registered while the key's
     * timers fire is ignored (Flink's timer service is quiesced then), so {@link #onTimer} closes
     * buckets itself there.
     */
    private void scheduleClose(long bucket, OnTimerContext context) {
        if (!wholeKeyBeforeTimers) {
            context.timerService().registerEventTimeTimer((bucket + 1) * windowMillis - 1);
        }
    }

    /** BATCH: closes, in event-time order, the buckets whose timers would have fired before {@code time}. */
    private void closeBucketsEndingBefore(long time, ExcelBudgetState current, OnTimerContext context) {
        while (!current.bucketClosed && current.bucket != Long.MIN_VALUE
                && (current.bucket + 1) * windowMillis - 1 < time) {
            closeBucket(current, context);
        }
    }

    private void collectIfPairable(CorrelationEvent child, Collector<CorrelationEvent> out) {
        if (!wholeKeyBeforeTimers || hasDownloadWithin(downloadTimesOfKey, child.timestamp, windowNanos)) {
            out.collect(child);
        }
    }

    /** Whether CEP would pair {@code time} with a time in {@code sortedTimes}: the nearest on either side. */
    private static boolean hasDownloadWithin(long[] sortedTimes, long time, long windowNanos) {
        int at = Arrays.binarySearch(sortedTimes, time);
        if (at >= 0) {
            return true;
        }
        int after = -at - 1;
        return after < sortedTimes.length && BazaCallPattern.withinWindow(time, sortedTimes[after], windowNanos)
                || after > 0 && BazaCallPattern.withinWindow(time, sortedTimes[after - 1], windowNanos);
    }

    private long[] pendingDownloadTimes() throws Exception {
        long[] times = new long[8];
        int count = 0;
        for (List<CorrelationEvent> atTime : pending.values()) {
            for (CorrelationEvent event : atTime) {
                if (event.isDownload()) {
                    if (count == times.length) {
                        times = Arrays.copyOf(times, count * 2);
                    }
                    times[count++] = event.timestamp;
                }
            }
        }
        times = Arrays.copyOf(times, count);
        Arrays.sort(times);
        return times;
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
            scheduleClose(current.bucket, context);
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

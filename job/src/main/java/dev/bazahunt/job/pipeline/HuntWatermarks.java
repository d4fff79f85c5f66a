package dev.bazahunt.job.pipeline;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time comes from each row's own Timestamp, never from when the record was received or read.
 * Idleness keeps an idle Kafka partition (or a finished file) from holding back correlation. In live
 * mode a row from the future (a device whose clock runs ahead by more than the allowed skew) does not
 * advance event time: one such row would otherwise make every later row late, and stop correlation
 * for good. {@link RouteTelemetry} keeps the same rows out of correlation.
 */
public final class HuntWatermarks {
    private HuntWatermarks() {}

    public static WatermarkStrategy<TelemetryRecord> forTelemetry(Duration maxOutOfOrderness, Duration idleness) {
        return forTelemetry(maxOutOfOrderness, idleness, null);
    }

    /** @param maxClockSkew rows further ahead of the wall clock are ignored for event time; null for none */
    public static WatermarkStrategy<TelemetryRecord> forTelemetry(Duration maxOutOfOrderness, Duration idleness,
            Duration maxClockSkew) {
        long boundMillis = maxOutOfOrderness.toMillis();
        long skewMillis = maxClockSkew == null ? -1 : maxClockSkew.toMillis();
        WatermarkStrategy<TelemetryRecord> strategy = WatermarkStrategy
                .<TelemetryRecord>forGenerator(context -> new SkewAwareBoundedOutOfOrderness(boundMillis, skewMillis))
                .withTimestampAssigner((record, previous) -> record.eventTimeMillis());
        return strategy.withIdleness(idleness);
    }

    /** Whether a row's event time lies more than {@code skewMillis} ahead of the wall clock now. */
    static boolean fromTheFuture(long eventTimeMillis, long skewMillis) {
        return skewMillis >= 0 && eventTimeMillis > System.currentTimeMillis() + skewMillis;
    }

    /** Flink's bounded-out-of-orderness generator, except that rows from the future are passed over. */
    static final class SkewAwareBoundedOutOfOrderness implements WatermarkGenerator<TelemetryRecord> {
        private final long boundMillis;
        private final long skewMillis;
        private long maxTimestamp;

        SkewAwareBoundedOutOfOrderness(long boundMillis, long skewMillis) {
            this.boundMillis = boundMillis;
            this.skewMillis = skewMillis;
            this.maxTimestamp = Long.MIN_VALUE + boundMillis + 1;
        }

        @Override
        public void onEvent(TelemetryRecord event, long eventTimestamp, WatermarkOutput output) {
            if (eventTimestamp != Long.MIN_VALUE && !fromTheFuture(eventTimestamp, skewMillis)) {
                maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(maxTimestamp - boundMillis - 1));
        }
    }
}

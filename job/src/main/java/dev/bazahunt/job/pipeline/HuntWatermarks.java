package dev.bazahunt.job.pipeline;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time comes from each row's own Timestamp, never from when the record was received or read.
 * Idleness keeps an idle Kafka partition (or a finished file) from holding back correlation.
 */
public final class HuntWatermarks {
    private HuntWatermarks() {}

    public static WatermarkStrategy<TelemetryRecord> forTelemetry(Duration maxOutOfOrderness, Duration idleness) {
        return WatermarkStrategy.<TelemetryRecord>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((record, previous) -> record.eventTimeMillis())
                .withIdleness(idleness);
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DeviceEvent;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.EmailEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.ParsedRecordSink;
import java.util.function.Consumer;
import org.apache.flink.util.Collector;

/**
 * Adapts the parser's callbacks to a Flink collector, stamping each dead letter with where its bytes
 * came from. One instance per subtask; {@link #from} is set before each input unit is parsed.
 */
public final class TelemetryCollector implements ParsedRecordSink {
    private Collector<TelemetryRecord> out;
    private Consumer<DeadLetter> origin = letter -> {};
    private Runnable repairedRow = () -> {};

    /** Counts rows whose non-key bad values were repaired to null. */
    public TelemetryCollector countingRepairs(Runnable repairedRow) {
        this.repairedRow = repairedRow;
        return this;
    }

    /** Points the collector at the next input unit's output and origin. */
    public TelemetryCollector from(Collector<TelemetryRecord> out, Consumer<DeadLetter> origin) {
        this.out = out;
        this.origin = origin;
        return this;
    }

    @Override
    public void fileEvent(DeviceFileEvent event) {
        out.collect(TelemetryRecord.of(event));
    }

    @Override
    public void processEvent(DeviceProcessEvent event) {
        out.collect(TelemetryRecord.of(event));
    }

    @Override
    public void networkEvent(DeviceNetworkEvent event) {
        out.collect(TelemetryRecord.of(event));
    }

    @Override
    public void emailEvent(EmailEvent event) {
        out.collect(TelemetryRecord.of(event));
    }

    @Override
    public void repaired(DefenderEvent event, int repairs, String firstRepair) {
        repairedRow.run();
    }

    @Override
    public void skipped(String tableName) {
        out.collect(TelemetryRecord.skipped(tableName));
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        origin.accept(deadLetter);
        out.collect(TelemetryRecord.of(deadLetter));
    }
}

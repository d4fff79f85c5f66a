package dev.bazahunt.job.pipeline;

import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.EmailEvent;

/**
 * What a source hands the hunt: one parsed row, a skipped row of another table, a dead letter, or the
 * event time of a message the live pre-filter skipped unparsed (a clock record, which the live source
 * drops once its watermark has seen it). Exactly one field is set. Replay and live mode both produce this type, so the pipeline after it is
 * shared. A Flink POJO.
 */
public class TelemetryRecord {
    public DeviceFileEvent fileEvent;
    public DeviceProcessEvent processEvent;
    public DeviceNetworkEvent networkEvent;
    public EmailEvent emailEvent;
    public DeadLetter deadLetter;
    /** The table name of a well-formed row this hunt does not read. */
    public String skippedTable;
    /** A message the pre-filter skipped: the newest row Timestamp in it, epoch millis. */
    public Long clockMillis;

    public TelemetryRecord() {}

    public static TelemetryRecord of(DeviceFileEvent event) {
        TelemetryRecord record = new TelemetryRecord();
        record.fileEvent = event;
        return record;
    }

    public static TelemetryRecord of(DeviceProcessEvent event) {
        TelemetryRecord record = new TelemetryRecord();
        record.processEvent = event;
        return record;
    }

    public static TelemetryRecord of(DeviceNetworkEvent event) {
        TelemetryRecord record = new TelemetryRecord();
        record.networkEvent = event;
        return record;
    }

    public static TelemetryRecord of(EmailEvent event) {
        TelemetryRecord record = new TelemetryRecord();
        record.emailEvent = event;
        return record;
    }

    /** The parsed row, whatever its table; null for a dead letter or a skipped row. */
    public DefenderEvent event() {
        if (fileEvent != null) {
            return fileEvent;
        }
        if (processEvent != null) {
            return processEvent;
        }
        return networkEvent != null ? networkEvent : emailEvent;
    }

    public static TelemetryRecord of(DeadLetter deadLetter) {
        TelemetryRecord record = new TelemetryRecord();
        record.deadLetter = deadLetter;
        return record;
    }

    public static TelemetryRecord skipped(String tableName) {
        TelemetryRecord record = new TelemetryRecord();
        record.skippedTable = tableName;
        return record;
    }

    public static TelemetryRecord clock(long eventTimeMillis) {
        TelemetryRecord record = new TelemetryRecord();
        record.clockMillis = eventTimeMillis;
        return record;
    }

    public boolean isClock() {
        return clockMillis != null;
    }

    /**
     * Event time in epoch millis, from the row's own Timestamp. Records without one (dead letters,
     * skipped rows) report Long.MIN_VALUE so they never advance a watermark.
     */
    public long eventTimeMillis() {
        DefenderEvent event = event();
        if (event != null) {
            return event.timestampMillis();
        }
        return clockMillis != null ? clockMillis : Long.MIN_VALUE;
    }
}

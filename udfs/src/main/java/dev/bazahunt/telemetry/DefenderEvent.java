package dev.bazahunt.telemetry;

/**
 * One row of an Advanced Hunting table the hunt reads: a device table ({@link DeviceEvent}) or
 * {@code EmailEvents} ({@link EmailEvent}). Only the event time is common to all of them; email rows
 * have no device. A Flink POJO, like its subclasses.
 */
public abstract class DefenderEvent {
    /** Timestamp: event time, epoch nanoseconds UTC, from the row's own Timestamp (KQL datetimes have 100 ns precision). */
    public long timestamp;

    protected DefenderEvent() {}

    /** Event time in epoch milliseconds, the unit of Flink timestamps and watermarks. */
    public long timestampMillis() {
        return Math.floorDiv(timestamp, 1_000_000L);
    }

    /** The table this row belongs to. */
    public abstract DefenderTable table();
}

package dev.bazahunt.telemetry;

/**
 * Receives what the parser makes of one input unit (a Kafka message or a file line): zero or more
 * events, skipped rows of other tables, and dead letters. A callback instead of a result list, so the
 * per-record hot path allocates nothing beyond the events themselves.
 */
public interface ParsedRecordSink {
    void fileEvent(DeviceFileEvent event);

    void processEvent(DeviceProcessEvent event);

    /** A well-formed row of a table this hunt does not read (e.g. DeviceNetworkEvents). */
    void skipped(String tableName);

    void deadLetter(DeadLetter deadLetter);
}

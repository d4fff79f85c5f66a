package dev.bazahunt.telemetry;

/**
 * Receives what the parser makes of one input unit (a Kafka message or a file line): zero or more
 * events, skipped rows of other tables, and dead letters. A callback instead of a result list, so the
 * per-record hot path allocates nothing beyond the events themselves.
 */
public interface ParsedRecordSink {
    void fileEvent(DeviceFileEvent event);

    void processEvent(DeviceProcessEvent event);

    void networkEvent(DeviceNetworkEvent event);

    void emailEvent(EmailEvent event);

    /** A well-formed row of a table this hunt does not read (e.g. DeviceRegistryEvents). */
    void skipped(String tableName);

    void deadLetter(DeadLetter deadLetter);

    /**
     * The event about to be handed over had bad values in non-key columns ({@link KeyColumns}), which
     * were set to null: {@code repairs} of them, the first described by {@code firstRepair} (column,
     * value and why, as a dead letter's detail would say). Called at most once per event, just before
     * it. Sinks that do not count repairs ignore it.
     */
    default void repaired(DefenderEvent event, int repairs, String firstRepair) {}
}

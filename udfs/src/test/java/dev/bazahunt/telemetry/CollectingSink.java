package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps everything the parser emits, in order, for assertions. */
class CollectingSink implements ParsedRecordSink {
    final List<DeviceFileEvent> fileEvents = new ArrayList<>();
    final List<DeviceProcessEvent> processEvents = new ArrayList<>();
    final List<DeviceNetworkEvent> networkEvents = new ArrayList<>();
    final List<EmailEvent> emailEvents = new ArrayList<>();
    final List<String> skippedTables = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    /** One entry per repaired event: the number of repairs and the first one's detail. */
    final List<String> repairs = new ArrayList<>();

    /** Parses the text as one unit with a fresh parser. */
    static CollectingSink parse(String unit) {
        return parse(unit, null);
    }

    static CollectingSink parse(String unit, DefenderTable tableHint) {
        byte[] bytes = unit.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, tableHint);
    }

    static CollectingSink parse(byte[] bytes, DefenderTable tableHint) {
        CollectingSink sink = new CollectingSink();
        new DefenderRecordParser().parse(bytes, 0, bytes.length, tableHint, sink);
        return sink;
    }

    @Override
    public void fileEvent(DeviceFileEvent event) {
        fileEvents.add(event);
    }

    @Override
    public void processEvent(DeviceProcessEvent event) {
        processEvents.add(event);
    }

    @Override
    public void networkEvent(DeviceNetworkEvent event) {
        networkEvents.add(event);
    }

    @Override
    public void emailEvent(EmailEvent event) {
        emailEvents.add(event);
    }

    @Override
    public void skipped(String tableName) {
        skippedTables.add(tableName);
    }

    @Override
    public void repaired(DefenderEvent event, int repairCount, String firstRepair) {
        repairs.add(repairCount + ": " + firstRepair);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    int total() {
        return fileEvents.size() + processEvents.size() + networkEvents.size() + emailEvents.size()
                + skippedTables.size() + deadLetters.size();
    }

    DeviceFileEvent onlyFileEvent() {
        return onlyEventIn(fileEvents);
    }

    DeviceProcessEvent onlyProcessEvent() {
        return onlyEventIn(processEvents);
    }

    DeviceNetworkEvent onlyNetworkEvent() {
        return onlyEventIn(networkEvents);
    }

    EmailEvent onlyEmailEvent() {
        return onlyEventIn(emailEvents);
    }

    /** The unit became exactly one event, of the list's kind, and nothing else. */
    private <E extends DefenderEvent> E onlyEventIn(List<E> events) {
        assertThat(deadLetters).as("dead letters").isEmpty();
        assertThat(total()).as("everything emitted").isEqualTo(1);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    DeadLetter onlyDeadLetter() {
        assertThat(total()).as("everything emitted: " + deadLetters).isEqualTo(1);
        assertThat(deadLetters).hasSize(1);
        return deadLetters.get(0);
    }
}

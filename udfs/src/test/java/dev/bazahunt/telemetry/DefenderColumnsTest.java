package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The column table must cover every model column, and each wire name must land in its own field. */
class DefenderColumnsTest {

    /** Sentinel's column, not a model field: it feeds the event time when Timestamp is missing. */
    private static final Set<String> EVENT_TIME_ONLY = Set.of("TimeGenerated");

    private static List<String> modelColumns(List<String> ownColumns) {
        List<String> columns = new ArrayList<>(DeviceEvent.COLUMNS);
        columns.addAll(ownColumns);
        return columns;
    }

    /**
     * Defender's {@code InitiatingProcessSHA1} is the field {@code initiatingProcessSHA1}; a column that is
     * all acronym ({@code SHA1}, {@code MD5}) is lower case ({@code sha1}, {@code md5}).
     */
    private static Field fieldFor(Class<?> eventClass, String wireName) throws NoSuchFieldException {
        int upperRun = 0;
        while (upperRun < wireName.length() && Character.isUpperCase(wireName.charAt(upperRun))) {
            upperRun++;
        }
        String field = upperRun > 1
                ? wireName.substring(0, upperRun).toLowerCase(java.util.Locale.ROOT) + wireName.substring(upperRun)
                : Character.toLowerCase(wireName.charAt(0)) + wireName.substring(1);
        return eventClass.getField(field);
    }

    @Test
    void everyModelColumnOfTheDeviceTablesIsInTheTableAndNothingElseIs() {
        Set<String> mapped = DefenderColumns.all().stream().map(column -> column.wireName).collect(Collectors.toSet());
        Set<String> model = new java.util.HashSet<>(modelColumns(DeviceFileEvent.OWN_COLUMNS));
        model.addAll(DeviceProcessEvent.OWN_COLUMNS);
        model.addAll(DeviceNetworkEvent.OWN_COLUMNS);
        model.addAll(EVENT_TIME_ONLY);
        assertThat(mapped).isEqualTo(model);
    }

    @Test
    void everyModelColumnOfEmailEventsIsInItsTableAndNothingElseIs() {
        Set<String> mapped = DefenderColumns.email().stream().map(column -> column.wireName).collect(Collectors.toSet());
        Set<String> model = new java.util.HashSet<>(EmailEvent.COLUMNS);
        model.addAll(EVENT_TIME_ONLY);
        assertThat(mapped).isEqualTo(model);
    }

    @Test
    void everyNetworkEventColumnLandsInItsOwnField() throws Exception {
        assertEveryColumnLandsInItsField(DeviceNetworkEvent.class, DefenderTable.DEVICE_NETWORK_EVENTS,
                modelColumns(DeviceNetworkEvent.OWN_COLUMNS));
    }

    @Test
    void everyEmailEventColumnLandsInItsOwnField() throws Exception {
        assertEveryColumnLandsInItsField(EmailEvent.class, DefenderTable.EMAIL_EVENTS, EmailEvent.COLUMNS);
    }

    @Test
    void everyFileEventColumnLandsInItsOwnField() throws Exception {
        assertEveryColumnLandsInItsField(DeviceFileEvent.class, DefenderTable.DEVICE_FILE_EVENTS,
                modelColumns(DeviceFileEvent.OWN_COLUMNS));
    }

    @Test
    void everyProcessEventColumnLandsInItsOwnField() throws Exception {
        assertEveryColumnLandsInItsField(DeviceProcessEvent.class, DefenderTable.DEVICE_PROCESS_EVENTS,
                modelColumns(DeviceProcessEvent.OWN_COLUMNS));
    }

    /**
     * Builds one row where every column holds a value unique to it, parses it, and checks that each
     * field holds exactly its own column's value, which catches a setter wired to the wrong field.
     */
    private static void assertEveryColumnLandsInItsField(Class<? extends DefenderEvent> eventClass, DefenderTable table,
            List<String> columns) throws Exception {
        StringBuilder row = new StringBuilder("{");
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String wireName = columns.get(i);
            Class<?> type = fieldFor(eventClass, wireName).getType();
            String json;
            Object value;
            if (type == String.class) {
                value = "value of " + wireName;
                json = "\"" + value + "\"";
            } else if (DefenderColumns.named(table, wireName).kind == DefenderColumns.Kind.INTEGER) {
                value = 1000L + i;
                json = Long.toString(1000L + i);
            } else {
                String datetime = String.format("2021-07-21T09:%02d:03.5520871Z", i);
                value = DefenderTimestamps.parseNanos(datetime);
                json = "\"" + datetime + "\"";
            }
            expected.add(value);
            row.append(i == 0 ? "" : ",").append('"').append(wireName).append("\":").append(json);
        }
        byte[] bytes = row.append('}').toString().getBytes(StandardCharsets.UTF_8);

        CollectingSink sink = CollectingSink.parse(bytes, table);

        assertThat(sink.deadLetters).isEmpty();
        List<DefenderEvent> events = new ArrayList<>(sink.fileEvents);
        events.addAll(sink.processEvents);
        events.addAll(sink.networkEvents);
        events.addAll(sink.emailEvents);
        assertThat(events).hasSize(1);
        DefenderEvent event = events.get(0);
        assertThat(event).isInstanceOf(eventClass);
        for (int i = 0; i < columns.size(); i++) {
            assertThat(fieldFor(eventClass, columns.get(i)).get(event)).as(columns.get(i)).isEqualTo(expected.get(i));
        }
    }
}

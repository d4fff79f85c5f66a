package dev.bazahunt.job.generate;

import dev.bazahunt.telemetry.DefenderTable;
import java.util.LinkedHashMap;
import java.util.Map;

/** One Defender row to write: its table, its event time and its columns in Defender's order. */
record GeneratedRow(DefenderTable table, long timestampNanos, Map<String, Object> columns) {
    static GeneratedRow of(DefenderTable table, long timestampNanos) {
        return new GeneratedRow(table, timestampNanos, new LinkedHashMap<>());
    }

    GeneratedRow put(String column, Object value) {
        columns.put(column, value);
        return this;
    }
}

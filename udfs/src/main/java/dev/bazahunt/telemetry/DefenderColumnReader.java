package dev.bazahunt.telemetry;

import java.io.Serializable;
import java.util.function.Function;

/**
 * Reads one Defender column from an event by its wire name, as text, so that data files (exclusions)
 * can name columns the way Defender spells them. Backed by {@link DefenderColumns}, the same table the
 * parser writes through, so every column the parser fills can be read and no other can.
 *
 * <p>Text is what the KQL string operators compare: a string column reads as itself, an integer as its
 * decimal digits ({@code ReportId} 4127 reads {@code "4127"}), a datetime the way Defender writes it
 * ({@code 2021-07-20T14:02:58.1034567Z}). An absent value reads as null, which the KQL operators treat as
 * the empty string. A column of the other table (e.g. {@code ProcessCommandLine} on a file event) also
 * reads as null: the event does not carry it.
 *
 * <p>Serializable by wire name, so a Flink function holding readers ships only the names and looks the
 * column up again after deserialization.
 */
public final class DefenderColumnReader implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String wireName;
    /** The table the column was resolved in; null for a device-table column named without a table. */
    private final DefenderTable table;
    private transient DefenderColumns.Column column;

    private DefenderColumnReader(String wireName, DefenderTable table, DefenderColumns.Column column) {
        this.wireName = wireName;
        this.table = table;
        this.column = column;
    }

    /** The device-table reader for this exact wire name (case-sensitive, e.g. {@code InitiatingProcessSHA1}), or null. */
    public static DefenderColumnReader forColumn(String wireName) {
        DefenderColumns.Column column = wireName == null ? null : DefenderColumns.named(wireName);
        return column == null ? null : new DefenderColumnReader(wireName, null, column);
    }

    /** The reader for this wire name in {@code table}'s rows, or null when that table's model lacks it. */
    public static DefenderColumnReader forColumn(DefenderTable table, String wireName) {
        DefenderColumns.Column column = wireName == null ? null : DefenderColumns.named(table, wireName);
        return column == null ? null : new DefenderColumnReader(wireName, table, column);
    }

    /** Whether the column holds strings (the KQL string operators' domain) rather than numbers or datetimes. */
    public boolean isText() {
        DefenderColumns.Kind kind = column().kind;
        return kind == DefenderColumns.Kind.TEXT || kind == DefenderColumns.Kind.JSON_TEXT;
    }

    /**
     * A string column's value, or null when absent or the event lacks the column; the hot path of a
     * compiled query, so it neither converts nor allocates. Only for {@link #isText()} columns.
     */
    public String readText(DefenderEvent event) {
        return (String) column().get(event);
    }

    /**
     * {@link #readText} as a function that holds nothing but the column's field getter, for code that
     * resolves a column once and reads it for every row: a compiled query keeps it as a constant, so
     * the JIT inlines the field read. Only for {@link #isText()} columns.
     */
    @SuppressWarnings("unchecked")
    public Function<DefenderEvent, String> textReader() {
        if (!isText()) {
            throw new IllegalStateException(wireName + " is not a string column");
        }
        Function<DefenderEvent, ?> reader = column().reader;
        return (Function<DefenderEvent, String>) reader;
    }

    public String wireName() {
        return wireName;
    }

    /** The column's value as text, or null when the event has no value for it. */
    public String read(DefenderEvent event) {
        Object value = column().get(event);
        if (value == null) {
            return null;
        }
        switch (column().kind) {
            case INTEGER:
                return Long.toString((Long) value);
            case DATETIME:
            case EVENT_TIME:
            case EVENT_TIME_FALLBACK:
                return DefenderTimestamps.format((Long) value);
            default:
                return (String) value;
        }
    }

    private DefenderColumns.Column column() {
        if (column == null) {
            column = table == null ? DefenderColumns.named(wireName) : DefenderColumns.named(table, wireName);
        }
        return column;
    }

    @Override
    public String toString() {
        return wireName;
    }
}

package dev.bazahunt.telemetry;

import java.util.Locale;

/** The Advanced Hunting tables this hunt reads. Every other table is skipped, not an error. */
public enum DefenderTable {
    DEVICE_FILE_EVENTS("DeviceFileEvents"),
    DEVICE_PROCESS_EVENTS("DeviceProcessEvents");

    /** Event Hubs and Storage envelopes name the table as {@code category: "AdvancedHunting-<Table>"}. */
    public static final String CATEGORY_PREFIX = "AdvancedHunting-";

    private final String tableName;

    DefenderTable(String tableName) {
        this.tableName = tableName;
    }

    /** The table name as Defender and Sentinel spell it, e.g. {@code DeviceFileEvents}. */
    public String tableName() {
        return tableName;
    }

    /**
     * Finds the table by its name ({@code DeviceFileEvents}) or its envelope category
     * ({@code AdvancedHunting-DeviceFileEvents}), ignoring case. Returns null for any other table.
     */
    public static DefenderTable fromNameOrCategory(String name) {
        if (name == null) {
            return null;
        }
        String bare = name.regionMatches(true, 0, CATEGORY_PREFIX, 0, CATEGORY_PREFIX.length())
                ? name.substring(CATEGORY_PREFIX.length())
                : name;
        for (DefenderTable table : values()) {
            if (table.tableName.equalsIgnoreCase(bare)) {
                return table;
            }
        }
        return null;
    }

    /**
     * The table a file's path names, for rows that do not say it themselves (an Advanced Hunting export
     * has no Type column). Defender's storage containers are {@code insights-logs-advancedhunting-<table>},
     * and exports are usually named after their table. The name closest to the end of the path wins;
     * null when the path names neither table.
     */
    public static DefenderTable fromPath(String path) {
        if (path == null) {
            return null;
        }
        DefenderTable found = null;
        int foundAt = -1;
        for (DefenderTable table : values()) {
            int at = lastIndexOfIgnoreCase(path, table.tableName);
            if (at > foundAt) {
                found = table;
                foundAt = at;
            }
        }
        return found;
    }

    private static int lastIndexOfIgnoreCase(String text, String needle) {
        for (int i = text.length() - needle.length(); i >= 0; i--) {
            if (text.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return tableName;
    }

    /** Lower-case key for metric and counter names, e.g. {@code devicefileevents}. */
    public String metricKey() {
        return tableName.toLowerCase(Locale.ROOT);
    }
}

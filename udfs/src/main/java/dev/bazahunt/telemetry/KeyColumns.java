package dev.bazahunt.telemetry;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The columns a row cannot do without: a bad value in one of them dead-letters the row, while a bad
 * value in any other column is repaired to null and the row goes on (counted as repaired).
 *
 * <p>Which columns those are is decided here and nowhere else:
 * <ul>
 *   <li>{@linkplain #EVENT_IDENTITY event identity}: {@code Timestamp} (and Sentinel's
 *       {@code TimeGenerated}, which stands in for it), {@code DeviceId} and {@code ReportId}. Event
 *       time, the device key and the row's identity in alerts and deduplication come from these.
 *   <li>{@linkplain #PROCESS_INSTANCE the process-instance key}: {@code InitiatingProcessId} and
 *       {@code InitiatingProcessCreationTime} of a download, {@code ProcessId} and
 *       {@code ProcessCreationTime} of an Excel child. Defender's guidance names a process by id and
 *       creation time; a repaired id would silently merge or split alerts.
 *   <li>the columns the loaded rules read, added per rule with {@link #withRuleColumns}. A rule that
 *       read a repaired null would decide on a value the row never had.
 * </ul>
 * Every other column (a parent's creation time, a hash, a version string) is context: Sentinel still
 * matches a row whose {@code InitiatingProcessParentCreationTime} reads {@code Invalid date}, and so does
 * this hunt. A repaired parent value only weakens the correlation link from "parent" to the device
 * window.
 *
 * <p>Immutable and serializable, so a Flink function can hold it.
 */
public final class KeyColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Event time, device and row identity: keyed by every hunt, whatever its rules. */
    public static final String EVENT_IDENTITY = "event identity";
    /** The columns that name a process instance for correlation and alert identity. */
    public static final String PROCESS_INSTANCE = "process-instance key";

    private static final String[] EVENT_IDENTITY_COLUMNS = {"Timestamp", "TimeGenerated", "DeviceId", "ReportId"};
    private static final String[] PROCESS_INSTANCE_COLUMNS = {
        "InitiatingProcessId", "InitiatingProcessCreationTime", "ProcessId", "ProcessCreationTime"};

    /** Every column is a key: any bad value dead-letters the row. The strictest reading. */
    public static final KeyColumns EVERY_COLUMN = new KeyColumns(Collections.emptyMap(), true);

    /** {@link #EVENT_IDENTITY} and {@link #PROCESS_INSTANCE}, before any rule adds its columns. */
    public static final KeyColumns IDENTITY = identity();

    /** Column name to why it is a key; in the order added, for messages and documentation. */
    private final Map<String, String> roles;
    private final boolean everyColumn;

    private KeyColumns(Map<String, String> roles, boolean everyColumn) {
        this.roles = Collections.unmodifiableMap(roles);
        this.everyColumn = everyColumn;
    }

    private static KeyColumns identity() {
        Map<String, String> roles = new LinkedHashMap<>();
        for (String column : EVENT_IDENTITY_COLUMNS) {
            roles.put(column, EVENT_IDENTITY);
        }
        for (String column : PROCESS_INSTANCE_COLUMNS) {
            roles.put(column, PROCESS_INSTANCE);
        }
        return new KeyColumns(roles, false);
    }

    /**
     * These key columns plus the columns one rule reads. A column already a key keeps its first role.
     *
     * @throws IllegalArgumentException for a name the telemetry model does not carry: a rule that reads
     *     a column the parser never fills is a rule defect, found when the rule loads
     */
    public KeyColumns withRuleColumns(String ruleId, Collection<String> columnsRead) {
        if (everyColumn) {
            return this;
        }
        Map<String, String> roles = new LinkedHashMap<>(this.roles);
        for (String column : columnsRead) {
            DefenderColumns.Column known = DefenderColumns.namedInAnyTable(column);
            if (known == null) {
                throw new IllegalArgumentException("rule " + ruleId + " reads column " + column
                        + ", which the telemetry model does not carry");
            }
            roles.putIfAbsent(known.wireName, "read by rule " + ruleId);
        }
        return new KeyColumns(roles, false);
    }

    /** Whether a bad value in this column (Defender's spelling) dead-letters the row. */
    public boolean isKey(String wireName) {
        return everyColumn || roles.containsKey(wireName);
    }

    /**
     * Why the column is a key ({@code "event identity"}, {@code "read by rule …"}); null when it is not a
     * key, or when every column is.
     */
    public String role(String wireName) {
        return roles.get(wireName);
    }

    /** The key columns, in the order they were added; empty for {@link #EVERY_COLUMN}. */
    public Set<String> names() {
        return roles.keySet();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyColumns && ((KeyColumns) other).everyColumn == everyColumn
                && ((KeyColumns) other).roles.equals(roles);
    }

    @Override
    public int hashCode() {
        return roles.hashCode() * 31 + Boolean.hashCode(everyColumn);
    }

    @Override
    public String toString() {
        return everyColumn ? "every column" : roles.toString();
    }
}

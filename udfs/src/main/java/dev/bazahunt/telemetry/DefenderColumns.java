package dev.bazahunt.telemetry;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The single table from Defender wire column names (case-sensitive, Defender's own spelling such as
 * {@code InitiatingProcessSHA1}) to model fields. Shared columns are listed once against
 * {@link DeviceEvent}; each table's own columns against its subclass. A column applies to an event
 * when the event is an instance of the class it was listed against.
 *
 * <p>The parser looks a field name up here once per column: one hash lookup, the same cost as a
 * {@code switch} on the string, but the mapping exists in one place and tests can walk it.
 */
final class DefenderColumns {

    /** How a column's JSON value is decoded. */
    enum Kind {
        /** A string; a JSON number or boolean is taken as its text; an object or array is wrong. */
        TEXT,
        /** A string in Defender XDR, {@code dynamic} (object or array) in Sentinel: kept as JSON text. */
        JSON_TEXT,
        /** A long, as a JSON number or a string of digits; an empty string means null. */
        INTEGER,
        /** An ISO-8601 datetime string, kept as epoch nanoseconds; an empty string means null. */
        DATETIME,
        /** The row's own {@code Timestamp}: the event time. */
        EVENT_TIME,
        /** Sentinel's {@code TimeGenerated}: the event time only when the row has no {@code Timestamp}. */
        EVENT_TIME_FALLBACK
    }

    /** Writes one decoded value into one field. */
    @FunctionalInterface
    interface FieldSetter<E extends DeviceEvent, V> {
        void set(E event, V value);
    }

    /** One column: its wire name, how to decode it, which events carry it, and where it goes. */
    static final class Column {
        final String wireName;
        final Kind kind;
        private final Class<? extends DeviceEvent> carrier;
        private final FieldSetter<DeviceEvent, Object> setter;

        private Column(String wireName, Kind kind, Class<? extends DeviceEvent> carrier,
                FieldSetter<DeviceEvent, Object> setter) {
            this.wireName = wireName;
            this.kind = kind;
            this.carrier = carrier;
            this.setter = setter;
        }

        boolean appliesTo(DeviceEvent event) {
            return carrier.isInstance(event);
        }

        /** Stores a decoded value (String or Long, by kind). Not for the event-time kinds. */
        void set(DeviceEvent event, Object value) {
            setter.set(event, value);
        }

        Class<? extends DeviceEvent> carrier() {
            return carrier;
        }
    }

    private static final Map<String, Column> BY_WIRE_NAME = Collections.unmodifiableMap(buildTable());

    private DefenderColumns() {}

    /** The column with this exact wire name, or null for a column the model does not carry. */
    static Column named(String wireName) {
        return BY_WIRE_NAME.get(wireName);
    }

    static Collection<Column> all() {
        return BY_WIRE_NAME.values();
    }

    private static Map<String, Column> buildTable() {
        Map<String, Column> table = new HashMap<>(256);

        Columns<DeviceEvent> shared = new Columns<>(table, DeviceEvent.class);
        shared.eventTime("Timestamp", Kind.EVENT_TIME);
        shared.eventTime("TimeGenerated", Kind.EVENT_TIME_FALLBACK);
        shared.text("DeviceId", (e, v) -> e.deviceId = v);
        shared.text("DeviceName", (e, v) -> e.deviceName = v);
        shared.text("ActionType", (e, v) -> e.actionType = v);
        shared.text("FileName", (e, v) -> e.fileName = v);
        shared.text("FolderPath", (e, v) -> e.folderPath = v);
        shared.text("SHA1", (e, v) -> e.sha1 = v);
        shared.text("SHA256", (e, v) -> e.sha256 = v);
        shared.text("MD5", (e, v) -> e.md5 = v);
        shared.integer("FileSize", (e, v) -> e.fileSize = v);
        shared.integer("ReportId", (e, v) -> e.reportId = v);
        shared.text("MachineGroup", (e, v) -> e.machineGroup = v);
        shared.jsonText("AdditionalFields", (e, v) -> e.additionalFields = v);
        shared.text("InitiatingProcessAccountDomain", (e, v) -> e.initiatingProcessAccountDomain = v);
        shared.text("InitiatingProcessAccountName", (e, v) -> e.initiatingProcessAccountName = v);
        shared.text("InitiatingProcessAccountSid", (e, v) -> e.initiatingProcessAccountSid = v);
        shared.text("InitiatingProcessAccountUpn", (e, v) -> e.initiatingProcessAccountUpn = v);
        shared.text("InitiatingProcessAccountObjectId", (e, v) -> e.initiatingProcessAccountObjectId = v);
        shared.text("InitiatingProcessMD5", (e, v) -> e.initiatingProcessMD5 = v);
        shared.text("InitiatingProcessSHA1", (e, v) -> e.initiatingProcessSHA1 = v);
        shared.text("InitiatingProcessSHA256", (e, v) -> e.initiatingProcessSHA256 = v);
        shared.text("InitiatingProcessFolderPath", (e, v) -> e.initiatingProcessFolderPath = v);
        shared.text("InitiatingProcessFileName", (e, v) -> e.initiatingProcessFileName = v);
        shared.integer("InitiatingProcessFileSize", (e, v) -> e.initiatingProcessFileSize = v);
        shared.text("InitiatingProcessVersionInfoCompanyName",
                (e, v) -> e.initiatingProcessVersionInfoCompanyName = v);
        shared.text("InitiatingProcessVersionInfoProductName",
                (e, v) -> e.initiatingProcessVersionInfoProductName = v);
        shared.text("InitiatingProcessVersionInfoProductVersion",
                (e, v) -> e.initiatingProcessVersionInfoProductVersion = v);
        shared.text("InitiatingProcessVersionInfoInternalFileName",
                (e, v) -> e.initiatingProcessVersionInfoInternalFileName = v);
        shared.text("InitiatingProcessVersionInfoOriginalFileName",
                (e, v) -> e.initiatingProcessVersionInfoOriginalFileName = v);
        shared.text("InitiatingProcessVersionInfoFileDescription",
                (e, v) -> e.initiatingProcessVersionInfoFileDescription = v);
        shared.integer("InitiatingProcessId", (e, v) -> e.initiatingProcessId = v);
        shared.text("InitiatingProcessCommandLine", (e, v) -> e.initiatingProcessCommandLine = v);
        shared.datetime("InitiatingProcessCreationTime", (e, v) -> e.initiatingProcessCreationTime = v);
        shared.text("InitiatingProcessIntegrityLevel", (e, v) -> e.initiatingProcessIntegrityLevel = v);
        shared.text("InitiatingProcessTokenElevation", (e, v) -> e.initiatingProcessTokenElevation = v);
        shared.integer("InitiatingProcessParentId", (e, v) -> e.initiatingProcessParentId = v);
        shared.text("InitiatingProcessParentFileName", (e, v) -> e.initiatingProcessParentFileName = v);
        shared.datetime("InitiatingProcessParentCreationTime",
                (e, v) -> e.initiatingProcessParentCreationTime = v);
        shared.integer("InitiatingProcessSessionId", (e, v) -> e.initiatingProcessSessionId = v);
        shared.integer("InitiatingProcessUniqueId", (e, v) -> e.initiatingProcessUniqueId = v);
        shared.integer("InitiatingProcessLogonId", (e, v) -> e.initiatingProcessLogonId = v);
        shared.text("InitiatingProcessSignerType", (e, v) -> e.initiatingProcessSignerType = v);
        shared.text("InitiatingProcessSignatureStatus", (e, v) -> e.initiatingProcessSignatureStatus = v);
        shared.text("InitiatingProcessRemoteSessionDeviceName",
                (e, v) -> e.initiatingProcessRemoteSessionDeviceName = v);
        shared.text("InitiatingProcessRemoteSessionIP", (e, v) -> e.initiatingProcessRemoteSessionIP = v);

        Columns<DeviceFileEvent> file = new Columns<>(table, DeviceFileEvent.class);
        file.text("FileOriginUrl", (e, v) -> e.fileOriginUrl = v);
        file.text("FileOriginReferrerUrl", (e, v) -> e.fileOriginReferrerUrl = v);
        file.text("FileOriginIP", (e, v) -> e.fileOriginIP = v);
        file.text("PreviousFolderPath", (e, v) -> e.previousFolderPath = v);
        file.text("PreviousFileName", (e, v) -> e.previousFileName = v);
        file.text("RequestProtocol", (e, v) -> e.requestProtocol = v);
        file.text("RequestSourceIP", (e, v) -> e.requestSourceIP = v);
        file.text("RequestAccountName", (e, v) -> e.requestAccountName = v);
        file.text("RequestAccountDomain", (e, v) -> e.requestAccountDomain = v);
        file.text("RequestAccountSid", (e, v) -> e.requestAccountSid = v);
        file.text("ShareName", (e, v) -> e.shareName = v);

        Columns<DeviceProcessEvent> process = new Columns<>(table, DeviceProcessEvent.class);
        process.integer("ProcessId", (e, v) -> e.processId = v);
        process.text("ProcessCommandLine", (e, v) -> e.processCommandLine = v);
        process.datetime("ProcessCreationTime", (e, v) -> e.processCreationTime = v);
        process.text("ProcessIntegrityLevel", (e, v) -> e.processIntegrityLevel = v);
        process.text("ProcessTokenElevation", (e, v) -> e.processTokenElevation = v);
        process.text("ProcessVersionInfoCompanyName", (e, v) -> e.processVersionInfoCompanyName = v);
        process.text("ProcessVersionInfoProductName", (e, v) -> e.processVersionInfoProductName = v);
        process.text("ProcessVersionInfoProductVersion", (e, v) -> e.processVersionInfoProductVersion = v);
        process.text("ProcessVersionInfoInternalFileName", (e, v) -> e.processVersionInfoInternalFileName = v);
        process.text("ProcessVersionInfoOriginalFileName", (e, v) -> e.processVersionInfoOriginalFileName = v);
        process.text("ProcessVersionInfoFileDescription", (e, v) -> e.processVersionInfoFileDescription = v);
        process.text("AccountDomain", (e, v) -> e.accountDomain = v);
        process.text("AccountName", (e, v) -> e.accountName = v);
        process.text("AccountSid", (e, v) -> e.accountSid = v);
        process.text("AccountUpn", (e, v) -> e.accountUpn = v);
        process.text("AccountObjectId", (e, v) -> e.accountObjectId = v);
        process.integer("LogonId", (e, v) -> e.logonId = v);
        return table;
    }

    /** Adds the columns of one event class to the table, with setters typed for that class. */
    private static final class Columns<E extends DeviceEvent> {
        private final Map<String, Column> table;
        private final Class<E> carrier;

        Columns(Map<String, Column> table, Class<E> carrier) {
            this.table = table;
            this.carrier = carrier;
        }

        void text(String wireName, FieldSetter<E, String> setter) {
            add(wireName, Kind.TEXT, setter);
        }

        void jsonText(String wireName, FieldSetter<E, String> setter) {
            add(wireName, Kind.JSON_TEXT, setter);
        }

        void integer(String wireName, FieldSetter<E, Long> setter) {
            add(wireName, Kind.INTEGER, setter);
        }

        void datetime(String wireName, FieldSetter<E, Long> setter) {
            add(wireName, Kind.DATETIME, setter);
        }

        /** The event-time columns have no setter: the row reader decides which one wins. */
        void eventTime(String wireName, Kind kind) {
            register(new Column(wireName, kind, carrier, (event, value) -> {
                throw new IllegalStateException(wireName + " is resolved by the row reader, not set directly");
            }));
        }

        @SuppressWarnings("unchecked")
        private <V> void add(String wireName, Kind kind, FieldSetter<E, V> setter) {
            register(new Column(wireName, kind, carrier, (event, value) -> setter.set((E) event, (V) value)));
        }

        private void register(Column column) {
            if (table.putIfAbsent(column.wireName, column) != null) {
                throw new IllegalStateException("column listed twice: " + column.wireName);
            }
        }
    }
}

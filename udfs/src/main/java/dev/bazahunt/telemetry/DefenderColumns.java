package dev.bazahunt.telemetry;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The single table from Defender wire column names (case-sensitive, Defender's own spelling such as
 * {@code InitiatingProcessSHA1}) to model fields. Shared columns are listed once against
 * {@link DeviceEvent}; each table's own columns against its subclass. A column applies to an event
 * when the event is an instance of the class it was listed against.
 *
 * <p>The parser looks a field name up here once per column: one hash lookup, the same cost as a
 * {@code switch} on the string, but the mapping exists in one place and tests can walk it. Each column
 * also knows how to read its field back, so code that names columns in data (the exclusion files, via
 * {@link DefenderColumnReader}) uses this same table instead of a second list that could drift.
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
    interface FieldSetter<E extends DefenderEvent, V> {
        void set(E event, V value);
    }

    /** Reads one field back: a String, a Long (by kind), or null when the column was absent. */
    @FunctionalInterface
    interface FieldGetter<E extends DefenderEvent> {
        Object get(E event);
    }

    /** One column: its wire name, how to decode it, which events carry it, and where it goes. */
    static final class Column {
        final String wireName;
        final Kind kind;
        private final Class<? extends DefenderEvent> carrier;
        private final FieldSetter<DefenderEvent, Object> setter;
        /** Reads the field of an event that carries the column, and null from any other event. */
        final Function<DefenderEvent, Object> reader;

        private Column(String wireName, Kind kind, Class<? extends DefenderEvent> carrier,
                FieldSetter<DefenderEvent, Object> setter, Function<DefenderEvent, Object> reader) {
            this.wireName = wireName;
            this.kind = kind;
            this.carrier = carrier;
            this.setter = setter;
            this.reader = reader;
        }

        /** The stored value (String or Long, by kind); null when absent or the event lacks the column. */
        Object get(DefenderEvent event) {
            return reader.apply(event);
        }

        boolean appliesTo(DefenderEvent event) {
            return carrier.isInstance(event);
        }

        /** Stores a decoded value (String or Long, by kind). Not for the event-time kinds. */
        void set(DefenderEvent event, Object value) {
            setter.set(event, value);
        }

        Class<? extends DefenderEvent> carrier() {
            return carrier;
        }
    }

    /**
     * The type suffixes a {@code union} query's result adds to columns whose type differs between the
     * tables (Kusto's scalar type names): {@code ReportId_long}, {@code AdditionalFields_dynamic}.
     */
    private static final String[] UNION_TYPE_SUFFIXES = {
        "_bool", "_datetime", "_decimal", "_dynamic", "_guid", "_int", "_long", "_real", "_string", "_timespan"};

    private static final Map<String, Column> BY_WIRE_NAME = Collections.unmodifiableMap(withUnionAliases(buildTable()));
    /**
     * EmailEvents has a table of its own: it shares a few names with the device tables (Timestamp,
     * ReportId, AdditionalFields) but none of their fields.
     */
    private static final Map<String, Column> EMAIL_BY_WIRE_NAME =
            Collections.unmodifiableMap(withUnionAliases(buildEmailTable()));

    private static final Collection<Column> PLAIN_COLUMNS = plainColumns(BY_WIRE_NAME);
    private static final Collection<Column> PLAIN_EMAIL_COLUMNS = plainColumns(EMAIL_BY_WIRE_NAME);

    private DefenderColumns() {}

    private static Collection<Column> plainColumns(Map<String, Column> columns) {
        Map<String, Column> plain = new java.util.TreeMap<>();
        for (Column column : columns.values()) {
            plain.put(column.wireName, column);
        }
        return Collections.unmodifiableCollection(plain.values());
    }

    /**
     * The device-table column with this exact wire name, or null for a column the model does not carry.
     * A union export's typed name ({@code ReportId_long}) finds its column ({@code ReportId}), whose
     * {@link Column#wireName} is the plain name.
     */
    static Column named(String wireName) {
        return BY_WIRE_NAME.get(wireName);
    }

    /** Every column also under each union type suffix; looked up in the same single hash probe. */
    private static Map<String, Column> withUnionAliases(Map<String, Column> columns) {
        Map<String, Column> table = new HashMap<>(columns);
        for (Column column : columns.values()) {
            for (String suffix : UNION_TYPE_SUFFIXES) {
                table.put(column.wireName + suffix, column);
            }
        }
        return table;
    }

    /** The column with this wire name in the table the event belongs to, or null. */
    static Column named(DefenderEvent event, String wireName) {
        return event instanceof EmailEvent ? EMAIL_BY_WIRE_NAME.get(wireName) : BY_WIRE_NAME.get(wireName);
    }

    /** The column of {@code table} with this exact wire name, or null when that table's model lacks it. */
    static Column named(DefenderTable table, String wireName) {
        if (!table.isHunted()) {
            return null;
        }
        Column column = table == DefenderTable.EMAIL_EVENTS
                ? EMAIL_BY_WIRE_NAME.get(wireName) : BY_WIRE_NAME.get(wireName);
        return column != null && column.carrier().isAssignableFrom(eventClassOf(table)) ? column : null;
    }

    /** The column of this name in a device table, else in EmailEvents; null when no model carries it. */
    static Column namedInAnyTable(String wireName) {
        Column column = BY_WIRE_NAME.get(wireName);
        return column != null ? column : EMAIL_BY_WIRE_NAME.get(wireName);
    }

    /** Whether any table's model carries a column of this name (a flat row's column worth buffering). */
    static boolean isKnown(String wireName) {
        return BY_WIRE_NAME.containsKey(wireName) || EMAIL_BY_WIRE_NAME.containsKey(wireName);
    }

    /** The device-table columns under their plain names only, once each. */
    static Collection<Column> all() {
        return PLAIN_COLUMNS;
    }

    /** The EmailEvents columns. */
    static Collection<Column> email() {
        return PLAIN_EMAIL_COLUMNS;
    }

    /** The model class of a table's rows. */
    static Class<? extends DefenderEvent> eventClassOf(DefenderTable table) {
        return newEvent(table).getClass();
    }

    /** A new, empty row of the table. */
    static DefenderEvent newEvent(DefenderTable table) {
        switch (table) {
            case DEVICE_FILE_EVENTS:
                return new DeviceFileEvent();
            case DEVICE_PROCESS_EVENTS:
                return new DeviceProcessEvent();
            case DEVICE_NETWORK_EVENTS:
                return new DeviceNetworkEvent();
            case EMAIL_EVENTS:
                return new EmailEvent();
            default:
                throw new IllegalArgumentException("no model for table " + table);
        }
    }

    private static Map<String, Column> buildEmailTable() {
        Map<String, Column> table = new HashMap<>(64);
        Columns<EmailEvent> email = new Columns<>(table, EmailEvent.class);
        email.eventTime("Timestamp", Kind.EVENT_TIME);
        email.eventTime("TimeGenerated", Kind.EVENT_TIME_FALLBACK);
        email.text("NetworkMessageId", (e, v) -> e.networkMessageId = v, e -> e.networkMessageId);
        email.text("InternetMessageId", (e, v) -> e.internetMessageId = v, e -> e.internetMessageId);
        email.text("SenderMailFromAddress", (e, v) -> e.senderMailFromAddress = v, e -> e.senderMailFromAddress);
        email.text("SenderFromAddress", (e, v) -> e.senderFromAddress = v, e -> e.senderFromAddress);
        email.text("SenderDisplayName", (e, v) -> e.senderDisplayName = v, e -> e.senderDisplayName);
        email.text("SenderObjectId", (e, v) -> e.senderObjectId = v, e -> e.senderObjectId);
        email.text("SenderMailFromDomain", (e, v) -> e.senderMailFromDomain = v, e -> e.senderMailFromDomain);
        email.text("SenderFromDomain", (e, v) -> e.senderFromDomain = v, e -> e.senderFromDomain);
        email.text("SenderIPv4", (e, v) -> e.senderIPv4 = v, e -> e.senderIPv4);
        email.text("SenderIPv6", (e, v) -> e.senderIPv6 = v, e -> e.senderIPv6);
        email.text("RecipientEmailAddress", (e, v) -> e.recipientEmailAddress = v, e -> e.recipientEmailAddress);
        email.text("RecipientObjectId", (e, v) -> e.recipientObjectId = v, e -> e.recipientObjectId);
        email.text("RecipientDomain", (e, v) -> e.recipientDomain = v, e -> e.recipientDomain);
        email.text("Subject", (e, v) -> e.subject = v, e -> e.subject);
        email.text("EmailDirection", (e, v) -> e.emailDirection = v, e -> e.emailDirection);
        email.text("DeliveryAction", (e, v) -> e.deliveryAction = v, e -> e.deliveryAction);
        email.text("DeliveryLocation", (e, v) -> e.deliveryLocation = v, e -> e.deliveryLocation);
        email.text("ThreatTypes", (e, v) -> e.threatTypes = v, e -> e.threatTypes);
        email.text("DetectionMethods", (e, v) -> e.detectionMethods = v, e -> e.detectionMethods);
        email.text("EmailAction", (e, v) -> e.emailAction = v, e -> e.emailAction);
        email.integer("AttachmentCount", (e, v) -> e.attachmentCount = v, e -> e.attachmentCount);
        email.integer("UrlCount", (e, v) -> e.urlCount = v, e -> e.urlCount);
        email.text("EmailLanguage", (e, v) -> e.emailLanguage = v, e -> e.emailLanguage);
        email.text("ReportId", (e, v) -> e.reportId = v, e -> e.reportId);
        email.jsonText("AdditionalFields", (e, v) -> e.additionalFields = v, e -> e.additionalFields);
        return table;
    }

    private static Map<String, Column> buildTable() {
        Map<String, Column> table = new HashMap<>(256);

        Columns<DeviceEvent> shared = new Columns<>(table, DeviceEvent.class);
        shared.eventTime("Timestamp", Kind.EVENT_TIME);
        shared.eventTime("TimeGenerated", Kind.EVENT_TIME_FALLBACK);
        shared.text("DeviceId", (e, v) -> e.deviceId = v, e -> e.deviceId);
        shared.text("DeviceName", (e, v) -> e.deviceName = v, e -> e.deviceName);
        shared.text("ActionType", (e, v) -> e.actionType = v, e -> e.actionType);
        shared.text("FileName", (e, v) -> e.fileName = v, e -> e.fileName);
        shared.text("FolderPath", (e, v) -> e.folderPath = v, e -> e.folderPath);
        shared.text("SHA1", (e, v) -> e.sha1 = v, e -> e.sha1);
        shared.text("SHA256", (e, v) -> e.sha256 = v, e -> e.sha256);
        shared.text("MD5", (e, v) -> e.md5 = v, e -> e.md5);
        shared.integer("FileSize", (e, v) -> e.fileSize = v, e -> e.fileSize);
        shared.integer("ReportId", (e, v) -> e.reportId = v, e -> e.reportId);
        shared.text("MachineGroup", (e, v) -> e.machineGroup = v, e -> e.machineGroup);
        shared.jsonText("AdditionalFields", (e, v) -> e.additionalFields = v, e -> e.additionalFields);
        shared.text("InitiatingProcessAccountDomain",
                (e, v) -> e.initiatingProcessAccountDomain = v, e -> e.initiatingProcessAccountDomain);
        shared.text("InitiatingProcessAccountName",
                (e, v) -> e.initiatingProcessAccountName = v, e -> e.initiatingProcessAccountName);
        shared.text("InitiatingProcessAccountSid",
                (e, v) -> e.initiatingProcessAccountSid = v, e -> e.initiatingProcessAccountSid);
        shared.text("InitiatingProcessAccountUpn",
                (e, v) -> e.initiatingProcessAccountUpn = v, e -> e.initiatingProcessAccountUpn);
        shared.text("InitiatingProcessAccountObjectId",
                (e, v) -> e.initiatingProcessAccountObjectId = v, e -> e.initiatingProcessAccountObjectId);
        shared.text("InitiatingProcessMD5", (e, v) -> e.initiatingProcessMD5 = v, e -> e.initiatingProcessMD5);
        shared.text("InitiatingProcessSHA1", (e, v) -> e.initiatingProcessSHA1 = v, e -> e.initiatingProcessSHA1);
        shared.text("InitiatingProcessSHA256",
                (e, v) -> e.initiatingProcessSHA256 = v, e -> e.initiatingProcessSHA256);
        shared.text("InitiatingProcessFolderPath",
                (e, v) -> e.initiatingProcessFolderPath = v, e -> e.initiatingProcessFolderPath);
        shared.text("InitiatingProcessFileName",
                (e, v) -> e.initiatingProcessFileName = v, e -> e.initiatingProcessFileName);
        shared.integer("InitiatingProcessFileSize",
                (e, v) -> e.initiatingProcessFileSize = v, e -> e.initiatingProcessFileSize);
        shared.text("InitiatingProcessVersionInfoCompanyName",
                (e, v) -> e.initiatingProcessVersionInfoCompanyName = v,
                e -> e.initiatingProcessVersionInfoCompanyName);
        shared.text("InitiatingProcessVersionInfoProductName",
                (e, v) -> e.initiatingProcessVersionInfoProductName = v,
                e -> e.initiatingProcessVersionInfoProductName);
        shared.text("InitiatingProcessVersionInfoProductVersion",
                (e, v) -> e.initiatingProcessVersionInfoProductVersion = v,
                e -> e.initiatingProcessVersionInfoProductVersion);
        shared.text("InitiatingProcessVersionInfoInternalFileName",
                (e, v) -> e.initiatingProcessVersionInfoInternalFileName = v,
                e -> e.initiatingProcessVersionInfoInternalFileName);
        shared.text("InitiatingProcessVersionInfoOriginalFileName",
                (e, v) -> e.initiatingProcessVersionInfoOriginalFileName = v,
                e -> e.initiatingProcessVersionInfoOriginalFileName);
        shared.text("InitiatingProcessVersionInfoFileDescription",
                (e, v) -> e.initiatingProcessVersionInfoFileDescription = v,
                e -> e.initiatingProcessVersionInfoFileDescription);
        shared.integer("InitiatingProcessId", (e, v) -> e.initiatingProcessId = v, e -> e.initiatingProcessId);
        shared.text("InitiatingProcessCommandLine",
                (e, v) -> e.initiatingProcessCommandLine = v, e -> e.initiatingProcessCommandLine);
        shared.datetime("InitiatingProcessCreationTime",
                (e, v) -> e.initiatingProcessCreationTime = v, e -> e.initiatingProcessCreationTime);
        shared.text("InitiatingProcessIntegrityLevel",
                (e, v) -> e.initiatingProcessIntegrityLevel = v, e -> e.initiatingProcessIntegrityLevel);
        shared.text("InitiatingProcessTokenElevation",
                (e, v) -> e.initiatingProcessTokenElevation = v, e -> e.initiatingProcessTokenElevation);
        shared.integer("InitiatingProcessParentId",
                (e, v) -> e.initiatingProcessParentId = v, e -> e.initiatingProcessParentId);
        shared.text("InitiatingProcessParentFileName",
                (e, v) -> e.initiatingProcessParentFileName = v, e -> e.initiatingProcessParentFileName);
        shared.datetime("InitiatingProcessParentCreationTime",
                (e, v) -> e.initiatingProcessParentCreationTime = v, e -> e.initiatingProcessParentCreationTime);
        shared.integer("InitiatingProcessSessionId",
                (e, v) -> e.initiatingProcessSessionId = v, e -> e.initiatingProcessSessionId);
        shared.integer("InitiatingProcessUniqueId",
                (e, v) -> e.initiatingProcessUniqueId = v, e -> e.initiatingProcessUniqueId);
        shared.integer("InitiatingProcessLogonId",
                (e, v) -> e.initiatingProcessLogonId = v, e -> e.initiatingProcessLogonId);
        shared.text("InitiatingProcessSignerType",
                (e, v) -> e.initiatingProcessSignerType = v, e -> e.initiatingProcessSignerType);
        shared.text("InitiatingProcessSignatureStatus",
                (e, v) -> e.initiatingProcessSignatureStatus = v, e -> e.initiatingProcessSignatureStatus);
        shared.text("InitiatingProcessRemoteSessionDeviceName",
                (e, v) -> e.initiatingProcessRemoteSessionDeviceName = v,
                e -> e.initiatingProcessRemoteSessionDeviceName);
        shared.text("InitiatingProcessRemoteSessionIP",
                (e, v) -> e.initiatingProcessRemoteSessionIP = v, e -> e.initiatingProcessRemoteSessionIP);

        Columns<DeviceFileEvent> file = new Columns<>(table, DeviceFileEvent.class);
        file.text("FileOriginUrl", (e, v) -> e.fileOriginUrl = v, e -> e.fileOriginUrl);
        file.text("FileOriginReferrerUrl", (e, v) -> e.fileOriginReferrerUrl = v, e -> e.fileOriginReferrerUrl);
        file.text("FileOriginIP", (e, v) -> e.fileOriginIP = v, e -> e.fileOriginIP);
        file.text("PreviousFolderPath", (e, v) -> e.previousFolderPath = v, e -> e.previousFolderPath);
        file.text("PreviousFileName", (e, v) -> e.previousFileName = v, e -> e.previousFileName);
        file.text("RequestProtocol", (e, v) -> e.requestProtocol = v, e -> e.requestProtocol);
        file.text("RequestSourceIP", (e, v) -> e.requestSourceIP = v, e -> e.requestSourceIP);
        file.text("RequestAccountName", (e, v) -> e.requestAccountName = v, e -> e.requestAccountName);
        file.text("RequestAccountDomain", (e, v) -> e.requestAccountDomain = v, e -> e.requestAccountDomain);
        file.text("RequestAccountSid", (e, v) -> e.requestAccountSid = v, e -> e.requestAccountSid);
        file.text("ShareName", (e, v) -> e.shareName = v, e -> e.shareName);

        Columns<DeviceProcessEvent> process = new Columns<>(table, DeviceProcessEvent.class);
        process.integer("ProcessId", (e, v) -> e.processId = v, e -> e.processId);
        process.text("ProcessCommandLine", (e, v) -> e.processCommandLine = v, e -> e.processCommandLine);
        process.datetime("ProcessCreationTime", (e, v) -> e.processCreationTime = v, e -> e.processCreationTime);
        process.text("ProcessIntegrityLevel", (e, v) -> e.processIntegrityLevel = v, e -> e.processIntegrityLevel);
        process.text("ProcessTokenElevation", (e, v) -> e.processTokenElevation = v, e -> e.processTokenElevation);
        process.text("ProcessVersionInfoCompanyName",
                (e, v) -> e.processVersionInfoCompanyName = v, e -> e.processVersionInfoCompanyName);
        process.text("ProcessVersionInfoProductName",
                (e, v) -> e.processVersionInfoProductName = v, e -> e.processVersionInfoProductName);
        process.text("ProcessVersionInfoProductVersion",
                (e, v) -> e.processVersionInfoProductVersion = v, e -> e.processVersionInfoProductVersion);
        process.text("ProcessVersionInfoInternalFileName",
                (e, v) -> e.processVersionInfoInternalFileName = v, e -> e.processVersionInfoInternalFileName);
        process.text("ProcessVersionInfoOriginalFileName",
                (e, v) -> e.processVersionInfoOriginalFileName = v, e -> e.processVersionInfoOriginalFileName);
        process.text("ProcessVersionInfoFileDescription",
                (e, v) -> e.processVersionInfoFileDescription = v, e -> e.processVersionInfoFileDescription);
        process.text("AccountDomain", (e, v) -> e.accountDomain = v, e -> e.accountDomain);
        process.text("AccountName", (e, v) -> e.accountName = v, e -> e.accountName);
        process.text("AccountSid", (e, v) -> e.accountSid = v, e -> e.accountSid);
        process.text("AccountUpn", (e, v) -> e.accountUpn = v, e -> e.accountUpn);
        process.text("AccountObjectId", (e, v) -> e.accountObjectId = v, e -> e.accountObjectId);
        process.integer("LogonId", (e, v) -> e.logonId = v, e -> e.logonId);

        Columns<DeviceNetworkEvent> network = new Columns<>(table, DeviceNetworkEvent.class);
        network.text("RemoteIP", (e, v) -> e.remoteIP = v, e -> e.remoteIP);
        network.integer("RemotePort", (e, v) -> e.remotePort = v, e -> e.remotePort);
        network.text("RemoteUrl", (e, v) -> e.remoteUrl = v, e -> e.remoteUrl);
        network.text("LocalIP", (e, v) -> e.localIP = v, e -> e.localIP);
        network.integer("LocalPort", (e, v) -> e.localPort = v, e -> e.localPort);
        network.text("Protocol", (e, v) -> e.protocol = v, e -> e.protocol);
        network.text("LocalIPType", (e, v) -> e.localIPType = v, e -> e.localIPType);
        network.text("RemoteIPType", (e, v) -> e.remoteIPType = v, e -> e.remoteIPType);
        return table;
    }

    /** Adds the columns of one event class to the table, with setters typed for that class. */
    private static final class Columns<E extends DefenderEvent> {
        private final Map<String, Column> table;
        private final Class<E> carrier;

        Columns(Map<String, Column> table, Class<E> carrier) {
            this.table = table;
            this.carrier = carrier;
        }

        void text(String wireName, FieldSetter<E, String> setter, FieldGetter<E> getter) {
            add(wireName, Kind.TEXT, setter, getter);
        }

        void jsonText(String wireName, FieldSetter<E, String> setter, FieldGetter<E> getter) {
            add(wireName, Kind.JSON_TEXT, setter, getter);
        }

        void integer(String wireName, FieldSetter<E, Long> setter, FieldGetter<E> getter) {
            add(wireName, Kind.INTEGER, setter, getter);
        }

        void datetime(String wireName, FieldSetter<E, Long> setter, FieldGetter<E> getter) {
            add(wireName, Kind.DATETIME, setter, getter);
        }

        /**
         * The event-time columns have no setter: the row reader decides which one wins. Both read back
         * as the event time the reader chose, because that is the only time the model keeps.
         */
        void eventTime(String wireName, Kind kind) {
            register(new Column(wireName, kind, carrier, (event, value) -> {
                throw new IllegalStateException(wireName + " is resolved by the row reader, not set directly");
            }, reader(event -> event.timestamp)));
        }

        @SuppressWarnings("unchecked")
        private <V> void add(String wireName, Kind kind, FieldSetter<E, V> setter, FieldGetter<E> getter) {
            register(new Column(wireName, kind, carrier, (event, value) -> setter.set((E) event, (V) value),
                    reader(getter)));
        }

        /**
         * The column's reader. It captures only the carrier class and the field's getter, no mutable
         * object, so code that holds it as a constant (a compiled query) gets the field read inlined.
         */
        @SuppressWarnings("unchecked")
        private Function<DefenderEvent, Object> reader(FieldGetter<E> getter) {
            Class<E> type = carrier;
            return event -> type.isInstance(event) ? getter.get((E) event) : null;
        }

        private void register(Column column) {
            if (table.putIfAbsent(column.wireName, column) != null) {
                throw new IllegalStateException("column listed twice: " + column.wireName);
            }
        }
    }
}

package dev.bazahunt.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;

/**
 * Turns one input unit of Defender telemetry into events ({@link DeviceFileEvent}, {@link DeviceProcessEvent},
 * {@link DeviceNetworkEvent}, {@link EmailEvent}), skipped rows of other tables, and {@link DeadLetter}s.
 *
 * <p>A unit is one Kafka message or one file line, in one of three wire forms, told apart per unit:
 * <ol>
 *   <li>an Event Hubs message {@code {"records":[envelope, ...]}}, each envelope handled on its own;
 *   <li>a Storage blob line: one envelope {@code {time, tenantId, category, properties}};
 *   <li>a flat row (Advanced Hunting export, Sentinel row): the columns at top level, the table named
 *       by {@code Type} or else by the caller's table hint.
 * </ol>
 *
 * <p><b>Envelope field order.</b> The table is named by {@code category}, but nothing in JSON makes
 * {@code category} come before {@code properties}. When it does (Defender writes it that way) the row
 * streams straight into the right event. When it does not, {@code properties} is copied into a
 * Jackson {@link TokenBuffer} (a flat token list, not a tree) and replayed once the category is known,
 * which costs one extra pass over that row only. Flat rows are always buffered the same way, column
 * by column and only for columns the model carries, because {@code Type} may be their last column.
 *
 * <p>Parsing never throws because of the input: broken JSON, unknown forms, bad values and even
 * defects of this class become dead letters. Exceptions thrown by the sink are not the input's fault
 * and propagate unchanged. Events of a batch are handed to the sink as each record closes, so the
 * good records before a truncation still come through.
 *
 * <p>Not thread-safe: use one instance per Flink subtask. The {@link JsonFactory} is shared by all
 * instances, which is safe and lets Jackson reuse its symbol tables for the repeated column names.
 */
public final class DefenderRecordParser {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int NOT_IN_BATCH = -1;

    private final RowReader rowReader;
    private final RecordProblem problem = new RecordProblem();
    private final GuardedSink sink = new GuardedSink();

    /** Index and start offset of the batch record being read, for dead letters of broken JSON. */
    private int currentRecordIndex;
    private long currentRecordStart;

    /** A strict parser: a bad value in any column dead-letters its row ({@link KeyColumns#EVERY_COLUMN}). */
    public DefenderRecordParser() {
        this(KeyColumns.EVERY_COLUMN);
    }

    /**
     * A lenient parser: a bad value in one of {@code keyColumns} dead-letters its row, a bad value in
     * any other column becomes null and the row is reported through {@link ParsedRecordSink#repaired}.
     */
    public DefenderRecordParser(KeyColumns keyColumns) {
        this.rowReader = new RowReader(JSON, keyColumns);
    }

    /** Parses a whole array as one unit with no table hint. */
    public void parse(byte[] bytes, ParsedRecordSink sink) {
        parse(bytes, 0, bytes == null ? 0 : bytes.length, null, sink);
    }

    /**
     * Parses {@code length} bytes from {@code offset} as one unit of UTF-8 JSON.
     *
     * @param tableHint the table a flat row belongs to when it has no {@code Type} column (e.g. the
     *     table an Advanced Hunting export was taken from), or null
     * @throws IndexOutOfBoundsException if offset and length do not lie inside the array (a caller
     *     defect, not bad input)
     */
    public void parse(byte[] bytes, int offset, int length, DefenderTable tableHint, ParsedRecordSink sink) {
        if (bytes == null) {
            return;
        }
        InputUnit unit = InputUnit.of(bytes, offset, length);
        if (unit.isBlank()) {
            return;
        }
        this.sink.target = sink;
        currentRecordIndex = NOT_IN_BATCH;
        currentRecordStart = 0;
        try {
            parseOrDeadLetter(unit, tableHint);
        } catch (DownstreamFailure failure) {
            throw failure.getCause();
        } finally {
            this.sink.target = null;
        }
    }

    /** Parses the unit; whatever goes wrong with the input or with this class becomes a dead letter. */
    private void parseOrDeadLetter(InputUnit unit, DefenderTable tableHint) {
        try {
            parseUnit(unit, tableHint);
        } catch (DownstreamFailure failure) {
            throw failure;
        } catch (JsonProcessingException broken) {
            deadLetterForBrokenJson(unit, broken);
        } catch (IOException | RuntimeException defect) {
            // Input from a byte array cannot fail with plain I/O; anything here is a defect of ours.
            sink.deadLetter(DeadLetter.of(DeadLetterReason.INTERNAL_ERROR,
                    "parser defect: " + defect, unit.excerpt(currentRecordStart, unit.length()),
                    currentRecordIndex));
        }
    }

    private void parseUnit(InputUnit unit, DefenderTable tableHint) throws IOException {
        try (JsonParser parser = JSON.createParser(unit.bytes, unit.start, unit.length())) {
            JsonToken root = parser.nextToken();
            if (root == JsonToken.START_OBJECT) {
                readRecord(parser, unit, NOT_IN_BATCH, tableHint);
            } else {
                String found = describe(root);
                parser.skipChildren(); // so that a truncated array is reported as malformed JSON
                rejectTrailingContent(parser);
                sink.deadLetter(DeadLetter.of(DeadLetterReason.UNRECOGNISED_FORM,
                        "the unit is " + found + ", not a JSON object", unit.excerpt(), NOT_IN_BATCH));
                return;
            }
            rejectTrailingContent(parser);
        }
    }

    private static void rejectTrailingContent(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "unexpected content after the end of the JSON value");
        }
    }

    /**
     * Reads one record object, whose START_OBJECT is the current token, up to its END_OBJECT, then
     * hands the outcome to the sink. At the root it may turn out to hold a {@code records} batch.
     */
    private void readRecord(JsonParser parser, InputUnit unit, int recordIndex, DefenderTable tableHint)
            throws IOException {
        boolean atRoot = recordIndex == NOT_IN_BATCH;
        long recordStart = parser.currentTokenLocation().getByteOffset();
        problem.clear();
        RecordFields fields = new RecordFields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (atRoot && name.equals("records")) {
                if (value == JsonToken.START_ARRAY) {
                    fields.batch = true;
                    readBatch(parser, unit, tableHint);
                } else {
                    problem.report(DeadLetterReason.UNRECOGNISED_FORM,
                            "records is " + describe(value) + ", not an array");
                    parser.skipChildren();
                }
            } else if (name.equals("category")) {
                fields.category = tableName(parser, "category");
            } else if (name.equals("properties")) {
                readProperties(parser, fields);
            } else if (atRoot && name.equals("Type")) {
                fields.type = tableName(parser, "Type");
            } else if (atRoot && DefenderColumns.isKnown(name)) {
                fields.bufferFlatColumn(name, parser);
            } else {
                // Envelope fields such as tenantId and operationName. The envelope's time is skipped on
                // purpose: it is when Defender received the event, seconds to minutes after it happened
                // on the endpoint. Event time is the row's own Timestamp, or joins and windows would
                // be skewed by ingestion delay.
                parser.skipChildren();
            }
        }
        if (fields.batch) {
            return; // each record of the batch has been handed over already
        }
        long recordEnd = parser.currentLocation().getByteOffset();
        if (atRoot) {
            // A unit that is one record is one outcome: with content after the record it is broken JSON
            // and becomes only a dead letter, not a row and a dead letter.
            rejectTrailingContent(parser);
        }
        if (!problem.found()) {
            resolveRow(fields, atRoot, recordIndex, tableHint);
        }
        String excerpt = unit.excerpt(recordStart, recordEnd);
        if (problem.found()) {
            sink.deadLetter(DeadLetter.of(problem.reason(), problem.detail(), excerpt, recordIndex));
        } else if (fields.event != null) {
            if (problem.repairs() > 0) {
                sink.repaired(fields.event, problem.repairs(), problem.firstRepair());
            }
            sink.event(fields.event);
        } else if (fields.skippedTable != null) {
            sink.skipped(fields.skippedTable);
        }
    }

    private void readBatch(JsonParser parser, InputUnit unit, DefenderTable tableHint) throws IOException {
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new JsonParseException(parser, "end of input inside the records array");
            }
            currentRecordIndex = index;
            currentRecordStart = parser.currentTokenLocation().getByteOffset();
            if (token == JsonToken.START_OBJECT) {
                readRecord(parser, unit, index, tableHint);
            } else {
                parser.skipChildren();
                parser.finishToken(); // Jackson reads string values lazily; the end offset needs them read
                sink.deadLetter(DeadLetter.of(DeadLetterReason.UNRECOGNISED_FORM,
                        "record " + index + " is " + describe(token) + ", not a JSON object",
                        unit.excerpt(currentRecordStart, parser.currentLocation().getByteOffset()), index));
            }
            index++;
        }
        currentRecordIndex = NOT_IN_BATCH;
        currentRecordStart = 0;
    }

    /** The envelope's row: streamed when the category is already known, buffered otherwise. */
    private void readProperties(JsonParser parser, RecordFields fields) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            problem.report(DeadLetterReason.UNRECOGNISED_FORM,
                    "properties is " + describe(parser.currentToken()) + ", not an object");
            parser.skipChildren();
            return;
        }
        fields.hasProperties = true;
        if (fields.category != null) {
            readRowOf(fields.category, parser, fields);
        } else {
            fields.bufferedProperties = new TokenBuffer(parser);
            fields.bufferedProperties.copyCurrentStructure(parser);
        }
    }

    /** Decides the table of a record whose row was not streamed, and reads the buffered row. */
    private void resolveRow(RecordFields fields, boolean atRoot, int recordIndex, DefenderTable tableHint)
            throws IOException {
        String hintedTable = tableHint == null ? null : tableHint.tableName();
        if (fields.hasProperties) {
            if (fields.bufferedProperties != null) {
                String table = fields.category != null ? fields.category : hintedTable;
                if (table == null) {
                    problem.report(DeadLetterReason.UNRECOGNISED_FORM,
                            "the envelope has no category and no table hint was given");
                    return;
                }
                readBufferedRow(table, fields.bufferedProperties, fields);
            }
        } else if (!atRoot) {
            problem.report(DeadLetterReason.UNRECOGNISED_FORM,
                    "record " + recordIndex + " has no properties object");
        } else if (fields.category != null) {
            problem.report(DeadLetterReason.UNRECOGNISED_FORM,
                    "an envelope with category " + fields.category + " but no properties object");
        } else {
            String table = fields.type != null ? fields.type : hintedTable;
            if (table == null) {
                problem.report(DeadLetterReason.UNRECOGNISED_FORM,
                        "a flat row needs a Type column or a table hint to name its table");
                return;
            }
            readBufferedRow(table, fields.flatColumns(), fields);
        }
    }

    private void readBufferedRow(String table, TokenBuffer row, RecordFields fields) throws IOException {
        try (JsonParser replay = row.asParser()) {
            replay.nextToken();
            readRowOf(table, replay, fields);
        }
    }

    /** Reads a row into the event of its table, or marks it skipped when the hunt does not read that table. */
    private void readRowOf(String tableNameOrCategory, JsonParser rowParser, RecordFields fields) throws IOException {
        DefenderTable table = DefenderTable.fromNameOrCategory(tableNameOrCategory);
        if (table == null || !table.isHunted()) {
            fields.skippedTable = table != null ? table.tableName() : withoutCategoryPrefix(tableNameOrCategory);
            rowParser.skipChildren();
            return;
        }
        DefenderEvent event = DefenderColumns.newEvent(table);
        if (rowReader.read(rowParser, event, problem)) {
            fields.event = event;
        }
    }

    /** A category or Type value; null when absent or blank, a problem when not a string. */
    private String tableName(JsonParser parser, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            String name = parser.getText().trim();
            return name.isEmpty() ? null : name;
        }
        if (token != JsonToken.VALUE_NULL) {
            problem.report(DeadLetterReason.UNRECOGNISED_FORM, field + " is " + describe(token) + ", not a string");
            parser.skipChildren();
        }
        return null;
    }

    private static String withoutCategoryPrefix(String tableNameOrCategory) {
        String prefix = DefenderTable.CATEGORY_PREFIX;
        return tableNameOrCategory.regionMatches(true, 0, prefix, 0, prefix.length())
                ? tableNameOrCategory.substring(prefix.length())
                : tableNameOrCategory;
    }

    private void deadLetterForBrokenJson(InputUnit unit, JsonProcessingException broken) {
        JsonLocation location = broken.getLocation();
        String where = location == null || location.getByteOffset() < 0
                ? ""
                : " (at byte " + location.getByteOffset() + ")";
        String detail = "not valid JSON: " + broken.getOriginalMessage() + where;
        sink.deadLetter(DeadLetter.of(DeadLetterReason.MALFORMED_JSON, detail,
                unit.excerpt(currentRecordStart, unit.length()), currentRecordIndex));
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.name();
        }
    }

    /** What one record object said about itself, gathered while its fields stream past. */
    private static final class RecordFields {
        boolean batch;
        boolean hasProperties;
        String category;
        String type;
        TokenBuffer bufferedProperties;
        private TokenBuffer flatColumns;
        /** The valid event the record became, if any. */
        DefenderEvent event;
        /** The table of a well-formed row this hunt does not read, if any. */
        String skippedTable;

        void bufferFlatColumn(String name, JsonParser parser) throws IOException {
            if (flatColumns == null) {
                flatColumns = new TokenBuffer(parser);
                flatColumns.writeStartObject();
            }
            flatColumns.writeFieldName(name);
            flatColumns.copyCurrentStructure(parser);
        }

        /** The buffered flat columns as one row object; an empty row when there were none. */
        TokenBuffer flatColumns() throws IOException {
            if (flatColumns == null) {
                flatColumns = new TokenBuffer(null, false);
                flatColumns.writeStartObject();
            }
            flatColumns.writeEndObject();
            return flatColumns;
        }
    }

    /** Passes results on, and marks exceptions from the sink so they are not mistaken for bad input. */
    private static final class GuardedSink {
        ParsedRecordSink target;

        void event(DefenderEvent event) {
            try {
                if (event instanceof DeviceFileEvent file) {
                    target.fileEvent(file);
                } else if (event instanceof DeviceProcessEvent process) {
                    target.processEvent(process);
                } else if (event instanceof DeviceNetworkEvent network) {
                    target.networkEvent(network);
                } else {
                    target.emailEvent((EmailEvent) event);
                }
            } catch (RuntimeException downstream) {
                throw new DownstreamFailure(downstream);
            }
        }

        void repaired(DefenderEvent event, int repairs, String firstRepair) {
            try {
                target.repaired(event, repairs, firstRepair);
            } catch (RuntimeException downstream) {
                throw new DownstreamFailure(downstream);
            }
        }

        void skipped(String tableName) {
            try {
                target.skipped(tableName);
            } catch (RuntimeException downstream) {
                throw new DownstreamFailure(downstream);
            }
        }

        void deadLetter(DeadLetter deadLetter) {
            try {
                target.deadLetter(deadLetter);
            } catch (RuntimeException downstream) {
                throw new DownstreamFailure(downstream);
            }
        }
    }

    /** Carries an exception thrown by the sink through the parser's catch-all, to be rethrown as is. */
    private static final class DownstreamFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DownstreamFailure(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }
}

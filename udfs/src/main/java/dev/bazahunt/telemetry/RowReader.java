package dev.bazahunt.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Streams one row object (Defender's {@code properties}, or a flat export row) into an event,
 * column by column through {@link DefenderColumns}, without building a tree.
 *
 * <p>Bad values do not stop the read. A bad value in a {@linkplain KeyColumns key column} is reported
 * to the {@link RecordProblem}, which dead-letters the row; one in any other column becomes null and is
 * counted as a repair. Either way the rest of the row is still consumed, so a batch can go on with its
 * next record. Only broken JSON (an {@link IOException} from Jackson) leaves the parser in an unknown
 * position.
 *
 * <p>A null value never overwrites a value already read: a union export carries one column under
 * several typed names ({@code ReportId_long}, {@code ReportId_string}), of which a row fills one.
 */
final class RowReader {
    /** How much of an offending value a dead letter's detail quotes. */
    private static final int MAX_QUOTED_VALUE_CHARS = 80;

    private final JsonFactory jsonFactory;
    private final KeyColumns keyColumns;

    RowReader(JsonFactory jsonFactory, KeyColumns keyColumns) {
        this.jsonFactory = jsonFactory;
        this.keyColumns = keyColumns;
    }

    /**
     * Reads the row whose START_OBJECT is the parser's current token into {@code event}, up to and
     * including its END_OBJECT. Returns true when the event is complete and valid; otherwise the
     * reason is in {@code problem}.
     */
    boolean read(JsonParser parser, DefenderEvent event, RecordProblem problem) throws IOException {
        Long timestamp = null;
        Long timeGenerated = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            DefenderColumns.Column column = DefenderColumns.named(event, parser.currentName());
            parser.nextToken();
            if (column == null || !column.appliesTo(event)) {
                // Defender adds columns over time; a column the model does not carry is not an error.
                parser.skipChildren();
                continue;
            }
            switch (column.kind) {
                case TEXT:
                    setUnlessNull(column, event, text(parser, column, problem));
                    break;
                case JSON_TEXT:
                    setUnlessNull(column, event, jsonText(parser));
                    break;
                case INTEGER:
                    setUnlessNull(column, event, integer(parser, column, problem));
                    break;
                case DATETIME:
                    setUnlessNull(column, event, datetime(parser, column, problem));
                    break;
                case EVENT_TIME:
                    timestamp = orElse(datetime(parser, column, problem), timestamp);
                    break;
                case EVENT_TIME_FALLBACK:
                    timeGenerated = orElse(datetime(parser, column, problem), timeGenerated);
                    break;
                default:
                    throw new IllegalStateException("unhandled column kind " + column.kind);
            }
        }
        if (problem.found()) {
            return false;
        }
        if (!hasKey(event, problem)) {
            return false;
        }
        // Timestamp is when the endpoint saw the event. Sentinel rows may carry only TimeGenerated,
        // which Log Analytics documents as the time the agent recorded the event, so it stands in.
        Long eventTime = timestamp != null ? timestamp : timeGenerated;
        if (eventTime == null) {
            problem.report(DeadLetterReason.MISSING_TIMESTAMP, "the row has neither Timestamp nor TimeGenerated");
            return false;
        }
        event.timestamp = eventTime;
        return true;
    }

    private static void setUnlessNull(DefenderColumns.Column column, DefenderEvent event, Object value) {
        if (value != null) {
            column.set(event, value);
        }
    }

    private static Long orElse(Long value, Long earlier) {
        return value != null ? value : earlier;
    }

    /**
     * A device row is keyed by its DeviceId; an email row, which names no device, by its
     * NetworkMessageId (its alerts are one per message).
     */
    private static boolean hasKey(DefenderEvent event, RecordProblem problem) {
        if (event instanceof EmailEvent email) {
            if (email.networkMessageId == null || email.networkMessageId.isBlank()) {
                problem.report(DeadLetterReason.MISSING_NETWORK_MESSAGE_ID, email.networkMessageId == null
                        ? "NetworkMessageId is absent or null" : "NetworkMessageId is empty");
                return false;
            }
            return true;
        }
        String deviceId = ((DeviceEvent) event).deviceId;
        if (deviceId == null || deviceId.isBlank()) {
            problem.report(DeadLetterReason.MISSING_DEVICE_ID,
                    deviceId == null ? "DeviceId is absent or null" : "DeviceId is empty");
            return false;
        }
        return true;
    }

    private String text(JsonParser parser, DefenderColumns.Column column, RecordProblem problem)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return parser.getText(); // strings, and numbers or booleans as their JSON text
        }
        return wrongType(parser, column, "a string", problem);
    }

    /** AdditionalFields: a string in Defender XDR, an object or array ({@code dynamic}) in Sentinel. */
    private String jsonText(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return parser.getText();
        }
        StringWriter json = new StringWriter();
        try (JsonGenerator generator = jsonFactory.createGenerator(json)) {
            generator.copyCurrentStructure(parser);
        }
        return json.toString();
    }

    private Long integer(JsonParser parser, DefenderColumns.Column column, RecordProblem problem)
            throws IOException {
        switch (parser.currentToken()) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return wrongType(parser, column, "an integer that fits in a long", problem);
                }
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                // 7212.0 is still the integer 7212; 7212.5 is not.
                try {
                    return parser.getDecimalValue().longValueExact();
                } catch (ArithmeticException notIntegral) {
                    return wrongType(parser, column, "an integer", problem);
                }
            case VALUE_STRING:
                // Exports and some forwarders write 64-bit ids as strings so JavaScript cannot round them.
                String digits = parser.getText().trim();
                if (digits.isEmpty()) {
                    return null;
                }
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException notAnInteger) {
                    return wrongType(parser, column, "an integer", problem);
                }
            default:
                return wrongType(parser, column, "an integer", problem);
        }
    }

    private Long datetime(JsonParser parser, DefenderColumns.Column column, RecordProblem problem)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            return wrongType(parser, column, "an ISO-8601 datetime string", problem);
        }
        String text = parser.getText();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return DefenderTimestamps.parseNanos(text);
        } catch (MalformedTimestampException bad) {
            badValue(column, DeadLetterReason.BAD_TIMESTAMP, column.wireName + ": " + bad.getMessage(), problem);
            return null;
        }
    }

    /** Reports a value of the wrong JSON type, consumes it, and returns null for the field. */
    private <T> T wrongType(JsonParser parser, DefenderColumns.Column column, String expected,
            RecordProblem problem) throws IOException {
        badValue(column, DeadLetterReason.WRONG_TYPE,
                column.wireName + ": expected " + expected + ", found " + describe(parser), problem);
        parser.skipChildren();
        return null;
    }

    /** A key column's bad value dead-letters the row, saying why the column is a key; any other is repaired. */
    private void badValue(DefenderColumns.Column column, DeadLetterReason reason, String detail, RecordProblem problem) {
        if (keyColumns.isKey(column.wireName)) {
            String role = keyColumns.role(column.wireName);
            problem.report(reason, role == null ? detail : detail + " [key column: " + role + "]");
        } else {
            problem.repair(detail);
        }
    }

    private static String describe(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT:
                return "a JSON object";
            case START_ARRAY:
                return "a JSON array";
            case VALUE_STRING:
                return "the string \"" + clipped(parser.getText()) + "\"";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "the boolean " + parser.getText();
            default:
                return "the number " + clipped(parser.getText());
        }
    }

    private static String clipped(String value) {
        return value.length() <= MAX_QUOTED_VALUE_CHARS ? value : value.substring(0, MAX_QUOTED_VALUE_CHARS) + "…";
    }
}

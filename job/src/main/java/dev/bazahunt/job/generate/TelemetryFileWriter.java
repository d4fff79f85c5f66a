package dev.bazahunt.job.generate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.DefenderTimestamps;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes generated rows to one telemetry file, one unit (message, blob line or flat row) per line. */
final class TelemetryFileWriter implements Closeable {
    static final String TENANT_ID = "3f2b9c1e-5d7a-4a1b-9c2d-7e5f1a2b3c4d";
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final byte[] URLCACHE = "urlcache".getBytes(StandardCharsets.US_ASCII);

    private final WireForm form;
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(8 * 1024);
    private final byte[] lineEnd;
    private long lines;
    private long linesWithUrlcache;
    private long bytes;

    TelemetryFileWriter(Path file, WireForm form) throws IOException {
        this.form = form;
        this.out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        this.lineEnd = form.lineEnd().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes one unit: for Event Hubs, a message holding all the rows with their envelopes; for the
     * other forms, exactly one row. {@code receivedNanos[i]} is when Defender received row i.
     */
    void write(List<GeneratedRow> rows, long[] receivedNanos) throws IOException {
        if (form != WireForm.EVENTHUBS && rows.size() != 1) {
            throw new IllegalArgumentException(form + " lines hold exactly one row, got " + rows.size());
        }
        line.reset();
        try (JsonGenerator json = JSON.createGenerator(line, JsonEncoding.UTF8)) {
            switch (form) {
                case EVENTHUBS -> {
                    json.writeStartObject();
                    json.writeArrayFieldStart("records");
                    for (int i = 0; i < rows.size(); i++) {
                        envelope(json, rows.get(i), receivedNanos[i]);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                case STORAGE -> envelope(json, rows.get(0), receivedNanos[0]);
                case FLAT -> flat(json, rows.get(0), receivedNanos[0]);
            }
        }
        byte[] text = line.toByteArray();
        out.write(text);
        out.write(lineEnd);
        lines++;
        bytes += text.length + lineEnd.length;
        if (containsIgnoringAsciiCase(text, URLCACHE)) {
            linesWithUrlcache++;
        }
    }

    long lines() {
        return lines;
    }

    /** What {@code grep -c -i urlcache} counts in this file. */
    long linesWithUrlcache() {
        return linesWithUrlcache;
    }

    long bytes() {
        return bytes;
    }

    private static void envelope(JsonGenerator json, GeneratedRow row, long receivedNanos) throws IOException {
        json.writeStartObject();
        json.writeStringField("time", DefenderTimestamps.format(receivedNanos));
        json.writeStringField("tenantId", TENANT_ID);
        json.writeStringField("operationName", "Publish");
        json.writeStringField("category", DefenderTable.CATEGORY_PREFIX + row.table().tableName());
        json.writeFieldName("properties");
        json.writeStartObject();
        columns(json, row.columns());
        json.writeEndObject();
        json.writeEndObject();
    }

    /** A Sentinel row: the workspace columns first, then the Advanced Hunting columns. */
    private static void flat(JsonGenerator json, GeneratedRow row, long receivedNanos) throws IOException {
        json.writeStartObject();
        json.writeStringField("TenantId", TENANT_ID);
        json.writeStringField("TimeGenerated", DefenderTimestamps.format(receivedNanos));
        json.writeStringField("Type", row.table().tableName());
        columns(json, row.columns());
        json.writeStringField("SourceSystem", "");
        json.writeEndObject();
    }

    private static void columns(JsonGenerator json, Map<String, Object> columns) throws IOException {
        for (Map.Entry<String, Object> column : columns.entrySet()) {
            json.writeFieldName(column.getKey());
            Object value = column.getValue();
            if (value == null) {
                json.writeNull();
            } else if (value instanceof String text) {
                json.writeString(text);
            } else if (value instanceof Long number) {
                json.writeNumber(number);
            } else if (value instanceof Integer number) {
                json.writeNumber(number);
            } else if (value instanceof Boolean flag) {
                json.writeBoolean(flag);
            } else {
                throw new IllegalArgumentException(column.getKey() + ": unsupported value " + value.getClass());
            }
        }
    }

    private static boolean containsIgnoringAsciiCase(byte[] text, byte[] lowerCaseNeedle) {
        outer:
        for (int i = 0; i + lowerCaseNeedle.length <= text.length; i++) {
            for (int k = 0; k < lowerCaseNeedle.length; k++) {
                if ((text[i + k] | 0x20) != lowerCaseNeedle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

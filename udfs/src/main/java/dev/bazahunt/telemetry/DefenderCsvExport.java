package dev.bazahunt.telemetry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV export of one Advanced Hunting query, as the Defender portal or Sentinel / Log Analytics
 * write it, and turns each record into the flat JSON row {@link DefenderRecordParser} reads, so that CSV
 * rows go through the same pre-filter, parser, lenient-row rules and dead letters as JSON lines.
 *
 * <h2>The two dialects</h2>
 * Both are UTF-8 with a byte order mark and CRLF line ends; quoted fields may hold commas, quotes
 * ({@code ""}) and line breaks. Records are read with Jackson's CSV parser, never split on newlines.
 * <ul>
 *   <li><b>Defender portal</b> (Advanced Hunting, "Export"): the query's columns as the header; datetimes
 *       {@code Oct 9, 2024 2:56:53 PM}; a null datetime is the literal {@code Invalid date}; booleans
 *       {@code 0}/{@code 1}; {@code AdditionalFields} as JSON text.
 *   <li><b>Sentinel / Log Analytics</b>: columns in alphabetical order, datetime headers with a unit
 *       suffix ({@code Timestamp [UTC]}); datetimes {@code 4/7/2025, 7:27:22.393 AM}, or day first in other
 *       locales ({@code 26/03/2026, 15:18:18.790}); {@code TenantId}, {@code Type} and
 *       {@code SourceSystem} columns; booleans {@code true}/{@code false}.
 * </ul>
 * Both dialects are read by the same code: header suffixes in brackets are dropped, each datetime cell
 * is read in whichever form it has ({@link ExportDatetimes}), an empty cell is null, and columns the
 * telemetry model does not carry are left out of the row. Booleans and numbers stay text, which the
 * parser reads as it reads them in JSON.
 *
 * <h2>Day or month first</h2>
 * A numeric date's order is decided per file before its rows are read: the first datetime cell whose
 * first field is above 12 makes it day first, one whose second field is above 12 month first. When no
 * value settles it, the caller's {@link CsvDateOrder} applies. A file that shows both is refused.
 *
 * <h2>The table</h2>
 * A {@code Type} column names each row's table, and is passed on. Without one the caller's file-name
 * hint applies (the parser's table hint), and without that the header decides when its columns belong
 * to exactly one table the hunt reads: then each row gets that {@code Type}. Otherwise the file is
 * refused, with a {@link #refusal()} that names the fix.
 */
public final class DefenderCsvExport implements Closeable {

    /** Opens the export's bytes, decompressed; called once more when the date order must be detected. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** Without a schema Jackson's CSV parser reads each record as an array of strings. */
    private static final CsvFactory CSV = CsvFactory.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final String INVALID_DATE = "Invalid date";

    private final CsvParser records;
    private final Header header;
    private final CsvDateOrder dateOrder;
    private final String typeForRows;
    private final String refusal;
    private final String tableSource;
    private final ByteArrayOutputStream row = new ByteArrayOutputStream(2048);
    private final List<String> cells = new ArrayList<>();
    private long rowLine;

    private DefenderCsvExport(CsvParser records, Header header, CsvDateOrder dateOrder, String typeForRows,
            String tableSource, String refusal) {
        this.records = records;
        this.header = header;
        this.dateOrder = dateOrder;
        this.typeForRows = typeForRows;
        this.tableSource = tableSource;
        this.refusal = refusal;
    }

    /**
     * Opens an export and reads its header.
     *
     * @param hintedTable the table the file's name gives, or null
     * @param fallbackOrder the date order when the file does not settle it ({@code --csv-date-order})
     */
    public static DefenderCsvExport open(Opener opener, DefenderTable hintedTable, CsvDateOrder fallbackOrder)
            throws IOException {
        Header header;
        DateOrderScan detected;
        // A first pass reads the header and settles the date order; the rows are read on a second.
        try (CsvParser probe = parserOver(opener.open())) {
            header = Header.read(probe);
            detected = header == null ? new DateOrderScan() : DateOrderScan.of(probe, header);
        }
        CsvParser records = parserOver(opener.open());
        if (header == null) { // an empty file: no rows, nothing to refuse
            return new DefenderCsvExport(records, new Header(List.of()), fallbackOrder, null, "none", null);
        }
        Header.read(records);
        CsvDateOrder order = detected.order != null ? detected.order : fallbackOrder;
        String refusal = detected.conflict;
        String type = null;
        String source;
        if (header.typeIndex >= 0) {
            source = "Type column";
        } else if (hintedTable != null) {
            source = "file name";
        } else {
            DefenderTable fromHeader = header.onlyTable();
            if (fromHeader != null) {
                type = fromHeader.tableName();
                source = "header";
            } else {
                source = "none";
                if (refusal == null) {
                    refusal = "the export does not say its table: it has no Type column, its file name names no"
                            + " Advanced Hunting table, and its columns fit " + header.tablesDescription()
                            + ". Name the file after its table (e.g. DeviceProcessEvents.csv) or export the Type column";
                }
            }
        }
        return new DefenderCsvExport(records, header, order, type, source, refusal);
    }

    /** Why the file cannot be read, naming the fix; null when it can. A refused file yields no rows. */
    public String refusal() {
        return refusal;
    }

    /** Where the rows' table comes from: {@code "Type column"}, {@code "file name"}, {@code "header"} or {@code "none"}. */
    public String tableSource() {
        return tableSource;
    }

    /** The date order numeric dates are read in. */
    public CsvDateOrder dateOrder() {
        return dateOrder;
    }

    /** The 1-based line of the file on which the record last returned by {@link #nextRow} starts. */
    public long rowLine() {
        return rowLine;
    }

    /**
     * The next record as a flat JSON row (UTF-8), or null at the end (and always for a refused file).
     * Malformed CSV (an unterminated quote) throws an {@link IOException}: the rest of the file cannot
     * be delimited.
     */
    public byte[] nextRow() throws IOException {
        if (refusal != null || header.names.isEmpty()) {
            return null;
        }
        long line = nextRecord(records, cells);
        if (line < 0) {
            return null;
        }
        rowLine = line;
        row.reset();
        try (JsonGenerator json = JSON.createGenerator(row, JsonEncoding.UTF8)) {
            json.writeStartObject();
            if (typeForRows != null) {
                json.writeStringField("Type", typeForRows);
            }
            for (int i = 0; i < cells.size() && i < header.names.size(); i++) {
                Header.ColumnUse use = header.uses.get(i);
                if (use == Header.ColumnUse.IGNORED) {
                    continue;
                }
                json.writeFieldName(header.names.get(i));
                String cell = cells.get(i);
                if (cell.isEmpty() || (use == Header.ColumnUse.DATETIME && cell.equals(INVALID_DATE))) {
                    json.writeNull();
                } else if (use == Header.ColumnUse.DATETIME) {
                    json.writeString(isoOrAsWritten(cell));
                } else {
                    json.writeString(cell);
                }
            }
            json.writeEndObject();
        }
        return row.toByteArray();
    }

    /**
     * The datetime as Defender would write it; a cell that is no datetime at all is passed on as written,
     * so the parser reports or repairs it like any bad value.
     */
    private String isoOrAsWritten(String cell) {
        try {
            return DefenderTimestamps.format(ExportDatetimes.parseNanos(cell, dateOrder));
        } catch (MalformedTimestampException notADatetime) {
            return cell;
        }
    }

    @Override
    public void close() throws IOException {
        records.close();
    }

    private static CsvParser parserOver(InputStream bytes) throws IOException {
        return CSV.createParser(withoutByteOrderMark(new InputStreamReader(bytes, StandardCharsets.UTF_8)));
    }

    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first >= 0 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /** Reads one record's cells; returns the line its first cell starts on, or -1 at the end of the file. */
    private static long nextRecord(CsvParser parser, List<String> cells) throws IOException {
        cells.clear();
        JsonToken token = parser.nextToken();
        if (token == null) {
            return -1;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new IOException("unexpected CSV token " + token);
        }
        long line = -1;
        for (token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new IOException("end of file inside a CSV record");
            }
            if (line < 0) {
                line = parser.currentTokenLocation().getLineNr();
            }
            cells.add(parser.getText());
        }
        return line;
    }

    /** The header: cleaned column names and what each column is to the row. */
    private static final class Header {
        enum ColumnUse { IGNORED, TYPE, DATETIME, VALUE }

        final List<String> names;
        final List<ColumnUse> uses = new ArrayList<>();
        final int typeIndex;

        Header(List<String> names) {
            this.names = names;
            int type = -1;
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                DefenderColumns.Column column = DefenderColumns.named(name);
                if (name.equals("Type")) {
                    uses.add(ColumnUse.TYPE);
                    type = i;
                } else if (column == null) {
                    uses.add(ColumnUse.IGNORED);
                } else if (column.kind == DefenderColumns.Kind.DATETIME || column.kind == DefenderColumns.Kind.EVENT_TIME
                        || column.kind == DefenderColumns.Kind.EVENT_TIME_FALLBACK) {
                    uses.add(ColumnUse.DATETIME);
                } else {
                    uses.add(ColumnUse.VALUE);
                }
            }
            this.typeIndex = type;
        }

        /** The first record, as column names without a bracketed unit suffix; null for an empty file. */
        static Header read(CsvParser parser) throws IOException {
            List<String> cells = new ArrayList<>();
            if (nextRecord(parser, cells) < 0) {
                return null;
            }
            List<String> names = new ArrayList<>(cells.size());
            for (String cell : cells) {
                names.add(withoutUnitSuffix(cell.trim()));
            }
            return new Header(names);
        }

        /** {@code Timestamp [UTC]} is {@code Timestamp}. */
        private static String withoutUnitSuffix(String name) {
            int bracket = name.lastIndexOf(" [");
            return bracket > 0 && name.endsWith("]") ? name.substring(0, bracket) : name;
        }

        /** The one hunted table whose own columns the header has, or null when none or several. */
        DefenderTable onlyTable() {
            List<DefenderTable> tables = tables();
            return tables.size() == 1 ? tables.get(0) : null;
        }

        String tablesDescription() {
            List<DefenderTable> tables = tables();
            if (tables.isEmpty()) {
                return "no table the hunt reads";
            }
            List<String> names = new ArrayList<>();
            for (DefenderTable table : tables) {
                names.add(table.tableName());
            }
            return "more than one table (" + String.join(", ", names) + ")";
        }

        /**
         * The hunted tables named by a column that only they carry. Tables are matched to their event
         * class by name: rows of {@code DeviceFileEvents} are {@code DeviceFileEvent}s.
         */
        private List<DefenderTable> tables() {
            List<DefenderTable> tables = new ArrayList<>();
            for (String name : names) {
                DefenderColumns.Column column = DefenderColumns.named(name);
                if (column == null || column.carrier() == DeviceEvent.class) {
                    continue;
                }
                DefenderTable table = DefenderTable.fromNameOrCategory(column.carrier().getSimpleName() + "s");
                if (table != null && table.isHunted() && !tables.contains(table)) {
                    tables.add(table);
                }
            }
            return tables;
        }
    }

    /** The date order a file's numeric dates settle, or the conflict when they settle both ways. */
    private static final class DateOrderScan {
        CsvDateOrder order;
        String conflict;

        static DateOrderScan of(CsvParser parser, Header header) throws IOException {
            DateOrderScan scan = new DateOrderScan();
            List<String> cells = new ArrayList<>();
            String dayFirst = null;
            String monthFirst = null;
            while ((dayFirst == null || monthFirst == null) && nextRecord(parser, cells) >= 0) {
                for (int i = 0; i < cells.size() && i < header.uses.size(); i++) {
                    String cell = cells.get(i);
                    if (header.uses.get(i) != Header.ColumnUse.DATETIME || cell.isEmpty() || cell.equals(INVALID_DATE)) {
                        continue;
                    }
                    if (!ExportDatetimes.isNumericDate(cell)) {
                        return scan; // month names or ISO: the order does not matter, and one form fills a file
                    }
                    switch (ExportDatetimes.evidence(cell)) {
                        case DAY_FIRST:
                            dayFirst = dayFirst == null ? cell : dayFirst;
                            break;
                        case MONTH_FIRST:
                            monthFirst = monthFirst == null ? cell : monthFirst;
                            break;
                        default:
                            break;
                    }
                }
            }
            if (dayFirst != null && monthFirst != null) {
                scan.conflict = "the export's dates are day first ('" + dayFirst + "') and month first ('"
                        + monthFirst + "'); export it again in one locale";
            } else if (dayFirst != null) {
                scan.order = CsvDateOrder.DMY;
            } else if (monthFirst != null) {
                scan.order = CsvDateOrder.MDY;
            }
            return scan;
        }
    }
}

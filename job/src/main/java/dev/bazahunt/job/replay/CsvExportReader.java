package dev.bazahunt.job.replay;

import dev.bazahunt.telemetry.CsvDateOrder;
import dev.bazahunt.telemetry.DeadLetterReason;
import dev.bazahunt.telemetry.DefenderCsvExport;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.RawNeedles;
import dev.bazahunt.telemetry.RawPrefilter;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.core.fs.Path;

/**
 * Reads one CSV export ({@code .csv}, {@code .csv.gz}) whole, as {@link SourceLine}s whose bytes are each
 * record's flat JSON row ({@link DefenderCsvExport}), numbered by the file line the record starts on.
 * The pre-filter then judges each record's row exactly as it judges a JSON line, here rather than in
 * the parser, so a skipped record is never handed through Flink's chain.
 *
 * <p>A CSV file cannot be entered in the middle (a quoted field may hold line breaks), so it is one
 * split. A file the export reader refuses (its table unknown, its dates both day and month first),
 * and CSV that cannot be delimited past some line (an unterminated quote), become one dead letter
 * with the reason, instead of failing the job.
 */
final class CsvExportReader implements BulkFormat.Reader<SourceLine> {
    private static final int BATCH_RECORDS = 512;

    private final String file;
    private final boolean prefilter;
    private final RawNeedles extraNeedles;
    /** The table the file's name gives, which the parser is told too; or null. */
    private final DefenderTable tableHint;
    private DefenderCsvExport export;
    /** Records consumed, emitted or skipped: the checkpoint position. */
    private long consumed;
    private long skippedUnreported;
    private boolean finished;
    private SourceLine pendingRefusal;

    CsvExportReader(Path path, String file, boolean prefilter, RawNeedles extraNeedles, CsvDateOrder dateOrder,
            boolean gzip) throws IOException {
        this.file = file;
        this.prefilter = prefilter;
        this.extraNeedles = extraNeedles;
        this.tableHint = DefenderTable.fromPath(file);
        try {
            this.export = DefenderCsvExport.open(() -> open(path, gzip), tableHint, dateOrder);
            if (export.refusal() != null) {
                pendingRefusal = SourceLine.refusal(file, 1L, DeadLetterReason.UNRECOGNISED_FORM, export.refusal());
            }
        } catch (IOException unreadable) {
            pendingRefusal = SourceLine.refusal(file, 1L, DeadLetterReason.MALFORMED_CSV,
                    "the CSV header cannot be read: " + unreadable.getMessage());
        }
    }

    private static InputStream open(Path path, boolean gzip) throws IOException {
        InputStream raw = path.getFileSystem().open(path);
        return gzip ? new java.util.zip.GZIPInputStream(raw, 64 * 1024) : raw;
    }

    /** Skips the records a restored reader had already consumed. */
    void skipRecords(long count) throws IOException {
        while (consumed < count && !finished) {
            if (nextRow() == null) {
                break;
            }
        }
        skippedUnreported = 0;
    }

    @Override
    public BulkFormat.RecordIterator<SourceLine> readBatch() throws IOException {
        if (pendingRefusal != null) {
            SourceLine refusal = pendingRefusal;
            pendingRefusal = null;
            finished = true;
            return new TelemetryFileFormat.LineBatch(new SourceLine[] {refusal}, new long[] {++consumed}, 1);
        }
        if (finished) {
            return null;
        }
        SourceLine[] batch = new SourceLine[BATCH_RECORDS + 1];
        long[] positions = new long[BATCH_RECORDS + 1];
        int count = 0;
        // Bounded by bytes too, as the line reader's batches are (TelemetryFileFormat.DEFAULT_BATCH_BYTES).
        long bytes = 0;
        while (count < BATCH_RECORDS && bytes < TelemetryFileFormat.DEFAULT_BATCH_BYTES && !finished) {
            byte[] row;
            try {
                row = nextRow();
            } catch (IOException broken) {
                finished = true;
                batch[count] = SourceLine.refusal(file, export.rowLine() + 1, DeadLetterReason.MALFORMED_CSV,
                        "the CSV cannot be read past line " + export.rowLine() + ": " + broken.getMessage());
                positions[count++] = ++consumed;
                break;
            }
            if (row == null) {
                break;
            }
            bytes += row.length;
            if (prefilter && !RawPrefilter.mayMatter(row, tableHint) && (extraNeedles == null || !extraNeedles.foundIn(row))) {
                skippedUnreported++;
                continue;
            }
            SourceLine line = new SourceLine(file, export.rowLine(), -1, row, false);
            line.prefilterSkippedBefore = skippedUnreported;
            skippedUnreported = 0;
            positions[count] = consumed;
            batch[count++] = line;
        }
        if (skippedUnreported > 0) {
            positions[count] = consumed;
            batch[count++] = SourceLine.skippedTally(file, skippedUnreported);
            skippedUnreported = 0;
        }
        return count == 0 ? null : new TelemetryFileFormat.LineBatch(batch, positions, count);
    }

    private byte[] nextRow() throws IOException {
        byte[] row = export.nextRow();
        if (row == null) {
            finished = true;
        } else {
            consumed++;
        }
        return row;
    }

    @Override
    public void close() throws IOException {
        if (export != null) {
            export.close();
        }
    }
}

package dev.bazahunt.job.replay;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;

/**
 * Reads exported telemetry files (JSON lines, optionally gzip) as raw byte lines that know their file
 * and line number, so a dead letter can say exactly where it came from. Flink's TextLineInputFormat
 * cannot: a StreamFormat never sees the file path, and it decodes every line to a String that the
 * parser would only turn back into bytes. A file is one split (gzip is not splittable); on restore the
 * reader skips the lines it had already emitted.
 */
public final class TelemetryFileFormat implements BulkFormat<SourceLine, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    /** Lines handed to Flink per batch. */
    private static final int BATCH_LINES = 512;
    /** Longer lines are cut here and dead-lettered: one huge record must not exhaust the heap. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final int maxLineBytes;

    public TelemetryFileFormat() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public TelemetryFileFormat(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public Reader<SourceLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split.path(), open(split.path()), 0, maxLineBytes);
    }

    @Override
    public Reader<SourceLine> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long alreadyEmitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        LineReader reader = new LineReader(split.path(), open(split.path()), alreadyEmitted, maxLineBytes);
        reader.skipLines(alreadyEmitted);
        return reader;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
        return TypeInformation.of(SourceLine.class);
    }

    private static InputStream open(Path path) throws IOException {
        InputStream raw = path.getFileSystem().open(path);
        return path.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")
                ? new GZIPInputStream(raw, 64 * 1024)
                : raw;
    }

    private static final class LineReader implements Reader<SourceLine> {
        private final String file;
        private final LineSplitter lines;
        private long emitted;

        LineReader(Path path, InputStream in, long emitted, int maxLineBytes) {
            // Local files are reported as plain paths; other file systems keep their scheme (s3://...).
            this.file = "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
            this.lines = new LineSplitter(in, maxLineBytes);
            this.emitted = emitted;
        }

        void skipLines(long count) throws IOException {
            for (long i = 0; i < count && lines.next(); i++) {
                // skipped: these lines were emitted before the checkpoint
            }
        }

        @Override
        public RecordIterator<SourceLine> readBatch() throws IOException {
            SourceLine[] batch = new SourceLine[BATCH_LINES];
            int count = 0;
            long firstLine = emitted;
            while (count < BATCH_LINES && lines.next()) {
                long lineNumber = firstLine + count + 1;
                batch[count] = new SourceLine(file, lineNumber, lines.copyOfLine(), lines.truncated());
                count++;
            }
            if (count == 0) {
                return null;
            }
            emitted += count;
            ArrayResultIterator<SourceLine> iterator = new ArrayResultIterator<>();
            iterator.set(batch, count, CheckpointedPosition.NO_OFFSET, firstLine);
            return iterator;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}

package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.telemetry.CsvDateOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file reader's batches: what Flink holds in memory at once per reader. */
class TelemetryFileFormatTest {
    @TempDir
    Path temp;

    /** A DeviceProcessEvents row whose command line is padded to about {@code bytes} bytes. */
    private static String hugeRow(int index, int bytes) {
        String head = "{\"Timestamp\":\"2021-07-01T10:00:00Z\",\"DeviceId\":\"dev-" + index + "\",\"ActionType\":"
                + "\"ProcessCreated\",\"FileName\":\"certutil.exe\",\"ProcessCommandLine\":\"certutil -urlcache -f ";
        String tail = "\"}";
        return head + "x".repeat(Math.max(0, bytes - head.length() - tail.length())) + tail;
    }

    private static List<List<SourceLine>> readAllBatches(TelemetryFileFormat format, Path file) throws IOException {
        long size = Files.size(file);
        FileSourceSplit split = new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, size,
                Files.getLastModifiedTime(file).toMillis(), size);
        List<List<SourceLine>> batches = new ArrayList<>();
        try (BulkFormat.Reader<SourceLine> reader = format.createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<SourceLine> batch;
            while ((batch = reader.readBatch()) != null) {
                List<SourceLine> lines = new ArrayList<>();
                RecordAndPosition<SourceLine> record;
                while ((record = batch.next()) != null) {
                    lines.add(record.getRecord());
                }
                batch.releaseBatch();
                batches.add(lines);
            }
        }
        return batches;
    }

    @Test
    void aBatchOfHugeLinesEndsAtItsByteBudgetNotAtItsLineCount() throws IOException {
        int lineBytes = 64 * 1024;
        long budget = 256 * 1024;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append(hugeRow(i, lineBytes)).append('\n');
        }
        Path file = Files.writeString(temp.resolve("DeviceProcessEvents-huge.jsonl"), text, StandardCharsets.UTF_8);

        for (boolean prefilter : new boolean[] {false, true}) {
            List<List<SourceLine>> batches = readAllBatches(
                    new TelemetryFileFormat(TelemetryFileFormat.DEFAULT_MAX_LINE_BYTES, prefilter, CsvDateOrder.MDY, null, budget,
                            TelemetryFileFormat.SCAN_BYTES_PER_BATCH), file);

            long lines = 0;
            for (List<SourceLine> batch : batches) {
                long bytes = batch.stream().filter(line -> !line.isSkippedTally()).mapToLong(line -> line.bytes.length).sum();
                // The budget, plus the one line that crossed it.
                assertThat(bytes).as("prefilter %s", prefilter).isLessThanOrEqualTo(budget + lineBytes);
                lines += batch.stream().filter(line -> !line.isSkippedTally()).count();
            }
            assertThat(lines).as("every line is still read, prefilter %s", prefilter).isEqualTo(100);
            assertThat(batches.size()).isGreaterThanOrEqualTo(100 * lineBytes / (int) (budget + lineBytes));
        }
    }

    @Test
    void smallLinesStillComeInBatchesOfManyLines() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append(hugeRow(i, 300)).append('\n');
        }
        Path file = Files.writeString(temp.resolve("DeviceProcessEvents-small.jsonl"), text, StandardCharsets.UTF_8);

        List<List<SourceLine>> batches = readAllBatches(new TelemetryFileFormat(false), file);

        assertThat(batches).hasSize(4); // 512 lines a batch: 2000 lines of 300 bytes are far below the byte budget
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(2000);
    }

    @Test
    void skippedLinesEndABatchAtItsScanBudgetAndAreAllCounted() throws IOException {
        String benign = "{\"Timestamp\":\"2021-07-01T10:00:00Z\",\"DeviceId\":\"dev-1\",\"FileName\":\"notes.txt\"}";
        Path file = Files.writeString(temp.resolve("DeviceFileEvents-benign.jsonl"), (benign + "\n").repeat(60_000),
                StandardCharsets.UTF_8);
        long scanBudget = 1 << 20;

        List<List<SourceLine>> batches = readAllBatches(new TelemetryFileFormat(TelemetryFileFormat.DEFAULT_MAX_LINE_BYTES,
                true, CsvDateOrder.MDY, null, TelemetryFileFormat.DEFAULT_BATCH_BYTES, scanBudget), file);

        // Each batch is one tally of the lines its reads skipped: a read or two each, not the whole file.
        assertThat(batches.size()).isGreaterThanOrEqualTo((int) (Files.size(file) / (2 * scanBudget)));
        assertThat(batches).allSatisfy(batch -> assertThat(batch).singleElement().matches(SourceLine::isSkippedTally));
        assertThat(batches.stream().mapToLong(batch -> batch.get(0).prefilterSkippedBefore).sum()).isEqualTo(60_000);
    }
}

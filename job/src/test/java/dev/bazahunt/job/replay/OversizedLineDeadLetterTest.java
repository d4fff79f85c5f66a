package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.job.testing.TestRows;
import dev.bazahunt.telemetry.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line longer than the reader's limit is cut there and becomes one dead letter, with its reason, a
 * detail naming the limit, an excerpt of its start, and its file, line and byte offset; the lines around
 * it are read as usual. The real file format and parse function, in an operator harness.
 */
class OversizedLineDeadLetterTest {
    private static final int LIMIT = 1024;

    @TempDir
    Path temp;

    @Test
    void anOversizedLineIsOneDeadLetterThatSaysWhereAndWhy() throws Exception {
        Instant at = Instant.parse("2021-07-20T14:02:58Z");
        String first = TestRows.line(TestRows.download(TestRows.DEVICE, at, 1));
        String huge = TestRows.line(TestRows.download(TestRows.DEVICE, at, 2)
                .put("AdditionalFields", "x".repeat(5_000)));
        String last = TestRows.line(TestRows.download(TestRows.DEVICE, at, 3));
        Path file = Files.writeString(temp.resolve("DeviceFileEvents.jsonl"), first + "\n" + huge + "\n" + last + "\n",
                StandardCharsets.UTF_8);

        List<TelemetryRecord> records = parse(read(file));

        List<DeadLetter> letters = new ArrayList<>();
        List<Long> reportIds = new ArrayList<>();
        for (TelemetryRecord record : records) {
            if (record.deadLetter != null) {
                letters.add(record.deadLetter);
            } else {
                reportIds.add(record.fileEvent.reportId);
            }
        }
        assertThat(reportIds).containsExactly(1L, 3L);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason).isEqualTo("oversized-record");
            assertThat(letter.detail).isEqualTo("line longer than " + LIMIT + " bytes");
            assertThat(letter.excerpt).isEqualTo(huge.substring(0, DeadLetter.MAX_EXCERPT_CHARS) + "…");
            assertThat(letter.sourceFile).isEqualTo(file.toString());
            assertThat(letter.sourceLine).isEqualTo(2L);
            assertThat(letter.sourceByteOffset).isEqualTo(first.length() + 1L);
        });
    }

    private static List<SourceLine> read(Path file) throws Exception {
        long size = Files.size(file);
        FileSourceSplit split = new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, size, 0, size);
        List<SourceLine> lines = new ArrayList<>();
        try (BulkFormat.Reader<SourceLine> reader = new TelemetryFileFormat(LIMIT, false).createReader(new Configuration(), split)) {
            for (BulkFormat.RecordIterator<SourceLine> batch = reader.readBatch(); batch != null; batch = reader.readBatch()) {
                for (RecordAndPosition<SourceLine> line = batch.next(); line != null; line = batch.next()) {
                    lines.add(line.getRecord());
                }
                batch.releaseBatch();
            }
        }
        return lines;
    }

    @SuppressWarnings("unchecked")
    private static List<TelemetryRecord> parse(List<SourceLine> lines) throws Exception {
        List<TelemetryRecord> out = new ArrayList<>();
        try (OneInputStreamOperatorTestHarness<SourceLine, TelemetryRecord> harness =
                new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(new ParseSourceLines()))) {
            harness.open();
            for (SourceLine line : lines) {
                harness.processElement(new StreamRecord<>(line));
            }
            for (Object element : harness.getOutput()) {
                out.add(((StreamRecord<TelemetryRecord>) element).getValue());
            }
        }
        return out;
    }
}

package dev.bazahunt.job.replay;

import dev.bazahunt.rules.RuleColumns;
import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.pipeline.TelemetryCollector;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DeadLetterReason;
import dev.bazahunt.telemetry.DefenderRecordParser;
import dev.bazahunt.telemetry.DefenderTable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Parses file lines with the shared Defender parser; dead letters learn their file and line. Lines the
 * reader's pre-filter skipped arrive only as counts, which are added to the lines read.
 */
public final class ParseSourceLines extends RichFlatMapFunction<SourceLine, TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private transient DefenderRecordParser parser;
    private transient TelemetryCollector collector;
    private transient HuntCounter linesRead;
    private transient String hintFile;
    private transient DefenderTable hint;
    private transient HuntCounter prefilterSkipped;
    private transient HuntCounter repairedRows;

    @Override
    public void open(OpenContext openContext) {
        parser = new DefenderRecordParser(RuleColumns.builtIn());
        repairedRows = HuntCounter.register(getRuntimeContext(), HuntCounter.REPAIRED_ROWS);
        collector = new TelemetryCollector().countingRepairs(repairedRows::inc);
        linesRead = HuntCounter.register(getRuntimeContext(), HuntCounter.INPUT_UNITS);
        prefilterSkipped = HuntCounter.register(getRuntimeContext(), HuntCounter.PREFILTER_SKIPPED);
    }

    /**
     * Rows that do not name their table (an Advanced Hunting export has no Type column) take it from
     * the file's path, e.g. {@code insights-logs-advancedhunting-deviceprocessevents/…} or
     * {@code DeviceFileEvents-2021-07.jsonl}. Rows that name it keep their own.
     */
    private DefenderTable tableNamedBy(String file) {
        if (!file.equals(hintFile)) {
            hintFile = file;
            hint = DefenderTable.fromPath(file);
        }
        return hint;
    }

    @Override
    public void flatMap(SourceLine line, Collector<TelemetryRecord> out) {
        linesRead.add(line.prefilterSkippedBefore);
        prefilterSkipped.add(line.prefilterSkippedBefore);
        if (line.isSkippedTally()) {
            return;
        }
        linesRead.inc();
        collector.from(out, letter -> {
            letter.sourceFile = line.file;
            letter.sourceLine = line.lineNumber;
            letter.sourceByteOffset = line.byteOffset < 0 ? null : line.byteOffset; // CSV records have line numbers only
        });
        if (line.refusal != null) {
            collector.deadLetter(DeadLetter.of(DeadLetterReason.valueOf(line.refusalReason), line.refusal, "", -1));
            return;
        }
        if (line.truncated) {
            DeadLetter letter = DeadLetter.of(DeadLetterReason.OVERSIZED_RECORD,
                    "line longer than " + line.bytes.length + " bytes",
                    new String(line.bytes, 0, Math.min(line.bytes.length, 4 * DeadLetter.MAX_EXCERPT_CHARS),
                            StandardCharsets.UTF_8), -1);
            collector.deadLetter(letter);
            return;
        }
        parser.parse(line.bytes, 0, line.bytes.length, tableNamedBy(line.file), collector);
    }
}

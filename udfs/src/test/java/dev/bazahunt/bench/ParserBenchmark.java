package dev.bazahunt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DefenderRecordParser;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.EmailEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.ParsedRecordSink;
import dev.bazahunt.telemetry.RawPrefilter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** One ~1.3 KB Storage blob line: full streaming parse against the raw-byte pre-filter's verdict. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParserBenchmark {
    private static final ObjectMapper DATABIND = new ObjectMapper();
    private final DefenderRecordParser parser = new DefenderRecordParser();
    private final BlackholeSink sink = new BlackholeSink();

    @Benchmark
    public void parseBenignLine(Blackhole blackhole) {
        sink.blackhole = blackhole;
        parser.parse(TelemetryLines.BENIGN_FILE_WRITE, sink);
    }

    @Benchmark
    public void parseDownloadLine(Blackhole blackhole) {
        sink.blackhole = blackhole;
        parser.parse(TelemetryLines.RENAMED_CERTUTIL_DOWNLOAD, sink);
    }

    /**
     * The databind alternative's floor: only building Jackson's tree of the same line, before any
     * column is mapped to the model. Measured here it costs about as much time as the whole streaming
     * parse above and allocates more, so the parser streams.
     */
    @Benchmark
    public JsonNode databindTreeOfBenignLine() throws IOException {
        return DATABIND.readTree(TelemetryLines.BENIGN_FILE_WRITE);
    }

    @Benchmark
    public boolean prefilterBenignLine() {
        return RawPrefilter.mayMatter(TelemetryLines.BENIGN_FILE_WRITE);
    }

    /** The file reader's scan of one line: the vector scan, as JMH forks with the vector module. */
    @Benchmark
    public long prefilterScanBenignLine() {
        byte[] line = TelemetryLines.BENIGN_FILE_WRITE;
        return RawPrefilter.scan(line, 0, 0, line.length, true);
    }

    @Benchmark
    public boolean prefilterDownloadLine() {
        return RawPrefilter.mayMatter(TelemetryLines.RENAMED_CERTUTIL_DOWNLOAD);
    }

    private static final class BlackholeSink implements ParsedRecordSink {
        Blackhole blackhole;

        @Override
        public void fileEvent(DeviceFileEvent event) {
            blackhole.consume(event);
        }

        @Override
        public void processEvent(DeviceProcessEvent event) {
            blackhole.consume(event);
        }

        @Override
        public void networkEvent(DeviceNetworkEvent event) {
            blackhole.consume(event);
        }

        @Override
        public void emailEvent(EmailEvent event) {
            blackhole.consume(event);
        }

        @Override
        public void skipped(String tableName) {
            blackhole.consume(tableName);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            blackhole.consume(deadLetter);
        }
    }
}

package dev.bazahunt.job.testing;

import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntPipeline;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.HuntTuning;
import dev.bazahunt.job.pipeline.HuntWatermarks;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.job.pipeline.TelemetryCollector;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.rules.RuleColumns;
import dev.bazahunt.telemetry.DefenderRecordParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * Live mode's pipeline without the broker: the lines, in the order given (as one Kafka partition
 * would deliver them), through the shared hunt in STREAMING mode with live mode's revision policy and
 * a bounded-out-of-orderness watermark. Returns every alert revision written, in order.
 */
public final class LiveHunt {
    private LiveHunt() {}

    public static List<String> run(List<String> lines, Duration maxOutOfOrderness, int parallelism) throws Exception {
        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        DataStream<TelemetryRecord> telemetry = env.fromData(lines).setParallelism(1)
                .flatMap(new ParseLines()).setParallelism(1)
                .assignTimestampsAndWatermarks(HuntWatermarks.forTelemetry(maxOutOfOrderness, Duration.ofSeconds(1)))
                .setParallelism(1);
        HuntSettings settings = new HuntSettings(HuntSettings.DEFAULT_WINDOW, RevisionPolicy.EVERY_CHANGE,
                Duration.ofHours(24), HuntTuning.NONE);
        HuntOutputs outputs = HuntPipeline.attach(telemetry, settings);
        List<String> alerts = new ArrayList<>();
        try (CloseableIterator<String> it = outputs.alerts().map(alert -> alert.json).returns(Types.STRING)
                .executeAndCollect("bazahunt live pipeline test")) {
            it.forEachRemaining(alerts::add);
        }
        return alerts;
    }

    /** Parses each line with the shared Defender parser, as live mode's deserializer does. */
    private static final class ParseLines extends RichFlatMapFunction<String, TelemetryRecord> {
        private static final long serialVersionUID = 1L;
        private transient DefenderRecordParser parser;
        private transient TelemetryCollector collector;

        @Override
        public void open(OpenContext openContext) {
            parser = new DefenderRecordParser(RuleColumns.builtIn());
            collector = new TelemetryCollector();
        }

        @Override
        public void flatMap(String line, Collector<TelemetryRecord> out) {
            parser.parse(line.getBytes(StandardCharsets.UTF_8), collector.from(out, letter -> {}));
        }
    }
}

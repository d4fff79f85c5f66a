package dev.bazahunt.job.stream;

import dev.bazahunt.job.pipeline.AlertRecord;
import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntPipeline;
import dev.bazahunt.job.pipeline.HuntWatermarks;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.telemetry.DeadLetter;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Live hunting: Kafka (or Azure Event Hubs' Kafka endpoint) in, the shared hunt pipeline, alerts and
 * dead letters out to Kafka. Watermarks are generated per partition inside the source, with idleness,
 * so one quiet partition does not hold back correlation. Exactly-once delivery writes through Kafka
 * transactions committed on checkpoints; at-least-once may repeat an (AlertId, Revision) after a
 * failure, which is harmless to upserting consumers because AlertIds are deterministic.
 */
public final class KafkaHuntJob {
    private KafkaHuntJob() {}

    /**
     * The environment for live mode; the same code under {@code flink run} picks up the cluster's
     * configuration, and its checkpointing is left alone unless options say otherwise (see
     * {@link StreamCheckpointing}).
     *
     * @param restoreFrom a savepoint or retained checkpoint to start from, or null
     */
    public static StreamExecutionEnvironment environment(StreamSettings settings, String restoreFrom) {
        Configuration config = new Configuration(settings.flinkConfig());
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        if (restoreFrom != null) {
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.configure(StreamCheckpointing.overrides(env.getConfiguration(), settings));
        if (settings.parallelism() != null) {
            env.setParallelism(settings.parallelism());
        }
        return env;
    }

    /** The environment, restoring from {@code --from-savepoint} if given. */
    public static StreamExecutionEnvironment environment(StreamSettings settings) {
        return environment(settings, settings.fromSavepoint());
    }

    public static HuntOutputs build(StreamExecutionEnvironment env, StreamSettings settings) {
        DataStream<TelemetryRecord> telemetry = env
                .fromSource(source(settings),
                        HuntWatermarks.forTelemetry(settings.maxOutOfOrderness(), settings.idleness(),
                                settings.hunt().maxClockSkew()),
                        "kafka: " + String.join(",", settings.inputTopics()))
                .uid("kafka-telemetry")
                // Clock records of skipped messages have moved the source's watermark; the hunt needs no more of them.
                .filter(record -> !record.isClock())
                .name("drop clock records")
                .uid("drop-clock-records");

        HuntOutputs outputs = HuntPipeline.attach(telemetry, settings.hunt());
        outputs.alerts()
                .sinkTo(sink(settings, new AlertRecordSerializer(settings.alertsTopic()), "alerts"))
                .name("kafka: " + settings.alertsTopic())
                .uid("alerts-sink");
        outputs.deadLetters()
                .sinkTo(sink(settings, new DeadLetterSerializer(settings.deadLetterTopic()), "dead-letters"))
                .name("kafka: " + settings.deadLetterTopic())
                .uid("dead-letters-sink");
        if (settings.exclusionAuditTopic() != null) {
            outputs.exclusionAudit()
                    .sinkTo(sink(settings, new JsonLineSerializer(settings.exclusionAuditTopic()), "exclusion-audit"))
                    .name("kafka: " + settings.exclusionAuditTopic())
                    .uid("exclusion-audit-sink");
        }
        // Late records are counted (a metric and an accumulator) by the pipeline; nothing more to write.
        outputs.lateForCorrelation().sinkTo(new DiscardingSink<>()).name("late records (counted)").uid("late-sink");
        return outputs;
    }

    /** The Kafka source, with only consumer settings. */
    static KafkaSource<TelemetryRecord> source(StreamSettings settings) {
        KafkaSourceBuilder<TelemetryRecord> sourceBuilder = KafkaSource.<TelemetryRecord>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(settings.inputTopics())
                .setGroupId(settings.groupId())
                .setStartingOffsets(settings.startingOffsets())
                .setDeserializer(new TelemetryDeserializer(settings.prefilter(), settings.maxMessageBytes(),
                        settings.hunt().tuning().extraPrefilterNeedles()))
                .setProperties(settings.kafka().consumer());
        if (settings.bounded()) {
            sourceBuilder.setBounded(OffsetsInitializer.latest());
        }
        return sourceBuilder.build();
    }

    /** A Kafka sink, with only producer settings. */
    static <T> KafkaSink<T> sink(StreamSettings settings, KafkaRecordSerializationSchema<T> serializer,
            String purpose) {
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setKafkaProducerConfig(settings.kafka().producer())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(settings.delivery());
        if (settings.delivery() == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + purpose);
        }
        return builder.build();
    }
}

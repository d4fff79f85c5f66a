package dev.bazahunt.job.stream;

import dev.bazahunt.job.pipeline.AlertRecord;
import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntPipeline;
import dev.bazahunt.job.pipeline.HuntWatermarks;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.telemetry.DeadLetter;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
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
import org.apache.flink.core.execution.CheckpointingMode;
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

    /** The environment for live mode; the same code under {@code flink run} picks up the cluster's. */
    public static StreamExecutionEnvironment environment(StreamSettings settings) {
        Configuration config = new Configuration();
        config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
        if (settings.checkpointDir() != null) {
            config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir());
        }
        if (settings.fromSavepoint() != null) {
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, settings.fromSavepoint());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        if (settings.parallelism() != null) {
            env.setParallelism(settings.parallelism());
        }
        return env;
    }

    public static HuntOutputs build(StreamExecutionEnvironment env, StreamSettings settings) {
        KafkaSourceBuilder<TelemetryRecord> sourceBuilder = KafkaSource.<TelemetryRecord>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(settings.inputTopics())
                .setGroupId(settings.groupId())
                .setStartingOffsets(settings.startingOffsets())
                .setDeserializer(new TelemetryDeserializer(settings.prefilter()))
                .setProperties(settings.kafkaProperties());
        if (settings.bounded()) {
            sourceBuilder.setBounded(OffsetsInitializer.latest());
        }
        DataStream<TelemetryRecord> telemetry = env
                .fromSource(sourceBuilder.build(),
                        HuntWatermarks.forTelemetry(settings.maxOutOfOrderness(), settings.idleness()),
                        "kafka: " + String.join(",", settings.inputTopics()))
                .uid("kafka-telemetry");

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

    private static <T> KafkaSink<T> sink(StreamSettings settings, KafkaRecordSerializationSchema<T> serializer,
            String purpose) {
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setKafkaProducerConfig(settings.kafkaProperties())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(settings.delivery());
        if (settings.delivery() == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + purpose);
        }
        return builder.build();
    }
}

package dev.bazahunt.job.stream;

import dev.bazahunt.rules.RuleColumns;
import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.pipeline.TelemetryCollector;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DeadLetterReason;
import dev.bazahunt.telemetry.DefenderRecordParser;
import dev.bazahunt.telemetry.RawNeedles;
import dev.bazahunt.telemetry.RawPrefilter;
import dev.bazahunt.telemetry.RawTimestamps;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.flink.util.Collector;

/**
 * Turns one Kafka message (an Event Hubs {@code records[]} batch, a Storage line or a flat row) into
 * telemetry records with the same parser replay uses, straight from the message bytes. Malformed input
 * becomes a dead letter that names its topic, partition and offset; this never throws, so one bad
 * message cannot fail the job.
 */
public final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private final boolean prefilter;
    private final RawNeedles extraNeedles;
    private final int maxMessageBytes;

    private transient DefenderRecordParser parser;
    private transient TelemetryCollector collector;
    private transient Counter messagesIn;
    private transient Counter prefilterSkipped;

    /**
     * @param prefilter skip, unparsed, messages whose raw bytes show they cannot matter
     * @param maxMessageBytes larger messages become dead letters without being parsed
     */
    public TelemetryDeserializer(boolean prefilter, int maxMessageBytes) {
        this(prefilter, maxMessageBytes, null);
    }

    /**
     * @param extraNeedles findings of further rules that keep a message the pre-filter would skip
     *     ({@code HuntTuning#extraPrefilterNeedles}), or null
     */
    public TelemetryDeserializer(boolean prefilter, int maxMessageBytes, RawNeedles extraNeedles) {
        this.prefilter = prefilter;
        this.maxMessageBytes = maxMessageBytes;
        this.extraNeedles = extraNeedles;
    }

    @Override
    public void open(InitializationContext context) {
        parser = new DefenderRecordParser(RuleColumns.builtIn());
        messagesIn = context.getMetricGroup().addGroup("bazahunt").counter(HuntCounter.INPUT_UNITS);
        Counter repairedRows = context.getMetricGroup().addGroup("bazahunt").counter(HuntCounter.REPAIRED_ROWS);
        collector = new TelemetryCollector().countingRepairs(repairedRows::inc);
        prefilterSkipped = context.getMetricGroup().addGroup("bazahunt").counter(HuntCounter.PREFILTER_SKIPPED);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> message, Collector<TelemetryRecord> out) {
        messagesIn.inc();
        collector.from(out, letter -> {
            letter.topic = message.topic();
            letter.partition = message.partition();
            letter.offset = message.offset();
        });
        byte[] value = message.value();
        if (value == null) {
            return; // a tombstone carries no telemetry
        }
        if (value.length > maxMessageBytes) {
            collector.deadLetter(DeadLetter.of(DeadLetterReason.OVERSIZED_RECORD,
                    "message of " + value.length + " bytes, more than --max-message-bytes " + maxMessageBytes,
                    new String(value, 0, Math.min(value.length, 4 * DeadLetter.MAX_EXCERPT_CHARS), StandardCharsets.UTF_8),
                    -1));
            return;
        }
        if (prefilter && !RawPrefilter.mayMatter(value) && (extraNeedles == null || !extraNeedles.foundIn(value))) {
            prefilterSkipped.inc();
            // Unparsed, but its event time still moves the watermark on (see RawTimestamps).
            long eventTime = RawTimestamps.newestMillis(value);
            if (eventTime != Long.MIN_VALUE) {
                out.collect(TelemetryRecord.clock(eventTime));
            }
            return;
        }
        parser.parse(value, collector);
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return TypeInformation.of(TelemetryRecord.class);
    }
}

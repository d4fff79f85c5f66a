package dev.bazahunt.job.stream;

import dev.bazahunt.job.pipeline.DeadLetterJson;
import dev.bazahunt.telemetry.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Dead letters as JSON with their reason, excerpt and origin (topic, partition, offset). A bad record
 * may have no DeviceId, so the key is its origin instead: re-deliveries of one message share a key.
 */
// The record timestamp is the time of writing, as for alerts (see AlertRecordSerializer).
final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        String origin = letter.topic + "-" + letter.partition + "@" + letter.offset;
        return new ProducerRecord<>(topic, null, null, origin.getBytes(StandardCharsets.UTF_8),
                DeadLetterJson.write(letter).getBytes(StandardCharsets.UTF_8));
    }
}

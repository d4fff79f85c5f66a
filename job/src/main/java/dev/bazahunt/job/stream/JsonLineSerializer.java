package dev.bazahunt.job.stream;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Ready-made JSON lines (the exclusion audit) to a topic, without a key. */
// The record timestamp is the time of writing, as for alerts (see AlertRecordSerializer).
final class JsonLineSerializer implements KafkaRecordSerializationSchema<String> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    JsonLineSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(String json, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, null, null, json.getBytes(StandardCharsets.UTF_8));
    }
}

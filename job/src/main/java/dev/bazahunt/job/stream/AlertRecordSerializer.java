package dev.bazahunt.job.stream;

import dev.bazahunt.job.pipeline.AlertRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts keyed by AlertId: every revision of an alert lands in one partition, in order, and a compacted
 * topic or an upserting consumer keeps the latest revision of each alert. (A device's base alert and
 * its correlated alert have different AlertIds, so compaction never lets one overwrite the other.)
 *
 * <p>The Kafka record timestamp is left to the producer (the time of writing), never the alert's event
 * time: an alert about a download months ago, found by replaying history, would otherwise fall behind
 * the topic's retention at once, and the broker would delete it at its next retention check. The
 * event time is in the alert's own Timestamp field.
 */
final class AlertRecordSerializer implements KafkaRecordSerializationSchema<AlertRecord> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    AlertRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AlertRecord alert, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, null,
                alert.alertId.getBytes(StandardCharsets.UTF_8),
                alert.json.getBytes(StandardCharsets.UTF_8));
    }
}

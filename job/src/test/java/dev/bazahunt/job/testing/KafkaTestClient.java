package dev.bazahunt.job.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces test input and reads job output the way a SIEM would: read_committed, from the beginning. */
public final class KafkaTestClient {
    private final String bootstrapServers;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public record Message(String key, String value, int partition, long offset) {}

    /** Sends each (key, value); a null partition lets the key choose it. */
    public void produce(String topic, List<String[]> keyValues, Integer partition) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String[] keyValue : keyValues) {
                byte[] key = keyValue[0] == null ? null : keyValue[0].getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, partition, key, keyValue[1].getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /**
     * Sends each (key, value) at about {@code messagesPerSecond}, without waiting for each send, as a
     * live feed would; per-partition order is kept by the idempotent producer. Returns once all are acked.
     */
    public void producePaced(String topic, List<String[]> keyValues, int messagesPerSecond) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < keyValues.size(); i++) {
                String[] keyValue = keyValues.get(i);
                producer.send(new ProducerRecord<>(topic, keyValue[0].getBytes(StandardCharsets.UTF_8),
                        keyValue[1].getBytes(StandardCharsets.UTF_8)));
                long due = started + (long) i * 1_000_000_000L / messagesPerSecond;
                long ahead = due - System.nanoTime();
                if (ahead > 1_000_000) {
                    Thread.sleep(ahead / 1_000_000);
                }
            }
            producer.flush();
        }
    }

    /**
     * Everything committed in the topic: at least up to each partition's last stable offset when called
     * (so a slow first fetch of one partition cannot cut the result short), then whatever else arrives
     * until nothing new has for {@code quiet}.
     */
    public List<Message> readCommitted(String topic, Duration quiet) {
        return readCommittedUntil(topic, quiet, Duration.ofSeconds(90), messages -> true);
    }

    /**
     * Reads committed messages, from every partition's beginning, until each partition's last stable
     * offset at the start is reached, {@code done} holds and then nothing new arrives for {@code quiet};
     * or until {@code timeout}.
     */
    public List<Message> readCommittedUntil(String topic, Duration quiet, Duration timeout, Predicate<List<Message>> done) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Message> messages = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // Partitions assigned directly, not through a consumer group: no rebalance delays the first fetch.
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> stableEnds = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int before = messages.size();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    messages.add(new Message(
                            record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                            new String(record.value(), StandardCharsets.UTF_8), record.partition(), record.offset()));
                }
                if (messages.size() > before) {
                    lastNew = System.nanoTime();
                } else if (reached(consumer, stableEnds) && System.nanoTime() - lastNew > quiet.toNanos()
                        && done.test(messages)) {
                    break;
                }
            }
        }
        return messages;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}

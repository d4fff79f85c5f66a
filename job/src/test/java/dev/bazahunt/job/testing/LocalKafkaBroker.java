package dev.bazahunt.job.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka broker for the integration tests: started once per test JVM through the project's own
 * {@code deploy/local/kafka.sh} (a separate JVM, KRaft, 127.0.0.1, free ports, a temp data dir) and
 * stopped when the JVM exits.
 */
public final class LocalKafkaBroker {
    private static LocalKafkaBroker instance;

    private final Path dataDir;
    private final String bootstrapServers;

    private LocalKafkaBroker(Path dataDir, String bootstrapServers) {
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized LocalKafkaBroker get() throws Exception {
        if (instance == null) {
            // Under target/, so the broker's logs (broker.out, server.log) stay next to the test reports.
            Path dataDir = Files.createTempDirectory(
                    Files.createDirectories(Path.of("target", "test-kafka").toAbsolutePath()), "broker-");
            String output = LocalScripts.run("kafka.sh", "start", "--port", String.valueOf(LocalScripts.freePort()),
                    "--controller-port", String.valueOf(LocalScripts.freePort()), "--data-dir", dataDir.toString());
            instance = new LocalKafkaBroker(dataDir, LocalScripts.lastLine(output));
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "stop-kafka"));
        }
        return instance;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(java.util.Arrays.stream(topics)
                    .map(topic -> new NewTopic(topic, partitions, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** The sum of a consumer group's committed offsets: how many messages it has fully processed. */
    public long committedMessages(String groupId) throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS)
                    .values().stream().mapToLong(offset -> offset == null ? 0 : offset.offset()).sum();
        }
    }

    private Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    private void stop() {
        try {
            LocalScripts.run("kafka.sh", "stop", "--data-dir", dataDir.toString());
        } catch (Exception e) {
            System.err.println("could not stop the test Kafka broker: " + e);
        }
    }
}

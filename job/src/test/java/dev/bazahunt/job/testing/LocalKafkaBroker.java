package dev.bazahunt.job.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("deploy/local/kafka.sh");
    private static LocalKafkaBroker instance;

    private final Path dataDir;
    private final String bootstrapServers;

    private LocalKafkaBroker(Path dataDir, String bootstrapServers) {
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized LocalKafkaBroker get() throws Exception {
        if (instance == null) {
            Path dataDir = Files.createTempDirectory("bazahunt-kafka-");
            String output = run(SCRIPT.toString(), "start", "--port", String.valueOf(freePort()),
                    "--controller-port", String.valueOf(freePort()), "--data-dir", dataDir.toString());
            String[] lines = output.strip().split("\n");
            instance = new LocalKafkaBroker(dataDir, lines[lines.length - 1].trim());
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

    private Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    private void stop() {
        try {
            run(SCRIPT.toString(), "stop", "--data-dir", dataDir.toString());
        } catch (Exception e) {
            System.err.println("could not stop the test Kafka broker: " + e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                    + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}

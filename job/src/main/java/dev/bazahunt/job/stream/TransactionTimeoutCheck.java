package dev.bazahunt.job.stream;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Exactly-once start-up check: the producer's {@code transaction.timeout.ms} must not exceed the
 * broker's {@code transaction.max.timeout.ms}, or every transactional producer fails to initialise and
 * the job restart-loops. The broker's maximum is read with the admin client's describeConfigs.
 */
public final class TransactionTimeoutCheck {
    static final String BROKER_MAXIMUM = "transaction.max.timeout.ms";
    static final String PRODUCER_TIMEOUT = "transaction.timeout.ms";

    private TransactionTimeoutCheck() {}

    /**
     * Why the job must not start, or null when it may. A broker that does not tell (a managed service
     * may refuse describeConfigs) is reported on {@code warnings} and lets the job start.
     */
    public static String problem(Properties adminProperties, long producerTimeoutMs, PrintStream warnings)
            throws Exception {
        Properties properties = new Properties();
        properties.putAll(adminProperties);
        properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        try (Admin admin = Admin.create(properties)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                return null;
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER,
                    String.valueOf(nodes.iterator().next().id()));
            Config config;
            try {
                config = admin.describeConfigs(List.of(broker)).all().get(60, TimeUnit.SECONDS).get(broker);
            } catch (ExecutionException e) {
                warnings.println("bazahunt stream: cannot read the broker's " + BROKER_MAXIMUM + " ("
                        + e.getCause().getMessage() + "); make sure it is at least " + producerTimeoutMs + " ms");
                return null;
            }
            ConfigEntry maximum = config == null ? null : config.get(BROKER_MAXIMUM);
            if (maximum == null || maximum.value() == null) {
                return null;
            }
            return compare(producerTimeoutMs, Long.parseLong(maximum.value()));
        }
    }

    static String compare(long producerTimeoutMs, long brokerMaximumMs) {
        if (producerTimeoutMs <= brokerMaximumMs) {
            return null;
        }
        return "the producer's " + PRODUCER_TIMEOUT + " (" + producerTimeoutMs + " ms) is above the broker's "
                + BROKER_MAXIMUM + " (" + brokerMaximumMs + " ms), so the broker would refuse every transaction."
                + " Raise " + BROKER_MAXIMUM + " on the brokers to at least " + producerTimeoutMs
                + ", or lower the producer's with --kafka-property producer." + PRODUCER_TIMEOUT + "=" + brokerMaximumMs
                + " (exactly-once then survives outages of up to " + brokerMaximumMs / 60_000 + " min only),"
                + " or use --delivery at-least-once";
    }
}

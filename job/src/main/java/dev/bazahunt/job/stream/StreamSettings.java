package dev.bazahunt.job.stream;

import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.Durations;
import dev.bazahunt.job.cli.FlinkConfigOptions;
import dev.bazahunt.job.cli.ScanOptions;
import dev.bazahunt.job.cli.TuningOptions;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** The validated options of {@code bazahunt stream}, read once from the command line. */
public record StreamSettings(
        String bootstrapServers,
        List<String> inputTopics,
        String alertsTopic,
        String deadLetterTopic,
        String groupId,
        String startingOffsetsText,
        OffsetsInitializer startingOffsets,
        boolean bounded,
        DeliveryGuarantee delivery,
        String transactionalIdPrefix,
        /** Null when the cluster's configuration decides (see {@link StreamCheckpointing}). */
        Duration checkpointInterval,
        Duration maxOutOfOrderness,
        Duration idleness,
        HuntSettings hunt,
        KafkaClientProperties.Clients kafka,
        Integer parallelism,
        String checkpointDir,
        String fromSavepoint,
        String exclusionAuditTopic,
        boolean prefilter,
        /** Where stop-with-savepoint writes and start-up looks for state to resume from; null for none. */
        String stateDir,
        int maxMessageBytes,
        Configuration flinkConfig) {

    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofMinutes(2);
    public static final Duration DEFAULT_IDLENESS = Duration.ofMinutes(1);
    public static final Duration DEFAULT_ALERT_RETENTION = Duration.ofHours(24);
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofHours(1);
    public static final Duration DEFAULT_REVISION_MEMORY = Duration.ofDays(30);
    /**
     * How long the broker keeps a pre-committed transaction open: an outage of the job (failover,
     * upgrade, lost node) shorter than this loses no alert. Above the broker's default
     * transaction.max.timeout.ms of 15 min, so brokers must raise that; start-up checks it.
     */
    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = Duration.ofHours(1).toMillis();
    /** Larger messages become dead letters unparsed (Event Hubs caps messages at 1 MB, Kafka at 1 MB by default). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    public static StreamSettings from(CommandLine line, Map<String, String> environment) throws UsageException {
        String groupId = line.get("group-id", "bazahunt");
        String startingText = line.get("starting-offsets", "committed");
        String deliveryText = line.get("delivery", "exactly-once");
        DeliveryGuarantee delivery = switch (deliveryText) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default -> throw new UsageException(
                    "--delivery must be exactly-once or at-least-once, got '" + deliveryText + "'");
        };
        Duration window = line.duration("window", HuntSettings.DEFAULT_WINDOW);
        Duration retention = line.duration("alert-retention", DEFAULT_ALERT_RETENTION);
        KafkaClientProperties.Clients kafka = KafkaClientProperties.resolve(line.get("kafka-properties-file", null),
                line.all("kafka-property"), line.get("sasl-username", KafkaClientProperties.EVENT_HUBS_USERNAME),
                line.get("sasl-password-env", null), line.get("sasl-password-file", null), environment);
        kafka.producer().putIfAbsent("transaction.timeout.ms", String.valueOf(DEFAULT_TRANSACTION_TIMEOUT_MS));
        kafka.consumer().putIfAbsent("isolation.level", "read_committed");
        checkMillis(TransactionTimeoutCheck.PRODUCER_TIMEOUT, kafka.producer().getProperty(TransactionTimeoutCheck.PRODUCER_TIMEOUT));
        Integer parallelism = line.has("parallelism") ? line.positiveInt("parallelism", 1) : null;
        HuntSettings hunt = new HuntSettings(window, RevisionPolicy.EVERY_CHANGE, retention, TuningOptions.from(line),
                        TuningOptions.campaignWindow(line))
                .withMaxClockSkew(line.duration("max-clock-skew", DEFAULT_MAX_CLOCK_SKEW))
                .withRevisionMemory(line.duration("revision-memory", DEFAULT_REVISION_MEMORY))
                .withExcelChildBudget(line.positiveInt("excel-children-per-window", HuntSettings.DEFAULT_EXCEL_CHILD_BUDGET));
        return new StreamSettings(
                line.get("bootstrap-servers", null),
                List.copyOf(line.all("input-topic")),
                line.get("alerts-topic", null),
                line.get("dead-letter-topic", null),
                groupId,
                startingText,
                StartingOffsets.parse(startingText),
                line.has("bounded"),
                delivery,
                line.get("transactional-id-prefix", "bazahunt-" + groupId),
                line.has("checkpoint-interval") ? line.duration("checkpoint-interval", null) : null,
                nonNegative(line, "max-out-of-orderness", DEFAULT_MAX_OUT_OF_ORDERNESS),
                line.duration("idleness", DEFAULT_IDLENESS),
                hunt,
                kafka,
                parallelism,
                line.get("checkpoint-dir", null),
                line.get("from-savepoint", null),
                line.get("exclusion-audit-topic", null),
                ScanOptions.prefilter(line),
                line.get("state-dir", null),
                line.positiveInt("max-message-bytes", DEFAULT_MAX_MESSAGE_BYTES),
                FlinkConfigOptions.from(line, environment));
    }

    /** The producers' transaction timeout, as the sinks will use it. */
    public long transactionTimeoutMs() {
        return Long.parseLong(kafka.producer().getProperty(TransactionTimeoutCheck.PRODUCER_TIMEOUT).trim());
    }

    private static void checkMillis(String key, String text) throws UsageException {
        try {
            if (Long.parseLong(text.trim()) <= 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be a positive number of milliseconds, got '" + text + "'");
        }
    }

    /** A zero bound is valid: partitions whose rows arrive in order. */
    private static Duration nonNegative(CommandLine line, String name, Duration fallback) throws UsageException {
        String text = line.get(name, null);
        return text == null ? fallback : Durations.parseAllowingZero(name, text);
    }
}

package dev.bazahunt.job.stream;

import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.Durations;
import dev.bazahunt.job.cli.TuningOptions;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
        Duration checkpointInterval,
        Duration maxOutOfOrderness,
        Duration idleness,
        HuntSettings hunt,
        Properties kafkaProperties,
        Integer parallelism,
        String checkpointDir,
        String fromSavepoint,
        String exclusionAuditTopic,
        boolean prefilter) {

    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofMinutes(2);
    public static final Duration DEFAULT_IDLENESS = Duration.ofMinutes(1);
    public static final Duration DEFAULT_ALERT_RETENTION = Duration.ofHours(24);
    /**
     * Below the broker's default transaction.max.timeout.ms (15 min): a larger value makes every
     * transactional producer fail to initialise, and the job restart-loops.
     */
    public static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "600000";

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
        Properties kafka = KafkaClientProperties.resolve(line.get("kafka-properties-file", null),
                line.all("kafka-property"), line.get("sasl-username", KafkaClientProperties.EVENT_HUBS_USERNAME),
                line.get("sasl-password-env", null), line.get("sasl-password-file", null), environment);
        kafka.putIfAbsent("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
        kafka.putIfAbsent("isolation.level", "read_committed");
        Integer parallelism = line.has("parallelism") ? line.positiveInt("parallelism", 1) : null;
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
                line.duration("checkpoint-interval", DEFAULT_CHECKPOINT_INTERVAL),
                nonNegative(line, "max-out-of-orderness", DEFAULT_MAX_OUT_OF_ORDERNESS),
                line.duration("idleness", DEFAULT_IDLENESS),
                new HuntSettings(window, RevisionPolicy.EVERY_CHANGE, retention, TuningOptions.from(line),
                        TuningOptions.campaignWindow(line)),
                kafka,
                parallelism,
                line.get("checkpoint-dir", null),
                line.get("from-savepoint", null),
                line.get("exclusion-audit-topic", null),
                line.has("prefilter"));
    }

    /** A zero bound is valid: partitions whose rows arrive in order. */
    private static Duration nonNegative(CommandLine line, String name, Duration fallback) throws UsageException {
        String text = line.get(name, null);
        return text == null ? fallback : Durations.parseAllowingZero(name, text);
    }
}

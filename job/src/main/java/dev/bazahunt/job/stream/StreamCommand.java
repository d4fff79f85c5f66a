package dev.bazahunt.job.stream;

import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.LauncherJvm;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.ScanOptions;
import dev.bazahunt.job.cli.TuningOptions;
import dev.bazahunt.job.cli.Usage;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.storage.FileSystems;
import dev.bazahunt.telemetry.RawPrefilter;
import java.io.PrintStream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code bazahunt stream}: live hunting on Kafka or Azure Event Hubs. Locally it runs on the embedded
 * cluster; the same class runs unchanged from the shaded job jar under {@code flink run}.
 */
public final class StreamCommand {
    public static final String NAME = "stream";

    static final List<OptionSpec> OPTIONS = Stream.concat(Stream.of(
            OptionSpec.required("bootstrap-servers", "HOST:PORT",
                    "Kafka bootstrap servers; for Event Hubs <namespace>.servicebus.windows.net:9093."),
            OptionSpec.repeatable("input-topic", "TOPIC", "Topic (Event Hub) with Defender telemetry. Repeatable.", true),
            OptionSpec.required("alerts-topic", "TOPIC", "Topic for alerts (JSON, key = AlertId)."),
            OptionSpec.required("dead-letter-topic", "TOPIC", "Topic for records that could not be parsed."),
            OptionSpec.optional("group-id", "ID", "Consumer group id (default bazahunt)."),
            OptionSpec.optional("starting-offsets", "WHERE",
                    "earliest, latest, committed (default; earliest for a new group) or timestamp:<ISO-8601>."),
            OptionSpec.flag("bounded", "Stop at the offsets that are latest when the job starts (replay from Kafka)."),
            OptionSpec.optional("delivery", "GUARANTEE", "exactly-once (default; transactions) or at-least-once."),
            OptionSpec.optional("transactional-id-prefix", "PREFIX",
                    "Kafka transactional id prefix for exactly-once (default bazahunt-<group-id>)."),
            OptionSpec.optional("checkpoint-interval", "DURATION",
                    "Checkpoint interval (default: the cluster's, or 30s when it sets none)."),
            OptionSpec.optional("checkpoint-dir", "URI", "Checkpoint storage, e.g. file:///var/bazahunt/checkpoints."),
            OptionSpec.optional("from-savepoint", "PATH", "Restore from this savepoint or retained checkpoint."),
            OptionSpec.optional("state-dir", "URI", "Run as a service: Ctrl-C (or SIGTERM) stops with a savepoint here,"
                    + " and a start resumes from the newest savepoint or retained checkpoint here."),
            OptionSpec.optional("window", "DURATION", "Correlation window, before or after the download (default 30m)."),
            OptionSpec.optional("max-out-of-orderness", "DURATION",
                    "How far behind the newest row of a partition a row may arrive and still be correlated (default 2m)."),
            OptionSpec.optional("idleness", "DURATION", "A partition without data this long stops holding back time (default 1m)."),
            OptionSpec.optional("alert-retention", "DURATION",
                    "How long an alert's state outlives its window so late rows revise it (default 24h)."),
            OptionSpec.optional("revision-memory", "DURATION",
                    "How long each AlertId's last revision is remembered, so revisions never go back (default 30d)."),
            OptionSpec.optional("max-clock-skew", "DURATION", "Rows further ahead of the wall clock are counted"
                    + " (futureRecords), still alert, but neither advance event time nor correlate (default 1h)."),
            OptionSpec.optional("excel-children-per-window", "N", "Excel children per device and window held for"
                    + " correlation besides the stage-bearing ones; the rest are counted (default 64)."),
            OptionSpec.optional("max-message-bytes", "N", "Larger messages become dead letters, unparsed (default 8 MiB)."),
            OptionSpec.optional("parallelism", "N", "Flink parallelism (default: the cluster's)."),
            OptionSpec.repeatable("kafka-property", "KEY=VALUE", "Kafka client property. Repeatable. No secrets here.", false),
            OptionSpec.optional("kafka-properties-file", "FILE", "Kafka client properties file."),
            OptionSpec.optional("sasl-username", "USER", "SASL PLAIN user name (default $ConnectionString, for Event Hubs)."),
            OptionSpec.optional("sasl-password-env", "VAR",
                    "Environment variable holding the SASL password (the Event Hubs connection string)."),
            OptionSpec.optional("sasl-password-file", "FILE", "File holding the SASL password."),
            ScanOptions.VALIDATE_ALL,
            OptionSpec.optional("exclusion-audit-topic", "TOPIC",
                    "Topic for matches that an exclusion covered (otherwise they are only counted)."),
            OptionSpec.FLINK_CONFIG),
            TuningOptions.OPTIONS.stream()).toList();

    private StreamCommand() {}

    public static String usage() {
        return Usage.of(NAME, "--bootstrap-servers HOST:PORT --input-topic T [--input-topic T2 ...] "
                        + "--alerts-topic A --dead-letter-topic D [OPTIONS]",
                "Hunts live Defender telemetry from Kafka or Azure Event Hubs (Defender's Streaming API).\n"
                        + "Base alerts go out as soon as their row is read; a correlated alert goes out at its first\n"
                        + "Excel link and again, with a higher Revision, whenever its evidence grows.",
                OPTIONS);
    }

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) throws Exception {
        StreamSettings settings;
        try {
            CommandLine line = CommandLine.parse(args, OPTIONS);
            if (line.helpRequested()) {
                stdout.println(usage());
                return 0;
            }
            settings = StreamSettings.from(line, System.getenv());
        } catch (UsageException e) {
            stderr.println("bazahunt stream: " + e.getMessage());
            stderr.println("Run 'bazahunt stream --help' for usage.");
            return 2;
        }
        if (settings.delivery() == DeliveryGuarantee.EXACTLY_ONCE) {
            String problem = TransactionTimeoutCheck.problem(
                    settings.kafka().admin(settings.bootstrapServers()), settings.transactionTimeoutMs(), stderr);
            if (problem != null) {
                stderr.println("bazahunt stream: " + problem);
                return 2;
            }
        }
        String restoreFrom = settings.fromSavepoint();
        if (restoreFrom == null && settings.stateDir() != null) {
            restoreFrom = new StateDirectory(settings.stateDir()).newestRestorePoint();
        }
        // Checkpoints and savepoints may live on s3:// or wasbs://, configured by -D.
        FileSystems.initializeForLauncher(settings.flinkConfig());
        StreamExecutionEnvironment env = KafkaHuntJob.environment(settings, restoreFrom);
        KafkaHuntJob.build(env, settings);
        stderr.println("bazahunt stream: hunting " + String.join(", ", settings.inputTopics()) + " on "
                + settings.bootstrapServers() + " (" + settings.delivery() + ", checkpoints every "
                + env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(null)
                + (settings.prefilter() ? ", pre-filter: " + RawPrefilter.scanKind()
                        : ", every message parsed: --validate-all")
                + (restoreFrom != null ? ", resuming from " + restoreFrom : "") + ")");
        if (settings.stateDir() == null) {
            env.execute("bazahunt stream");
            return 0;
        }
        return StreamService.run(env, new StateDirectory(settings.stateDir()), stderr, LauncherJvm.isLauncher());
    }

    /** The same parsing as the command, with a given environment (tests and benchmarks). */
    public static StreamSettings settings(String[] args, Map<String, String> environment) throws UsageException {
        return StreamSettings.from(CommandLine.parse(args, OPTIONS), environment);
    }
}

package dev.bazahunt.job.replay;

import dev.bazahunt.job.cli.ClusterAddress;
import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.EventTimes;
import dev.bazahunt.job.cli.FlinkConfigOptions;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.PathArgument;
import dev.bazahunt.job.cli.ScanOptions;
import dev.bazahunt.job.cli.TuningOptions;
import dev.bazahunt.job.cli.Usage;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.pipeline.AlertRange;
import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.HuntTuning;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.job.storage.ExportPruning;
import dev.bazahunt.job.storage.FileSystems;
import dev.bazahunt.job.storage.StoragePaths;
import dev.bazahunt.telemetry.CsvDateOrder;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code bazahunt replay}: hunt through exported telemetry files, embedded in this JVM, on a session
 * cluster ({@code --jobmanager}), or under {@code flink run} and the REST jar API.
 */
public final class ReplayCommand {
    public static final String NAME = "replay";

    public static final List<OptionSpec> OPTIONS = Stream.concat(Stream.of(
            OptionSpec.repeatable("input", "PATH|URI",
                    "Telemetry file or directory, local or a Flink file system URI (s3://, wasbs://, abfss://, gs://,"
                            + " hdfs://); directories are read recursively (.json, .jsonl, .csv, .gz). Repeatable.", true),
            OptionSpec.required("output", "FILE|URI|-",
                    "The alerts file (a path or a Flink filesystem URI such as s3://bucket/alerts.jsonl), written by"
                            + " the job, sorted; - for stdout (embedded runs only)."),
            OptionSpec.optional("window", "DURATION",
                    "Correlation window, before or after the download (default 30m)."),
            OptionSpec.optional("parallelism", "N",
                    "Flink parallelism (default: the number of cores embedded, the cluster's default on a cluster)."),
            OptionSpec.optional("jobmanager", "HOST:PORT",
                    "Submit the job to this session cluster's REST endpoint instead of running it embedded, and"
                            + " wait for it. Paths must then be readable and writable by the cluster."),
            ScanOptions.VALIDATE_ALL,
            OptionSpec.optional("from", "TIME",
                    "Hunt downloads at or after this event time (ISO-8601, e.g. 2021-07-01 or 2021-07-01T00:00:00Z)."
                            + " Rows before it still correlate; Defender Storage blobs that cannot matter are not opened."),
            OptionSpec.optional("until", "TIME", "Hunt downloads before this event time (ISO-8601), likewise."),
            OptionSpec.optional("max-ingestion-delay", "DURATION",
                    "How long after its Timestamp Defender may receive a row, for --from/--until (default 7d)."),
            OptionSpec.optional("csv-date-order", "mdy|dmy", "How a Log Analytics CSV export's numeric dates"
                    + " (4/7/2025) are read when the file does not settle it with a field above 12 (default mdy)."),
            OptionSpec.optional("dead-letter", "DIR",
                    "Directory for the dead-letter part files (default: <output>.dead-letters, or "
                            + "bazahunt-dead-letters when the output is stdout)."),
            OptionSpec.optional("exclusion-audit", "DIR",
                    "Directory for part files of the matches an exclusion covered (otherwise they are only counted)."),
            OptionSpec.optional("hold-metrics", "DURATION",
                    "Keep each stage's bazahunt counters on the metric reporters this long after the stage has"
                            + " ended (default 0, at most 2m). Flink drops a finished task's metrics, so a Prometheus"
                            + " that scrapes every 15s needs at least 15s to see a stage's final values."),
            OptionSpec.FLINK_CONFIG),
            TuningOptions.OPTIONS.stream()).toList();

    /** Well below Flink's task.cancellation.timeout (3 min), beyond which a TaskManager kills itself. */
    static final Duration MAX_METRICS_HOLD = Duration.ofMinutes(2);

    private ReplayCommand() {}

    public static String usage() {
        return Usage.of("replay", "--input PATH|URI [--input PATH|URI ...] --output FILE|URI|- [OPTIONS]",
                "Replays exported Defender telemetry (Event Hubs messages, Storage blob lines or flat\n"
                        + "Advanced Hunting / Sentinel rows, in any order) through the BazaCall hunt in Flink's\n"
                        + "BATCH mode, and writes each alert once, in its final form.",
                OPTIONS);
    }

    /** Runs the command; returns the process exit code: 0 when the job finished, 1 when it failed. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) throws Exception {
        ReplaySettings settings;
        try {
            CommandLine line = CommandLine.parse(args, OPTIONS);
            if (line.helpRequested()) {
                stdout.println(usage());
                return 0;
            }
            Configuration flink = FlinkConfigOptions.from(line, System.getenv());
            // Before the inputs are listed: they may be on s3:// or wasbs://, configured by -D.
            FileSystems.initializeForLauncher(flink);
            settings = ReplaySettings.from(line, flink);
        } catch (UsageException e) {
            return Usage.reject(NAME, e, stderr);
        }
        ReplayRun.Result result = ReplayRun.execute(settings, stderr);
        if (result.failure() != null) {
            stderr.println("bazahunt replay: job " + result.jobId() + " failed: " + result.failure());
            return 1;
        }
        if (result.detached()) {
            stderr.println("bazahunt replay: submitted job " + result.jobId() + "; it writes its alerts to "
                    + result.alerts() + " and its dead letters to " + settings.destinations().deadLetters());
            return 0;
        }
        if (settings.destinations().alertsToStdout()) {
            Path scratch = Path.of(result.alerts().toUri());
            try (InputStream in = Files.newInputStream(scratch)) {
                in.transferTo(stdout);
            } finally {
                Files.deleteIfExists(scratch);
            }
            stdout.flush();
        }
        stderr.println(result.summary().render(settings));
        return 0;
    }

    /** The settings the command would run with, parsed the same way (the bench runs the default path so). */
    public static ReplaySettings settings(String[] args) throws UsageException {
        CommandLine line = CommandLine.parse(args, OPTIONS);
        return ReplaySettings.from(line, FlinkConfigOptions.from(line, Map.of()));
    }

    /**
     * The validated options of one replay. Files larger than {@code rangeBytes} are read in ranges, in
     * parallel.
     *
     * @param parallelism 0 for the default: the number of cores embedded, the cluster's default on a cluster
     * @param jobManager the session cluster to submit to, or null to run where the CLI runs
     * @param csvDateOrder how CSV exports' numeric dates are read when a file does not settle it
     */
    public record ReplaySettings(InputFiles.Resolved inputs, ReplayDestinations destinations,
            HuntSettings hunt, int parallelism, boolean prefilter, long rangeBytes, ClusterAddress jobManager,
            CsvDateOrder csvDateOrder, Configuration flinkConfig, ExportPruning pruning) {

        /** Local files as given, month-first CSV dates, no -D options, no event-time range: for tests and benchmarks. */
        public ReplaySettings(List<Path> inputs, int ignoredFiles, ReplayDestinations destinations,
                HuntSettings hunt, int parallelism, boolean prefilter, long rangeBytes, ClusterAddress jobManager) {
            this(InputFiles.Resolved.of(inputs.stream().map(file -> new org.apache.flink.core.fs.Path(file.toUri()))
                            .toList(), ignoredFiles), destinations, hunt, parallelism, prefilter, rangeBytes, jobManager,
                    CsvDateOrder.MDY, new Configuration(), ExportPruning.tablesOnly());
        }

        /** An embedded replay with the default range size. */
        public ReplaySettings(List<Path> inputs, ReplayDestinations destinations, HuntSettings hunt, int parallelism,
                boolean prefilter) {
            this(inputs, 0, destinations, hunt, parallelism, prefilter, ReplayJob.RANGE_BYTES, null);
        }

        /** @param flink the command's Flink configuration ({@code -D} options and config file) */
        public static ReplaySettings from(CommandLine line, Configuration flink) throws UsageException {
            Duration window = line.duration("window", HuntSettings.DEFAULT_WINDOW);
            HuntTuning tuning = TuningOptions.from(line);
            ExportPruning pruning = new ExportPruning(ExportPruning.tablesReadBy(tuning),
                    EventTimes.parse(line, "from"), EventTimes.parse(line, "until"), window,
                    line.duration("max-ingestion-delay", ExportPruning.DEFAULT_MAX_INGESTION_DELAY));
            if (pruning.from() != null && pruning.until() != null && !pruning.until().isAfter(pruning.from())) {
                throw new UsageException("--until " + pruning.until() + " must be after --from " + pruning.from());
            }
            InputFiles.Resolved inputs = InputFiles.resolve(line.all("input"), pruning);
            ClusterAddress jobManager = line.has("jobmanager")
                    ? ClusterAddress.parse("jobmanager", line.get("jobmanager", null)) : null;
            String outputText = line.get("output", "-");
            boolean stdout = outputText.equals("-");
            if (stdout && jobManager != null) {
                throw new UsageException(ReplayRun.STDOUT_NEEDS_EMBEDDED);
            }
            org.apache.flink.core.fs.Path output = stdout ? null : PathArgument.parse("output", outputText);
            if (output != null && StoragePaths.isDirectory("output", output)) {
                throw new UsageException("--output " + outputText + " is a directory; give a file or -");
            }
            org.apache.flink.core.fs.Path deadLetters = line.has("dead-letter")
                    ? PathArgument.parse("dead-letter", line.get("dead-letter", null))
                    : stdout ? PathArgument.parse("dead-letter", "bazahunt-dead-letters")
                            : new org.apache.flink.core.fs.Path(output.getParent(), output.getName() + ".dead-letters");
            org.apache.flink.core.fs.Path audit = line.has("exclusion-audit")
                    ? PathArgument.parse("exclusion-audit", line.get("exclusion-audit", null)) : null;
            int parallelism = line.has("parallelism") ? line.positiveInt("parallelism", 1) : 0;
            String dateOrderText = line.get("csv-date-order", "mdy");
            CsvDateOrder dateOrder = CsvDateOrder.fromOption(dateOrderText);
            if (dateOrder == null) {
                throw new UsageException("--csv-date-order " + dateOrderText + ": expected mdy or dmy");
            }
            if (line.has("hold-metrics")) {
                Duration hold = line.duration("hold-metrics", Duration.ZERO);
                if (hold.compareTo(MAX_METRICS_HOLD) > 0) {
                    throw new UsageException("--hold-metrics must be at most " + MAX_METRICS_HOLD.toMinutes() + "m: a job"
                            + " cancelled during a stage's hold waits for it, and Flink gives a cancelled task 3 minutes");
                }
                HuntCounter.holdFinalValues(flink, hold);
            }
            HuntSettings hunt = new HuntSettings(window, RevisionPolicy.FINAL, Duration.ZERO, tuning,
                    TuningOptions.campaignWindow(line)).withAlertRange(AlertRange.of(pruning.from(), pruning.until()));
            return new ReplaySettings(inputs, new ReplayDestinations(output, stdout, deadLetters, audit), hunt,
                    parallelism, ScanOptions.prefilter(line), ReplayJob.RANGE_BYTES, jobManager,
                    dateOrder, flink, pruning);
        }

        public StreamExecutionEnvironment environment() {
            return ReplayJob.environment(parallelism, jobManager, flinkConfig);
        }

        public HuntOutputs attach(StreamExecutionEnvironment env) {
            return ReplayJob.build(env, inputs.files(), hunt, prefilter, rangeBytes, csvDateOrder);
        }
    }
}

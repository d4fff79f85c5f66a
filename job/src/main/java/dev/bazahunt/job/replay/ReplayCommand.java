package dev.bazahunt.job.replay;

import dev.bazahunt.job.cli.ClusterAddress;
import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.PathArgument;
import dev.bazahunt.job.cli.TuningOptions;
import dev.bazahunt.job.cli.Usage;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.telemetry.CsvDateOrder;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code bazahunt replay}: hunt through exported telemetry files, embedded in this JVM, on a session
 * cluster ({@code --jobmanager}), or under {@code flink run} and the REST jar API.
 */
public final class ReplayCommand {
    public static final String NAME = "replay";

    static final List<OptionSpec> OPTIONS = Stream.concat(Stream.of(
            OptionSpec.repeatable("input", "PATH",
                    "Telemetry file or directory (read recursively; .json, .jsonl, .csv, .gz). Repeatable.", true),
            OptionSpec.required("output", "FILE|-",
                    "The alerts file (a path or a Flink filesystem URI such as s3://bucket/alerts.jsonl), written by"
                            + " the job, sorted; - for stdout (embedded runs only)."),
            OptionSpec.optional("window", "DURATION",
                    "Correlation window, before or after the download (default 30m)."),
            OptionSpec.optional("parallelism", "N",
                    "Flink parallelism (default: the number of cores embedded, the cluster's default on a cluster)."),
            OptionSpec.optional("jobmanager", "HOST:PORT",
                    "Submit the job to this session cluster's REST endpoint instead of running it embedded, and"
                            + " wait for it. Paths must then be readable and writable by the cluster."),
            OptionSpec.flag("prefilter", "Skip, unparsed, lines that provably cannot alert or correlate (several"
                    + " times faster). They are counted, not validated: a broken line without a needle is not"
                    + " dead-lettered. Off by default, so every bad record gets a dead letter."),
            OptionSpec.optional("csv-date-order", "mdy|dmy", "How a Log Analytics CSV export's numeric dates"
                    + " (4/7/2025) are read when the file does not settle it with a field above 12 (default mdy)."),
            OptionSpec.optional("dead-letter", "DIR",
                    "Directory for the dead-letter part files (default: <output>.dead-letters, or "
                            + "bazahunt-dead-letters when the output is stdout)."),
            OptionSpec.optional("exclusion-audit", "DIR",
                    "Directory for part files of the matches an exclusion covered (otherwise they are only counted).")),
            TuningOptions.OPTIONS.stream()).toList();

    private ReplayCommand() {}

    public static String usage() {
        return Usage.of("replay", "--input PATH [--input PATH ...] --output FILE|- [OPTIONS]",
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
            settings = ReplaySettings.from(line);
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

    /**
     * The validated options of one replay. Files larger than {@code rangeBytes} are read in ranges, in
     * parallel.
     *
     * @param parallelism 0 for the default: the number of cores embedded, the cluster's default on a cluster
     * @param jobManager the session cluster to submit to, or null to run where the CLI runs
     * @param csvDateOrder how CSV exports' numeric dates are read when a file does not settle it
     */
    public record ReplaySettings(List<Path> inputs, int ignoredFiles, ReplayDestinations destinations,
            HuntSettings hunt, int parallelism, boolean prefilter, long rangeBytes, ClusterAddress jobManager,
            CsvDateOrder csvDateOrder) {

        /** Month-first numeric dates in CSV exports, the default of {@code --csv-date-order}. */
        public ReplaySettings(List<Path> inputs, int ignoredFiles, ReplayDestinations destinations,
                HuntSettings hunt, int parallelism, boolean prefilter, long rangeBytes, ClusterAddress jobManager) {
            this(inputs, ignoredFiles, destinations, hunt, parallelism, prefilter, rangeBytes, jobManager,
                    CsvDateOrder.MDY);
        }

        /** An embedded replay with the default range size. */
        public ReplaySettings(List<Path> inputs, ReplayDestinations destinations, HuntSettings hunt, int parallelism,
                boolean prefilter) {
            this(inputs, 0, destinations, hunt, parallelism, prefilter, ReplayJob.RANGE_BYTES, null);
        }

        public static ReplaySettings from(CommandLine line) throws UsageException {
            InputFiles.Resolved inputs = InputFiles.resolve(line.all("input"));
            ClusterAddress jobManager = line.has("jobmanager")
                    ? ClusterAddress.parse("jobmanager", line.get("jobmanager", null)) : null;
            String outputText = line.get("output", "-");
            boolean stdout = outputText.equals("-");
            if (stdout && jobManager != null) {
                throw new UsageException(ReplayRun.STDOUT_NEEDS_EMBEDDED);
            }
            org.apache.flink.core.fs.Path output = stdout ? null : PathArgument.parse("output", outputText);
            if (output != null && "file".equals(output.toUri().getScheme())
                    && Files.isDirectory(Path.of(output.toUri()))) {
                throw new UsageException("--output " + outputText + " is a directory; give a file or -");
            }
            org.apache.flink.core.fs.Path deadLetters = line.has("dead-letter")
                    ? PathArgument.parse("dead-letter", line.get("dead-letter", null))
                    : stdout ? PathArgument.parse("dead-letter", "bazahunt-dead-letters")
                            : new org.apache.flink.core.fs.Path(output.getParent(), output.getName() + ".dead-letters");
            org.apache.flink.core.fs.Path audit = line.has("exclusion-audit")
                    ? PathArgument.parse("exclusion-audit", line.get("exclusion-audit", null)) : null;
            Duration window = line.duration("window", HuntSettings.DEFAULT_WINDOW);
            int parallelism = line.has("parallelism") ? line.positiveInt("parallelism", 1) : 0;
            String dateOrderText = line.get("csv-date-order", "mdy");
            CsvDateOrder dateOrder = CsvDateOrder.fromOption(dateOrderText);
            if (dateOrder == null) {
                throw new UsageException("--csv-date-order " + dateOrderText + ": expected mdy or dmy");
            }
            return new ReplaySettings(inputs.files(), inputs.ignored(),
                    new ReplayDestinations(output, stdout, deadLetters, audit),
                    new HuntSettings(window, RevisionPolicy.FINAL, Duration.ZERO, TuningOptions.from(line),
                            TuningOptions.campaignWindow(line)),
                    parallelism, line.has("prefilter"), ReplayJob.RANGE_BYTES, jobManager, dateOrder);
        }

        public StreamExecutionEnvironment environment() {
            return ReplayJob.environment(parallelism, jobManager);
        }

        public HuntOutputs attach(StreamExecutionEnvironment env) {
            return ReplayJob.build(env, inputs, hunt, prefilter, rangeBytes, csvDateOrder);
        }
    }
}

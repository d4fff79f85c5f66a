package dev.bazahunt.job.replay;

import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.TuningOptions;
import dev.bazahunt.job.cli.Usage;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code bazahunt replay}: hunt through exported telemetry files on an embedded Flink cluster. */
public final class ReplayCommand {
    public static final String NAME = "replay";

    static final List<OptionSpec> OPTIONS = Stream.concat(Stream.of(
            OptionSpec.repeatable("input", "PATH",
                    "Telemetry file or directory (read recursively; .json, .jsonl, .gz). Repeatable.", true),
            OptionSpec.required("output", "FILE|-", "Where to write alerts as JSON lines; - for stdout."),
            OptionSpec.optional("window", "DURATION",
                    "Correlation window, before or after the download (default 30m)."),
            OptionSpec.optional("parallelism", "N", "Flink parallelism (default: number of cores)."),
            OptionSpec.flag("prefilter", "Skip, unparsed, lines that provably cannot alert or correlate (several"
                    + " times faster). They are counted, not validated: a broken line without a needle is not"
                    + " dead-lettered. Off by default, so every bad record gets a dead letter."),
            OptionSpec.optional("dead-letter", "FILE",
                    "Where to write dead letters (default: <output>.dead-letters.jsonl, or "
                            + "bazahunt-dead-letters.jsonl when the output is stdout)."),
            OptionSpec.optional("exclusion-audit", "FILE",
                    "Where to write matches that an exclusion covered (otherwise they are only counted).")),
            TuningOptions.OPTIONS.stream()).toList();

    private ReplayCommand() {}

    public static String usage() {
        return Usage.of("replay", "--input PATH [--input PATH ...] --output FILE|- [OPTIONS]",
                "Replays exported Defender telemetry (Event Hubs messages, Storage blob lines or flat\n"
                        + "Advanced Hunting / Sentinel rows, in any order) through the BazaCall hunt in Flink's\n"
                        + "BATCH mode, and writes each alert once, in its final form.",
                OPTIONS);
    }

    /** Runs the command; returns the process exit code. */
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
        writeLines(settings.output(), result.alerts(), stdout);
        writeLines(settings.deadLetterFile(), result.deadLetters(), stdout);
        if (settings.exclusionAuditFile() != null) {
            writeLines(settings.exclusionAuditFile(), result.exclusionAudit(), stdout);
        }
        stderr.println(result.summary().render(settings));
        return 0;
    }

    private static void writeLines(Path file, List<String> lines, PrintStream stdout) throws IOException {
        if (file == null) {
            lines.forEach(stdout::println);
            stdout.flush();
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            for (String json : lines) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
    }

    /**
     * The validated options of one replay. {@code output} null means stdout. Files larger than
     * {@code rangeBytes} are read in ranges, in parallel.
     */
    public record ReplaySettings(List<Path> inputs, int ignoredFiles, Path output, Path deadLetterFile,
            Path exclusionAuditFile, HuntSettings hunt, int parallelism, boolean prefilter, long rangeBytes) {

        public ReplaySettings(List<Path> inputs, int ignoredFiles, Path output, Path deadLetterFile,
                Path exclusionAuditFile, HuntSettings hunt, int parallelism, boolean prefilter) {
            this(inputs, ignoredFiles, output, deadLetterFile, exclusionAuditFile, hunt, parallelism, prefilter,
                    ReplayJob.RANGE_BYTES);
        }

        public static ReplaySettings from(CommandLine line) throws UsageException {
            InputFiles.Resolved inputs = InputFiles.resolve(line.all("input"));
            String outputText = line.get("output", "-");
            Path output = outputText.equals("-") ? null : Path.of(outputText);
            if (output != null && Files.isDirectory(output)) {
                throw new UsageException("--output " + outputText + " is a directory; give a file or -");
            }
            Path deadLetters = line.has("dead-letter")
                    ? Path.of(line.get("dead-letter", null))
                    : output == null ? Path.of("bazahunt-dead-letters.jsonl")
                            : output.resolveSibling(output.getFileName() + ".dead-letters.jsonl");
            Duration window = line.duration("window", HuntSettings.DEFAULT_WINDOW);
            int parallelism = line.positiveInt("parallelism", Runtime.getRuntime().availableProcessors());
            Path audit = line.has("exclusion-audit") ? Path.of(line.get("exclusion-audit", null)) : null;
            return new ReplaySettings(inputs.files(), inputs.ignored(), output, deadLetters, audit,
                    new HuntSettings(window, RevisionPolicy.FINAL, Duration.ZERO, TuningOptions.from(line),
                            TuningOptions.campaignWindow(line)),
                    parallelism, line.has("prefilter"));
        }

        public StreamExecutionEnvironment environment() {
            return ReplayJob.environment(parallelism);
        }

        public HuntOutputs attach(StreamExecutionEnvironment env) {
            return ReplayJob.build(env, inputs, hunt, prefilter, rangeBytes);
        }
    }
}

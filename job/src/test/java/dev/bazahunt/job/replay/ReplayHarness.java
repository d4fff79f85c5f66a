package dev.bazahunt.job.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.job.replay.ReplayCommand.ReplaySettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.util.FileUtils;

/**
 * Runs the real replay job (the CLI's own code path) on the test's MiniCluster, lets it write its own
 * output files, and reads them back: the alerts file as written, the part files in a stable order.
 */
public final class ReplayHarness {
    public static final Path TESTDATA = dev.bazahunt.job.testing.TestdataRows.TESTDATA;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayHarness() {}

    /** What one replay wrote. Dead letters are ordered by file, byte offset and line, whichever part holds them. */
    public record Replayed(List<String> alerts, List<String> deadLetters, List<String> exclusionAudit,
            ReplaySummary summary) {}

    /** A replay with the raw-byte pre-filter on. */
    public static Replayed replay(List<Path> inputs, Duration window, int parallelism) throws Exception {
        return replay(inputs, window, parallelism, true);
    }

    public static Replayed replay(List<Path> inputs, Duration window, int parallelism, boolean prefilter)
            throws Exception {
        return replay(inputs, window, parallelism, prefilter, ReplayJob.RANGE_BYTES);
    }

    /** A replay that reads files larger than {@code rangeBytes} in ranges. */
    public static Replayed replay(List<Path> inputs, Duration window, int parallelism, boolean prefilter,
            long rangeBytes) throws Exception {
        List<Path> files = InputFiles.resolve(inputs.stream().map(Path::toString).toList()).files().stream()
                .map(file -> Path.of(file.toUri())).toList();
        return replay(files, new HuntSettings(window, RevisionPolicy.FINAL), parallelism, prefilter, rangeBytes);
    }

    public static Replayed replay(List<Path> files, HuntSettings hunt, int parallelism, boolean prefilter,
            long rangeBytes) throws Exception {
        Path output = Files.createTempDirectory("bazahunt-replay-");
        try {
            ReplaySettings settings = new ReplaySettings(files, 0, ReplayDestinations.in(output), hunt, parallelism,
                    prefilter, rangeBytes, null);
            ReplayRun.Result result = ReplayRun.execute(settings, new PrintStream(OutputStream.nullOutputStream()));
            if (result.failure() != null) {
                throw new AssertionError("the replay job failed", result.failure());
            }
            return new Replayed(Files.readAllLines(output.resolve("alerts.jsonl"), StandardCharsets.UTF_8),
                    sortedDeadLetters(partLines(output.resolve("dead-letters"))),
                    partLines(output.resolve("exclusion-audit")).stream().sorted().toList(), result.summary());
        } finally {
            FileUtils.deleteDirectory(output.toFile());
        }
    }

    /** Every line of the part files in a directory (none when the job wrote no part). */
    public static List<String> partLines(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(directory)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    private static List<String> sortedDeadLetters(List<String> letters) {
        return letters.stream().sorted(Comparator.comparing(ReplayHarness::deadLetterOrder)).toList();
    }

    private static String deadLetterOrder(String letter) {
        try {
            JsonNode node = JSON.readTree(letter);
            return node.path("sourceFile").asText() + '|'
                    + String.format("%019d|%08d", node.path("sourceByteOffset").asLong(), node.path("recordIndex").asLong() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

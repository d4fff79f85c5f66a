package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large files are read in byte ranges by several readers. Cutting the bundled telemetry into ranges of
 * a few hundred bytes, so that nearly every range starts inside a line, must change nothing: the same
 * alerts, every line read once, and dead letters that still say where they came from. And every file
 * given is read, whatever its name.
 */
class ReplayInRangesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TINY_RANGES = 300;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void tinyRangesGiveTheGoldenAlertsAndReadEveryLineOnce() throws Exception {
        List<Path> telemetry = List.of(ReplayHarness.TESTDATA.resolve("telemetry"));
        List<String> golden = Files.readAllLines(ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl"));
        for (boolean prefilter : new boolean[] {false, true}) {
            ReplayHarness.Replayed whole = ReplayHarness.replay(telemetry, Duration.ofMinutes(30), 2, prefilter);
            ReplayHarness.Replayed ranges = ReplayHarness.replay(telemetry, Duration.ofMinutes(30), 2, prefilter, TINY_RANGES);
            assertThat(ranges.alerts()).as("prefilter %s", prefilter).isEqualTo(golden);
            assertThat(ranges.summary().count("inputUnits")).isEqualTo(whole.summary().count("inputUnits"));
            assertThat(ranges.summary().count("prefilterSkipped")).isEqualTo(whole.summary().count("prefilterSkipped"));
            assertThat(ranges.deadLetters()).hasSameSizeAs(whole.deadLetters());
        }
    }

    @Test
    void deadLettersFromRangesKeepTheirByteOffsetAndOnlyTheFirstRangeKnowsLineNumbers() throws Exception {
        Path malformed = ReplayHarness.TESTDATA.resolve("telemetry/malformed/bad-lines.jsonl");
        byte[] file = Files.readAllBytes(malformed);
        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(malformed), Duration.ofMinutes(30), 2, false, TINY_RANGES);

        List<String> reasonsByOffset = new ArrayList<>();
        for (String letter : result.deadLetters()) {
            JsonNode node = JSON.readTree(letter);
            long offset = node.get("sourceByteOffset").asLong();
            assertThat(offset == 0 || file[(int) offset - 1] == '\n').as("offset %d starts a line", offset).isTrue();
            // Only the range that starts the file counts lines from the file's start.
            assertThat(node.has("sourceLine")).isEqualTo(offset < TINY_RANGES / 2);
            if (node.has("sourceLine")) {
                assertThat(node.get("sourceLine").asLong()).isEqualTo(lineNumberAt(file, offset));
            }
            reasonsByOffset.add(lineNumberAt(file, offset) + ":" + node.get("reason").asText());
        }
        assertThat(reasonsByOffset).containsExactly(
                "1:malformed-json", "2:malformed-json", "3:missing-device-id", "4:bad-timestamp", "5:wrong-type");
    }

    @Test
    void filesNamedLikeHiddenOrUnderscoreFilesAreReadToo(@TempDir Path temp) throws Exception {
        // Flink's default file filter skips such names silently; every file the user gave must be read.
        Path export = ReplayHarness.TESTDATA.resolve("telemetry/sentinel/devicefileevents-export.jsonl");
        long lines = Files.readAllLines(export).size();
        Files.copy(export, temp.resolve("_devicefileevents-part-0.jsonl"));
        Files.copy(export, temp.resolve(".devicefileevents-part-1.jsonl"));
        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(temp), Duration.ofMinutes(30), 1, false);
        assertThat(result.summary().count("inputUnits")).isEqualTo(2 * lines);
    }

    private static long lineNumberAt(byte[] file, long offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (file[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}

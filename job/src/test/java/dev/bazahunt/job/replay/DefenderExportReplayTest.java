package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.testing.DefenderStorageExport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay of a Defender Storage export with {@code --from/--until}: blobs whose hour cannot hold rows
 * that matter stay closed, containers of tables no rule reads are not listed, and the alerts are
 * exactly the golden alerts of downloads inside the range, with correlation evidence from outside it.
 */
class DefenderExportReplayTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path temp;

    private Path export;
    private List<DefenderStorageExport.Blob> blobs;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void writeExport() throws IOException {
        export = temp.resolve("export");
        blobs = DefenderStorageExport.write(export);
    }

    private int replay(Path output, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("replay", "--input", export.toString(),
                "--output", output.toString(), "--parallelism", "2"));
        args.addAll(List.of(extra));
        return BazahuntCli.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @Test
    void theWholeExportGivesTheGoldenAlertsAndLeavesUnreadTablesClosed() throws Exception {
        Path output = temp.resolve("alerts.jsonl");

        assertThat(replay(output)).isZero();

        assertThat(Files.readAllLines(output))
                .isEqualTo(Files.readAllLines(ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl")));
        // One dead letter: the cut last line of the truncated blob. The registry container's blob is not
        // JSON: had it been opened, its line would be a second one.
        assertThat(ReplayHarness.partLines(temp.resolve("alerts.jsonl.dead-letters"))).singleElement()
                .satisfies(letter -> assertThat(letter).contains("malformed-json", DefenderStorageExport.TRUNCATED_BLOB));
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .containsPattern("blobs\\s+" + blobs.size() + " listed, 0 pruned \\(outside the range\\), " + blobs.size() + " read")
                .containsPattern("containers not opened\\s+no loaded rule reads \\[.*deviceregistryevents.*\\]");
    }

    @Test
    void fromAndUntilKeepOnlyTheDownloadsInsideWithTheirEvidenceFromOutside() throws Exception {
        Path output = temp.resolve("range.jsonl");

        assertThat(replay(output, "--from", DefenderStorageExport.RANGE_FROM.toString(), "--until",
                DefenderStorageExport.RANGE_UNTIL.toString(), "--max-ingestion-delay",
                DefenderStorageExport.RANGE_MAX_INGESTION_DELAY)).isZero();

        List<String> expected = DefenderStorageExport.goldenAlertsOfDownloadsIn(DefenderStorageExport.RANGE_FROM,
                DefenderStorageExport.RANGE_UNTIL);
        // The 09:23 and 09:26 downloads, each as a base and a correlated alert; the Excel child at 09:15:30,
        // before --from, is still their evidence.
        assertThat(expected).hasSize(4);
        assertThat(expected.get(1)).contains("\"Timestamp\":\"2021-07-21T09:15:30.0000000Z\"");
        assertThat(Files.readAllLines(output)).isEqualTo(expected);

        long read = DefenderStorageExport.blobsReadForTheRange(blobs);
        assertThat(read).isPositive().isLessThan(blobs.size());
        // Whole date folders outside the range are not even listed; the blobs that are listed and not read
        // are the pruned ones.
        Matcher counts = Pattern.compile("blobs\\s+(\\d+) listed, (\\d+) pruned \\(outside the range\\), (\\d+) read"
                + "(; (\\d+) date folders not listed)?").matcher(stderr.toString(StandardCharsets.UTF_8));
        assertThat(counts.find()).isTrue();
        assertThat(Long.parseLong(counts.group(3))).isEqualTo(read);
        assertThat(Long.parseLong(counts.group(1)) - Long.parseLong(counts.group(2))).isEqualTo(read);
        assertThat(counts.group(5)).as("the 2021-07-20 folders").isNotNull();
    }

    @Test
    void aRangeBeforeEveryDownloadGivesNoAlertsButReadsTheBlobsThatCouldHoldItsContext() throws Exception {
        Path output = temp.resolve("none.jsonl");

        assertThat(replay(output, "--from", "2021-07-21T08:00:00Z", "--until", "2021-07-21T09:00:00Z")).isZero();

        assertThat(Files.readAllLines(output)).isEmpty();
    }
}

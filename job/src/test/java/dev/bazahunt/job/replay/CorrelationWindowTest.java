package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.bazahunt.job.testing.AlertRevisions;
import dev.bazahunt.job.testing.LiveHunt;
import dev.bazahunt.job.testing.TestRows;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The window reaches exactly --window before and after the download, both ends inclusive. */
class CorrelationWindowTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DOWNLOAD = Instant.parse("2021-07-20T14:02:58.103456700Z");

    @TempDir
    Path temp;

    @Test
    void excelActivityExactlyOneWindowAwayIsInsideAndJustBeyondIsOutside() throws Exception {
        Duration window = Duration.ofMinutes(10);
        List<String> rows = List.of(
                TestRows.line(TestRows.download(TestRows.DEVICE, DOWNLOAD, 100)),
                TestRows.line(TestRows.excelChild(TestRows.DEVICE, DOWNLOAD.minus(window), 101, 6001,
                        "cmd.exe", "cmd.exe /c echo exactly-one-window-before")),
                TestRows.line(TestRows.excelChild(TestRows.DEVICE, DOWNLOAD.plus(window), 102, 6002,
                        "cmd.exe", "cmd.exe /c echo exactly-one-window-after")),
                TestRows.line(TestRows.excelChild(TestRows.DEVICE, DOWNLOAD.minus(window).minusNanos(100), 103, 6003,
                        "cmd.exe", "cmd.exe /c echo one-tick-too-early")),
                TestRows.line(TestRows.excelChild(TestRows.DEVICE, DOWNLOAD.plus(window).plusNanos(100), 104, 6004,
                        "cmd.exe", "cmd.exe /c echo one-tick-too-late")));
        Path file = temp.resolve("window.jsonl");
        Files.write(file, rows, StandardCharsets.UTF_8);

        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(file), window, 2);

        assertThat(result.alerts()).hasSize(2);
        JsonNode correlated = correlatedAlert(result.alerts());
        List<Long> evidenceProcessIds = new ArrayList<>();
        correlated.get("Evidence").forEach(item -> evidenceProcessIds.add(item.get("ProcessId").asLong()));
        assertThat(evidenceProcessIds).containsExactly(6001L, 6002L);
    }

    /**
     * A busy host (more Excel children per window than the budget of 64) with two downloads. Replay
     * decides each bucket as live mode does, closes it after its last child, and hands CEP only the kept
     * children that a download can pair with: what is kept and omitted near each download, and so the
     * alert, is the same in replay and live.
     */
    @Test
    void aBusyHostKeepsAndOmitsTheSameChildrenInReplayAsLive() throws Exception {
        Instant second = DOWNLOAD.plus(Duration.ofHours(3)); // 17:02:58, in the 30-minute bucket from 17:00
        List<String> rows = new ArrayList<>();
        rows.add(TestRows.line(TestRows.download(TestRows.DEVICE, DOWNLOAD, 100)));
        rows.add(TestRows.line(TestRows.download(TestRows.DEVICE, second, 200)));
        // Between the downloads, out of reach of both: evidence of neither.
        for (int i = 0; i < 3; i++) {
            rows.add(TestRows.line(TestRows.excelChild(TestRows.DEVICE, DOWNLOAD.plus(Duration.ofMinutes(60 + 30 * i)),
                    300 + i, 7000 + i, "splwow64.exe", "splwow64.exe 8192")));
        }
        // 70 children in the bucket before the second download's, all over 30 minutes before it: 64 use up
        // that bucket's budget without pairing with anything, and the 6 omitted count for the second
        // download, whose window reaches into that bucket.
        Instant earlierBucket = Instant.parse("2021-07-20T16:30:00Z");
        for (int i = 0; i < 70; i++) {
            rows.add(TestRows.line(TestRows.excelChild(TestRows.DEVICE, earlierBucket.plusSeconds(2 * i), 1000 + i,
                    9000 + i, "splwow64.exe", "splwow64.exe 8192")));
        }
        // 66 children just after the second download, in its own bucket: 64 kept, 2 omitted.
        for (int i = 0; i < 66; i++) {
            rows.add(TestRows.line(TestRows.excelChild(TestRows.DEVICE, second.plusSeconds(10 + i), 2000 + i, 8000 + i,
                    "cmd.exe", "cmd.exe /c echo near-" + i)));
        }
        Path file = temp.resolve("busy.jsonl");
        Files.write(file, rows, StandardCharsets.UTF_8);

        List<String> replayed = ReplayHarness.replay(List.of(file), Duration.ofMinutes(30), 2).alerts();

        JsonNode correlated = correlatedAlert(replayed);
        assertThat(correlated.get("Timestamp").asText()).isEqualTo("2021-07-20T17:02:58.1034567Z");
        List<Long> evidence = new ArrayList<>();
        correlated.get("Evidence").forEach(item -> evidence.add(item.get("ProcessId").asLong()));
        assertThat(evidence).hasSize(64).allMatch(id -> id >= 8000L && id < 8064L);
        assertThat(correlated.get("ExcelChildrenOmitted").asInt()).isEqualTo(6 + 2);
        assertThat(replayed.stream().filter(alert -> alert.contains("\"Campaign\"")).count()).isEqualTo(1);

        List<String> live = LiveHunt.run(rows, Duration.ofMinutes(2), 2);
        assertThat(AlertRevisions.latest(live)).isEqualTo(AlertRevisions.latest(replayed));
    }

    @Test
    void excelActivityOnAnotherDeviceIsNeverEvidence() throws Exception {
        Path file = temp.resolve("two-devices.jsonl");
        Files.write(file, List.of(
                TestRows.line(TestRows.download(TestRows.DEVICE, DOWNLOAD, 100)),
                TestRows.line(TestRows.excelChild("0000000000000000000000000000000000000001", DOWNLOAD.plusSeconds(5),
                        101, 6001, "rundll32.exe", "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut"))),
                StandardCharsets.UTF_8);

        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(file), Duration.ofMinutes(30), 2);

        assertThat(result.alerts()).hasSize(1);
        assertThat(JSON.readTree(result.alerts().get(0)).has("Campaign")).isFalse();
    }

    private static JsonNode correlatedAlert(List<String> alerts) throws Exception {
        for (String alert : alerts) {
            JsonNode node = JSON.readTree(alert);
            if (node.has("Campaign")) {
                return node;
            }
        }
        throw new AssertionError("no correlated alert in " + alerts);
    }
}

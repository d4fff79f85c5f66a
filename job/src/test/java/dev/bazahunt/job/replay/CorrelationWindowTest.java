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

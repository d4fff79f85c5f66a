package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled telemetry through the real job must give exactly the golden alerts, nothing ignored.
 *
 * <p>With {@code -Dbazahunt.golden.write=true} the first replay writes the golden file instead of reading
 * it, and the other replays are held to what it wrote (README, Tests: regenerating the golden alerts).
 * {@link GoldenAlertFactsTest} then holds the new file to the hand-derived facts.
 */
class ReplayGoldenTest {
    private static final boolean WRITE_GOLDEN = Boolean.getBoolean("bazahunt.golden.write");
    private static boolean goldenWritten;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "prefilter={0}")
    @ValueSource(booleans = {true, false})
    void bundledTelemetryGivesExactlyTheGoldenAlerts(boolean prefilter) throws Exception {
        ReplayHarness.Replayed result = ReplayHarness.replay(
                List.of(ReplayHarness.TESTDATA.resolve("telemetry")), Duration.ofMinutes(30), 2, prefilter);

        Path golden = ReplayHarness.TESTDATA.resolve("expected-alerts.jsonl");
        if (WRITE_GOLDEN && !goldenWritten) {
            Files.write(golden, result.alerts(), StandardCharsets.UTF_8);
            goldenWritten = true;
        }
        List<String> expected = Files.readAllLines(golden, StandardCharsets.UTF_8);
        assertThat(result.alerts()).containsExactlyElementsOf(expected);
    }

    @Test
    void malformedLinesBecomeDeadLettersWithTheirFileAndLine() throws Exception {
        Path malformed = ReplayHarness.TESTDATA.resolve("telemetry/malformed/bad-lines.jsonl");
        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(malformed), Duration.ofMinutes(30), 1, false);

        assertThat(result.alerts()).isEmpty();
        List<String> reasonsByLine = new ArrayList<>();
        for (String letter : result.deadLetters()) {
            JsonNode node = JSON.readTree(letter);
            assertThat(node.get("sourceFile").asText()).endsWith("bad-lines.jsonl");
            assertThat(node.get("excerpt").asText()).isNotEmpty();
            reasonsByLine.add(node.get("sourceLine").asLong() + ":" + node.get("reason").asText());
        }
        assertThat(reasonsByLine).containsExactly(
                "1:malformed-json", "2:malformed-json", "3:missing-device-id", "4:bad-timestamp", "5:wrong-type");
        assertThat(result.summary().count("deadLettered")).isEqualTo(5);
    }

    /**
     * The pre-filter's documented trade-off: line 3 is a complete JSON object with no needle, so it is
     * skipped unparsed and its missing DeviceId goes unreported. It could never have alerted. The broken
     * JSON and the rows that mention urlcache are still parsed and dead-lettered.
     */
    @Test
    void prefilterCountsAWellFormedLookingBrokenRowAsSkipped() throws Exception {
        Path malformed = ReplayHarness.TESTDATA.resolve("telemetry/malformed/bad-lines.jsonl");
        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(malformed), Duration.ofMinutes(30), 1, true);

        List<String> reasonsByLine = new ArrayList<>();
        for (String letter : result.deadLetters()) {
            JsonNode node = JSON.readTree(letter);
            reasonsByLine.add(node.get("sourceLine").asLong() + ":" + node.get("reason").asText());
        }
        assertThat(reasonsByLine).containsExactly(
                "1:malformed-json", "2:malformed-json", "4:bad-timestamp", "5:wrong-type");
        assertThat(result.summary().count("prefilterSkipped")).isEqualTo(1);
        assertThat(result.summary().count("inputUnits")).isEqualTo(5);
    }
}

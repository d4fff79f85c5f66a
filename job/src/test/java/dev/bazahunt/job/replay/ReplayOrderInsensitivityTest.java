package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import dev.bazahunt.job.testing.TestdataRows;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * History exports are unsorted and split per table. Whatever the order of rows and files and whatever
 * the parallelism, replay must give the same alerts with the same AlertIds.
 */
class ReplayOrderInsensitivityTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WINDOW = Duration.ofMinutes(30);

    @TempDir
    static Path temp;
    private static List<String> reference;
    /** Every well-formed row of the bundled telemetry as a one-record Storage line, by table. */
    private static Map<String, List<String>> rowsByTable;

    @BeforeAll
    static void referenceRun() throws Exception {
        reference = ReplayHarness.replay(List.of(telemetryDir()), WINDOW, 1).alerts();
        assertThat(reference).isNotEmpty();
        rowsByTable = new TreeMap<>();
        for (TestdataRows.Row row : TestdataRows.wellFormedRows()) {
            rowsByTable.computeIfAbsent(row.table(), table -> new ArrayList<>()).add(row.json());
        }
    }

    @Test
    void shuffledRowsInOneFileGiveTheSameAlerts() throws Exception {
        List<String> all = new ArrayList<>();
        rowsByTable.values().forEach(all::addAll);
        Collections.shuffle(all, new Random(7));
        Path dir = Files.createDirectories(temp.resolve("shuffled"));
        Files.write(dir.resolve("all.jsonl"), all, StandardCharsets.UTF_8);

        assertThat(ReplayHarness.replay(List.of(dir), WINDOW, 2).alerts()).isEqualTo(reference);
    }

    @Test
    void tablesInSeparateReverseSortedFilesGiveTheSameAlerts() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("per-table"));
        int fileNo = 0;
        for (Map.Entry<String, List<String>> table : rowsByTable.entrySet()) {
            List<String> rows = new ArrayList<>(table.getValue());
            rows.sort(Collections.reverseOrder()); // reverse lexical order: roughly the latest rows first
            // Later tables get earlier-sorting names, so the file order is reversed too.
            Files.write(dir.resolve((9 - fileNo++) + "-" + table.getKey() + ".json"), rows, StandardCharsets.UTF_8);
        }
        for (int parallelism : new int[] {1, 2}) {
            assertThat(ReplayHarness.replay(List.of(dir), WINDOW, parallelism).alerts())
                    .as("parallelism %d", parallelism)
                    .isEqualTo(reference);
        }
    }

    @Test
    void referenceHasTheSameAlertIdsAtParallelismTwo() throws Exception {
        List<String> atTwo = ReplayHarness.replay(List.of(telemetryDir()), WINDOW, 2).alerts();
        assertThat(alertIds(atTwo)).isEqualTo(alertIds(reference));
        assertThat(atTwo).isEqualTo(reference);
    }

    private static List<String> alertIds(List<String> alerts) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String alert : alerts) {
            ids.add(JSON.readTree(alert).get("AlertId").asText());
        }
        return ids;
    }

    private static Path telemetryDir() {
        return ReplayHarness.TESTDATA.resolve("telemetry");
    }
}

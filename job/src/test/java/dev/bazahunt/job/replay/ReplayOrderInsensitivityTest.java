package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
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
        rowsByTable = explodeIntoRows(telemetryDir());
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
            rows.sort(Collections.reverseOrder()); // latest rows first within each file
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

    /** Splits Event Hubs batches and flat rows into one Storage-envelope line per row, by table. */
    private static Map<String, List<String>> explodeIntoRows(Path dir) throws IOException {
        Map<String, List<String>> byTable = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).filter(f -> !f.toString().contains("malformed")).sorted().toList();
        }
        for (Path file : files) {
            for (String line : readLines(file)) {
                JsonNode unit = JSON.readTree(line);
                List<JsonNode> records = new ArrayList<>();
                if (unit.has("records")) {
                    unit.get("records").forEach(records::add);
                } else {
                    records.add(unit);
                }
                for (JsonNode record : records) {
                    String table = record.has("category")
                            ? record.get("category").asText().replace("AdvancedHunting-", "")
                            : record.get("Type").asText();
                    ObjectNode envelope = record.has("properties") ? (ObjectNode) record : wrap(record, table);
                    byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(JSON.writeValueAsString(envelope));
                }
            }
        }
        return byTable;
    }

    private static ObjectNode wrap(JsonNode flatRow, String table) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("time", "2021-07-23T00:00:00.0000000Z");
        envelope.put("category", "AdvancedHunting-" + table);
        ObjectNode properties = flatRow.deepCopy();
        if (!properties.has("Timestamp")) {
            properties.set("Timestamp", properties.get("TimeGenerated"));
        }
        envelope.set("properties", properties);
        return envelope;
    }

    private static List<String> readLines(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).toList();
        }
    }
}

package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazahunt.job.testing.TestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An Advanced Hunting export has no Type column: the file's name tells the table. */
class TableFromFileNameTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private static String withoutType(ObjectNode row) {
        row.remove("Type");
        return TestRows.line(row);
    }

    @Test
    void rowsWithoutTypeTakeTheTableFromTheFileNameAndOtherwiseAreDeadLettered() throws Exception {
        Instant t = Instant.parse("2021-07-20T14:02:58Z");
        Path named = Files.createDirectories(temp.resolve("ah-export"));
        Files.write(named.resolve("DeviceFileEvents_2021-07-20.jsonl"),
                List.of(withoutType(TestRows.download(TestRows.DEVICE, t, 100))));
        Files.write(named.resolve("DeviceProcessEvents_2021-07-20.jsonl"),
                List.of(withoutType(TestRows.excelChild(TestRows.DEVICE, t.plusSeconds(60), 101, 7388, "rundll32.exe",
                        "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut"))));
        Path unnamed = Files.write(temp.resolve("export.jsonl"),
                List.of(withoutType(TestRows.download(TestRows.DEVICE, t, 200))));

        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(named, unnamed), Duration.ofMinutes(30), 2, false);

        assertThat(result.alerts()).hasSize(2);
        assertThat(result.alerts()).anySatisfy(alert -> assertThat(alert).contains("\"Campaign\":\"BazaCall\""));
        assertThat(result.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(JSON.readTree(letter).get("reason").asText()).isEqualTo("unrecognised-form");
            assertThat(letter).contains("export.jsonl");
        });
    }
}

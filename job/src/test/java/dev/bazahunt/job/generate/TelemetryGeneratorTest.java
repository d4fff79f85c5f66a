package dev.bazahunt.job.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.rules.HuntRules;
import dev.bazahunt.rules.ExcelMacroActivity;
import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DefenderRecordParser;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.EmailEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import dev.bazahunt.telemetry.ParsedRecordSink;
import dev.bazahunt.telemetry.RawPrefilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TelemetryGeneratorTest {
    @TempDir
    Path temp;

    @Test
    void theSameSeedWritesTheSameBytes() throws IOException {
        GeneratorSettings first = new GeneratorSettings(2_000, 50, 2, WireForm.EVENTHUBS, 2, temp.resolve("a"), 99L);
        GeneratorSettings second = new GeneratorSettings(2_000, 50, 2, WireForm.EVENTHUBS, 2, temp.resolve("b"), 99L);
        TelemetryGenerator.generate(first);
        TelemetryGenerator.generate(second);

        for (String part : List.of("part-00000.jsonl", "part-00001.jsonl")) {
            assertThat(Files.readAllBytes(first.telemetryDir().resolve(part)))
                    .isEqualTo(Files.readAllBytes(second.telemetryDir().resolve(part)));
        }
        assertThat(Files.readString(first.expectedFile())).isEqualTo(Files.readString(second.expectedFile()));
    }

    @Test
    void refusesToWriteIntoAFolderThatHoldsTelemetry() throws IOException {
        GeneratorSettings settings = new GeneratorSettings(100, 10, 1, WireForm.FLAT, 1, temp, 1L);
        TelemetryGenerator.generate(settings);
        assertThatThrownBy(() -> TelemetryGenerator.generate(settings)).hasMessageContaining("not empty");
    }

    @Test
    void rowsAreAboutTheSizeOfRealDefenderRows() throws IOException {
        ExpectedCounts expected = TelemetryGenerator.generate(
                new GeneratorSettings(2_000, 50, 2, WireForm.STORAGE, 1, temp, 3L));
        assertThat(expected.bytes() / expected.lines()).isBetween(1_000L, 1_600L);
    }

    /**
     * The pre-filter's conservativeness on realistic telemetry: no line it skips holds a rule match or
     * an Excel child, and the lines it keeps hold every one the generator planted.
     */
    @ParameterizedTest
    @EnumSource(WireForm.class)
    void prefilterNeverSkipsALineThatMatters(WireForm form) throws IOException {
        GeneratorSettings settings = new GeneratorSettings(5_000, 100, 4, form, 1, temp, 5L);
        ExpectedCounts expected = TelemetryGenerator.generate(settings);
        FindingCounter kept = new FindingCounter();
        FindingCounter skipped = new FindingCounter();
        DefenderRecordParser parser = new DefenderRecordParser();
        long skippedLines = 0;
        try (Stream<Path> files = Files.list(settings.telemetryDir())) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    boolean mayMatter = RawPrefilter.mayMatter(bytes);
                    parser.parse(bytes, mayMatter ? kept : skipped);
                    skippedLines += mayMatter ? 0 : 1;
                }
            }
        }
        assertThat(skipped.ruleMatches + skipped.excelChildren + skipped.deadLetters).isZero();
        assertThat(kept.ruleMatches).isEqualTo(expected.matchedRows());
        assertThat(kept.excelChildren).isEqualTo(expected.excelChildEvents());
        assertThat(skippedLines).isGreaterThan(expected.lines() / 2);
    }

    /** Every rule file of the pack, as the job runs it by default. */
    private static final HuntRules PACK = HuntRules.standard();

    private static final class FindingCounter implements ParsedRecordSink {
        long ruleMatches;
        long excelChildren;
        long deadLetters;

        @Override
        public void fileEvent(DeviceFileEvent event) {
            ruleMatches += PACK.matching(event).size();
        }

        @Override
        public void processEvent(DeviceProcessEvent event) {
            ruleMatches += PACK.matching(event).size();
            excelChildren += ExcelMacroActivity.isExcelChild(event) ? 1 : 0;
        }

        @Override
        public void networkEvent(DeviceNetworkEvent event) {
            ruleMatches += PACK.matching(event).size();
        }

        @Override
        public void emailEvent(EmailEvent event) {
            ruleMatches += PACK.matching(event).size();
        }

        @Override
        public void skipped(String tableName) {}

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            deadLetters++;
        }
    }
}

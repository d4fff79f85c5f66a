package dev.bazahunt.job.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.replay.ReplayHarness;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Generated telemetry through the real replay job gives exactly the counts the generator promised. */
class GeneratedTelemetryReplayTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(WireForm.class)
    void replayFindsEveryPlantedChainAndNothingElse(WireForm form) throws Exception {
        GeneratorSettings settings = new GeneratorSettings(5_000, 300, 3, form, 2, temp.resolve(form.optionValue()), 7L);
        ExpectedCounts expected = TelemetryGenerator.generate(settings);

        ReplayHarness.Replayed result = ReplayHarness.replay(List.of(settings.telemetryDir()), HuntSettings.DEFAULT_WINDOW, 2);

        assertMatches(result, expected);
        assertThat(result.summary().count(HuntCounter.PREFILTER_SKIPPED)).isPositive();
        assertThat(result.summary().count(HuntCounter.INPUT_UNITS)).isEqualTo(expected.lines());
        assertThat(result.deadLetters()).isEmpty();
    }

    @Test
    void theNaiveJobFindsTheSameCounts() throws Exception {
        GeneratorSettings settings = new GeneratorSettings(5_000, 300, 3, WireForm.EVENTHUBS, 2, temp, 11L);
        ExpectedCounts expected = TelemetryGenerator.generate(settings);

        ReplayHarness.Replayed result = ReplayHarness.replay(
                List.of(settings.telemetryDir()), HuntSettings.DEFAULT_WINDOW, 2, false);

        assertMatches(result, expected);
        assertThat(result.summary().count(HuntCounter.PREFILTER_SKIPPED)).isZero();
    }

    private static void assertMatches(ReplayHarness.Replayed result, ExpectedCounts expected) {
        assertThat(expected.baseAlerts()).isEqualTo(6);
        assertThat(result.summary().count(HuntCounter.BASE_ALERTS)).isEqualTo(expected.baseAlerts());
        assertThat(result.summary().count(HuntCounter.CORRELATED_ALERTS)).isEqualTo(expected.correlatedAlerts());
        assertThat(result.summary().count(HuntCounter.MATCHED_ROWS)).isEqualTo(expected.matchedRows());
        assertThat(result.summary().count(HuntCounter.EXCEL_CHILDREN)).isEqualTo(expected.excelChildEvents());
        assertThat(result.summary().count(HuntCounter.CAMPAIGN_INCIDENTS)).isEqualTo(expected.campaignIncidents());
        assertThat(result.alerts()).hasSize(
                (int) (expected.baseAlerts() + expected.correlatedAlerts() + expected.campaignIncidents()));
    }
}

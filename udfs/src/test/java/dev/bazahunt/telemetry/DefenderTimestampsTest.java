package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefenderTimestampsTest {

    private static long nanosOf(String isoInstant) {
        Instant instant = Instant.parse(isoInstant);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Test
    void sevenFractionalDigitsKeepEveryHundredNanosecondTick() {
        assertThat(DefenderTimestamps.parseNanos("2021-07-20T14:02:58.1034567Z"))
                .isEqualTo(nanosOf("2021-07-20T14:02:58Z") + 103_456_700L);
    }

    @Test
    void threeFractionalDigitsAreMilliseconds() {
        assertThat(DefenderTimestamps.parseNanos("2021-07-20T14:02:58.103Z"))
                .isEqualTo(nanosOf("2021-07-20T14:02:58Z") + 103_000_000L);
    }

    @Test
    void noFractionIsAWholeSecond() {
        assertThat(DefenderTimestamps.parseNanos("2021-07-20T14:02:58Z")).isEqualTo(nanosOf("2021-07-20T14:02:58Z"));
    }

    @Test
    void positiveOffsetIsSubtractedToReachUtc() {
        assertThat(DefenderTimestamps.parseNanos("2021-07-20T16:02:58.1034567+02:00"))
                .isEqualTo(DefenderTimestamps.parseNanos("2021-07-20T14:02:58.1034567Z"));
    }

    @Test
    void negativeOffsetCrossingMidnightLandsOnTheNextUtcDay() {
        assertThat(DefenderTimestamps.parseNanos("2021-07-19T22:30:00-05:30"))
                .isEqualTo(nanosOf("2021-07-20T04:00:00Z"));
    }

    @Test
    void leapDayAndDatesBeforeTheEpochAreExact() {
        assertThat(DefenderTimestamps.parseNanos("2024-02-29T23:59:59.9999999Z"))
                .isEqualTo(nanosOf("2024-02-29T23:59:59.9999999Z"));
        assertThat(DefenderTimestamps.parseNanos("1969-12-31T23:59:59.0000001Z")).isEqualTo(-999_999_900L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "2021-07-20", "2021-07-20T14:02:58", "2021-07-20 14:02:58Z", "2021-7-20T14:02:58Z",
        "2021-07-20T14:02:58.Z", "2021-07-20T14:02:58.12345678Z", "2021-13-20T14:02:58Z",
        "2021-02-29T14:02:58Z", "2021-07-20T24:00:00Z", "2021-07-20T14:60:00Z", "2021-07-20T14:02:58+0200",
        "2021-07-20T14:02:58Zjunk", "yesterday", "2021-07-20T14:02:58+19:00", "2300-01-01T00:00:00Z"
    })
    void textThatIsNotAnExactIsoDatetimeIsRejected(String text) {
        assertThatThrownBy(() -> DefenderTimestamps.parseNanos(text))
                .isInstanceOf(MalformedTimestampException.class)
                .hasMessageContaining("is not an ISO-8601 datetime");
    }

    @Test
    void formatAlwaysWritesSevenDigitsAndZ() {
        assertThat(DefenderTimestamps.format(nanosOf("2021-07-20T14:02:58Z"))).isEqualTo("2021-07-20T14:02:58.0000000Z");
        assertThat(DefenderTimestamps.format(nanosOf("2021-07-20T14:02:58.1034567Z")))
                .isEqualTo("2021-07-20T14:02:58.1034567Z");
        assertThat(DefenderTimestamps.format(-999_999_900L)).isEqualTo("1969-12-31T23:59:59.0000001Z");
    }

    @Test
    void formatThenParseRoundTripsAnyTickAcrossTheRepresentableRange() {
        SplittableRandom random = new SplittableRandom(20210720L);
        for (int i = 0; i < 10_000; i++) {
            long ticks = random.nextLong(Long.MIN_VALUE / 100, Long.MAX_VALUE / 100);
            long nanos = ticks * 100;
            String text = DefenderTimestamps.format(nanos);
            assertThat(DefenderTimestamps.parseNanos(text)).as(text).isEqualTo(nanos);
            Instant expected = Instant.EPOCH.plus(nanos, ChronoUnit.NANOS);
            assertThat(Instant.parse(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void parseThenFormatGivesBackDefendersSpelling() {
        String defender = "2021-07-20T14:02:57.9912345Z";
        assertThat(DefenderTimestamps.format(DefenderTimestamps.parseNanos(defender))).isEqualTo(defender);
    }
}

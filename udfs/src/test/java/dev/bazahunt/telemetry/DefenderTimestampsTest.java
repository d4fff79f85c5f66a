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
        "", "2021-07-20", "2021-07-20T14:02", "2021-7-20T14:02:58Z", "2021-07-20_14:02:58Z",
        "2021-07-20T14:02:58.Z", "2021-07-20T14:02:58.1234567890Z", "2021-13-20T14:02:58Z",
        "2021-02-29T14:02:58Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2021-04-31T00:00:00Z",
        "2021-07-20T24:00:00Z", "2021-07-20T14:60:00Z", "2021-07-20T14:02:60Z", "2021-07-20T14:02:58 Z",
        "2021-07-20T14:02:58Zjunk", "yesterday", "2021-07-20T14:02:58+19:00", "2021-07-20T14:02:58+18:01",
        "2021-07-20T14:02:58-1801", "2021-07-20T14:02:58+02:60", "2021-07-20T14:02:58+2",
        "2021-07-20T14:02:58+02:0", "2021-07-20T14:02:58+02:00:00", "2300-01-01T00:00:00Z",
        "Invalid date", "Oct 9, 2024 2:56:53 PM"
    })
    void textThatIsNotAnExactIsoDatetimeIsRejected(String text) {
        assertThatThrownBy(() -> DefenderTimestamps.parseNanos(text))
                .isInstanceOf(MalformedTimestampException.class)
                .hasMessageContaining("is not an ISO-8601 datetime");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "2021-06-23 03:08:14.159814200+00:00", "2021-06-23T03:08:14.1598142Z", "2021-06-23t03:08:14.1598142z",
        "2021-06-23T03:08:14.15981420Z", "2021-06-23T03:08:14.159814299Z", "2021-06-23T03:08:14.1598142+0000",
        "2021-06-23T03:08:14.1598142+00", "2021-06-23T03:08:14.1598142", "2021-06-23 03:08:14.1598142",
        "2021-06-23T05:08:14.1598142+02:00", "2021-06-23T05:08:14.1598142+0200", "2021-06-23T01:38:14.1598142-0130"
    })
    void exporterSpellingsOfOneInstantAllParseToItsTick(String text) {
        assertThat(DefenderTimestamps.parseNanos(text)).isEqualTo(nanosOf("2021-06-23T03:08:14.1598142Z"));
    }

    @Test
    void digitsFinerThanATickAreDroppedTowardTheEarlierTick() {
        long second = nanosOf("1969-12-31T23:59:59Z");
        assertThat(DefenderTimestamps.parseNanos("1969-12-31T23:59:59.000000099Z")).isEqualTo(second);
        assertThat(DefenderTimestamps.parseNanos("1969-12-31T23:59:59.000000199Z")).isEqualTo(second + 100);
    }

    @Test
    void leapRulesOfTheCenturies() {
        assertThat(DefenderTimestamps.parseNanos("2000-02-29T12:00:00Z")).isEqualTo(nanosOf("2000-02-29T12:00:00Z"));
        assertThat(DefenderTimestamps.parseNanos("1904-02-29T00:00:00Z")).isEqualTo(nanosOf("1904-02-29T00:00:00Z"));
        assertThat(DefenderTimestamps.parseNanos("1900-03-01T00:00:00Z") - DefenderTimestamps.parseNanos("1900-02-28T00:00:00Z"))
                .as("1900 has no 29 February").isEqualTo(86_400_000_000_000L);
        assertThat(DefenderTimestamps.parseNanos("2000-03-01T00:00:00Z") - DefenderTimestamps.parseNanos("2000-02-28T00:00:00Z"))
                .as("2000 has one").isEqualTo(2 * 86_400_000_000_000L);
    }

    @Test
    void offsetsUpToEighteenHoursEitherWay() {
        assertThat(DefenderTimestamps.parseNanos("2021-07-20T18:00:00+18:00")).isEqualTo(nanosOf("2021-07-20T00:00:00Z"));
        assertThat(DefenderTimestamps.parseNanos("2021-07-20T00:00:00-18:00")).isEqualTo(nanosOf("2021-07-20T18:00:00Z"));
        assertThat(DefenderTimestamps.parseNanos("2021-07-20T00:00:00-1800")).isEqualTo(nanosOf("2021-07-20T18:00:00Z"));
    }

    @Test
    void nullIsRejectedWithAMessage() {
        assertThatThrownBy(() -> DefenderTimestamps.parseNanos(null))
                .isInstanceOf(MalformedTimestampException.class)
                .hasMessage("datetime is null");
    }

    @Test
    void theRangeEndsRoundTripAndOneTickBeyondIsRejected() {
        long first = Long.MIN_VALUE / 100 * 100;
        long last = Long.MAX_VALUE / 100 * 100;
        assertThat(DefenderTimestamps.format(first)).isEqualTo("1677-09-21T00:12:43.1452242Z");
        assertThat(DefenderTimestamps.format(last)).isEqualTo("2262-04-11T23:47:16.8547758Z");
        assertThat(DefenderTimestamps.parseNanos(DefenderTimestamps.format(first))).isEqualTo(first);
        assertThat(DefenderTimestamps.parseNanos(DefenderTimestamps.format(last))).isEqualTo(last);
        assertThat(DefenderTimestamps.parseNanos("1677-09-21T00:12:43.1452242+00:00")).isEqualTo(first);
        assertThatThrownBy(() -> DefenderTimestamps.parseNanos("1677-09-21T00:12:43.1452241Z"))
                .isInstanceOf(MalformedTimestampException.class).hasMessageContaining("outside the range");
        assertThatThrownBy(() -> DefenderTimestamps.parseNanos("2262-04-11T23:47:16.8547759Z"))
                .isInstanceOf(MalformedTimestampException.class).hasMessageContaining("outside the range");
        assertThatThrownBy(() -> DefenderTimestamps.parseNanos("1677-09-21T00:12:43.1452242+00:01"))
                .isInstanceOf(MalformedTimestampException.class).hasMessageContaining("outside the range");
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

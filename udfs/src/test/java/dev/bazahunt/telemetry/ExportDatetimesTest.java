package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ExportDatetimesTest {

    private static long nanosOf(String isoInstant) {
        Instant instant = Instant.parse(isoInstant);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @ParameterizedTest(name = "{0} ({1}) is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Oct 9, 2024 2:56:53 PM          | MDY | 2024-10-09T14:56:53Z
            Oct 10, 2024 9:36:30 AM         | MDY | 2024-10-10T09:36:30Z
            Oct 10, 2024 12:05:07 AM        | MDY | 2024-10-10T00:05:07Z
            Oct 10, 2024 12:05:07 PM        | MDY | 2024-10-10T12:05:07Z
            October 10, 2024 11:59:59 pm    | DMY | 2024-10-10T23:59:59Z
            Feb 29, 2024 1:00:00 AM         | MDY | 2024-02-29T01:00:00Z
            4/7/2025, 7:27:22.393 AM        | MDY | 2025-04-07T07:27:22.393Z
            4/7/2025, 7:27:22.393 PM        | MDY | 2025-04-07T19:27:22.393Z
            4/7/2025, 12:00:00.000 AM       | MDY | 2025-04-07T00:00:00Z
            04/07/2025, 07:27:22.3930001 AM | MDY | 2025-04-07T07:27:22.3930001Z
            4/7/2025, 7:27:22.393 AM        | DMY | 2025-07-04T07:27:22.393Z
            26/03/2026, 15:18:18.790        | DMY | 2026-03-26T15:18:18.790Z
            3/26/2026, 15:18:18.790         | MDY | 2026-03-26T15:18:18.790Z
            4/7/2025 7:27:22 AM             | MDY | 2025-04-07T07:27:22Z
            2021-07-20T14:02:58.1034567Z    | DMY | 2021-07-20T14:02:58.1034567Z
            2021-06-23 03:08:14.159814200+00:00 | MDY | 2021-06-23T03:08:14.1598142Z
            """)
    void exportSpellingsParseExactly(String text, CsvDateOrder order, String iso) {
        assertThat(ExportDatetimes.parseNanos(text, order)).isEqualTo(nanosOf(iso));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Invalid date", "Okt 9, 2024 2:56:53 PM", "Oct 9 2024 2:56:53 PM", "Oct 32, 2024 2:56:53 PM",
        "Feb 29, 2023 1:00:00 AM", "Oct 9, 2024 13:56:53 PM", "Oct 9, 2024 0:56:53 AM", "Oct 9, 2024 2:56:53 XM",
        "Oct 9, 2024 2:56:53 PM UTC", "13/13/2025, 7:27:22.393", "4/7/25, 7:27:22 AM", "4/7/2025, 7:27",
        "4/7/2025, 24:00:00.000", ""
    })
    void anythingElseIsRejectedWithTheText(String text) {
        assertThatThrownBy(() -> ExportDatetimes.parseNanos(text, CsvDateOrder.MDY))
                .isInstanceOf(MalformedTimestampException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void aFieldAboveTwelveSettlesTheOrder() {
        assertThat(ExportDatetimes.evidence("26/03/2026, 15:18:18.790")).isEqualTo(ExportDatetimes.Evidence.DAY_FIRST);
        assertThat(ExportDatetimes.evidence("3/26/2026, 3:18:18.790 PM")).isEqualTo(ExportDatetimes.Evidence.MONTH_FIRST);
        assertThat(ExportDatetimes.evidence("4/7/2025, 7:27:22.393 AM")).isEqualTo(ExportDatetimes.Evidence.NONE);
        assertThat(ExportDatetimes.evidence("Oct 9, 2024 2:56:53 PM")).isEqualTo(ExportDatetimes.Evidence.NONE);
        assertThat(ExportDatetimes.evidence("13/13/2025, 1:00:00")).isEqualTo(ExportDatetimes.Evidence.NONE);
    }
}

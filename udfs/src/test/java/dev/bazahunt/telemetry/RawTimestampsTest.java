package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The event time of a message the live pre-filter skips, read from its raw bytes. */
class RawTimestampsTest {
    private static long newest(String json) {
        return RawTimestamps.newestMillis(json.getBytes(StandardCharsets.UTF_8));
    }

    private static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void aFlatRowGivesItsOwnTimestamp() {
        assertThat(newest("{\"Timestamp\":\"2021-07-20T14:02:58.1034567Z\",\"DeviceId\":\"b2c4\",\"ActionType\":\"FileCreated\"}"))
                .isEqualTo(millis("2021-07-20T14:02:58.103Z"));
    }

    @Test
    void anEventHubsBatchGivesItsNewestRowNotTheEnvelopeTime() {
        String batch = """
                {"records":[
                  {"time":"2021-07-20T15:00:00Z","category":"AdvancedHunting-DeviceFileEvents",
                   "properties":{"Timestamp" : "2021-07-20T14:05:00Z","DeviceId":"a"}},
                  {"time":"2021-07-20T15:00:00Z","category":"AdvancedHunting-DeviceFileEvents",
                   "properties":{"Timestamp":\t"2021-07-20T14:09:30.5+00:00","DeviceId":"b"}},
                  {"time":"2021-07-20T15:00:00Z","category":"AdvancedHunting-DeviceFileEvents",
                   "properties":{"Timestamp":"2021-07-20T14:01:00Z","DeviceId":"c"}}]}""";
        assertThat(newest(batch)).isEqualTo(millis("2021-07-20T14:09:30.500Z"));
    }

    @Test
    void keysInsideStringsAndValuesThatAreNoDatetimeTellNothing() {
        assertThat(newest("{\"AdditionalFields\":\"{\\\"Timestamp\\\":\\\"2030-01-01T00:00:00Z\\\"}\"}"))
                .isEqualTo(Long.MIN_VALUE);
        assertThat(newest("{\"Timestamp\":\"yesterday\",\"DeviceId\":\"a\"}")).isEqualTo(Long.MIN_VALUE);
        assertThat(newest("{\"Timestamp\":null}")).isEqualTo(Long.MIN_VALUE);
        assertThat(newest("{\"InitiatingProcessCreationTime\":\"2021-07-20T14:00:00Z\"}")).isEqualTo(Long.MIN_VALUE);
        assertThat(newest("{\"Timestamp\":\"2021-07-20T14:0")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theKeyIsFoundAtEveryOffsetAmongBytesThatResembleIt() {
        // Quotes and the key's own letters make the search's skips short and its near-misses many.
        String filler = "\"Timestam\"\"imestamp\"Timestamp Timestam\"p\"\"T\"";
        for (int length = 0; length <= filler.length(); length++) {
            String prefix = filler.substring(0, length).replace("\"", "'");
            for (String quoteBefore : new String[] {"", "\""}) {
                String json = "{\"x\":\"" + prefix + "\"," + quoteBefore + "\"Timestamp\":\"2021-07-20T14:02:58Z\"}";
                assertThat(newest(json)).as(json).isEqualTo(millis("2021-07-20T14:02:58Z"));
            }
            String atTheEnd = "\"" + filler.substring(0, length) + "\"Timestamp\":\"2021-07-20T14:02:59Z\"";
            assertThat(newest(atTheEnd)).as(atTheEnd).isEqualTo(millis("2021-07-20T14:02:59Z"));
        }
        assertThat(newest("\"Timestamp")).isEqualTo(Long.MIN_VALUE);
        assertThat(newest("Timestamp\"")).isEqualTo(Long.MIN_VALUE);
    }
}

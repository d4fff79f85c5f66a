package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.pipeline.AlertRecord;
import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Output records must not carry the event time as their Kafka timestamp: an alert about last year's
 * download would be behind the topic's retention at once, and the broker would delete it.
 */
class RecordTimestampTest {
    private static final long EVENT_TIME_2021 = 1_626_789_778_103L;

    @Test
    void alertsAreStampedWithTheTimeOfWritingAndKeyedByAlertId() {
        AlertRecord alert = new AlertRecord("e608176f-fadc-3307-9008-02c24bc9218d", 1,
                "f5ff5b00-a90e-40b8-b241-9427a8ec5189", "b2c4e6a8f0123456789abcdef0123456789abcde",
                "2021-07-20T14:02:58.1034567Z", false, EVENT_TIME_2021, "key", "{}");
        var record = new AlertRecordSerializer("alerts").serialize(alert, null, EVENT_TIME_2021);
        assertThat(record.timestamp()).isNull();
        // Keyed by AlertId, not DeviceId: compaction keeps the latest revision of every alert.
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("e608176f-fadc-3307-9008-02c24bc9218d");
    }

    @Test
    void deadLettersAndAuditLinesToo() {
        DeadLetter letter = DeadLetter.of(DeadLetterReason.MALFORMED_JSON, "bad", "{", -1);
        letter.topic = "defender";
        letter.partition = 0;
        letter.offset = 12L;
        assertThat(new DeadLetterSerializer("dead").serialize(letter, null, EVENT_TIME_2021).timestamp()).isNull();
        assertThat(new JsonLineSerializer("audit").serialize("{}", null, EVENT_TIME_2021).timestamp()).isNull();
    }
}

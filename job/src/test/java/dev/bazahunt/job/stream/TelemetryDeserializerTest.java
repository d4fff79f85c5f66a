package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.job.testing.TestRows;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The Kafka deserializer: the shared parser on message bytes, origins on dead letters, the pre-filter. */
class TelemetryDeserializerTest {
    private static final Instant T = Instant.parse("2021-07-20T14:02:58Z");

    private static List<TelemetryRecord> deserialize(boolean prefilter, String value, long offset) throws Exception {
        return deserialize(prefilter, StreamSettings.DEFAULT_MAX_MESSAGE_BYTES, value, offset);
    }

    private static List<TelemetryRecord> deserialize(boolean prefilter, int maxBytes, String value, long offset)
            throws Exception {
        TelemetryDeserializer deserializer = new TelemetryDeserializer(prefilter, maxBytes);
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return null;
            }
        });
        List<TelemetryRecord> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>("defender", 1, offset, null,
                value.getBytes(StandardCharsets.UTF_8)), new Collector<>() {
                    @Override
                    public void collect(TelemetryRecord record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    @Test
    void downloadRowsAreParsedWithOrWithoutThePrefilter() throws Exception {
        String download = TestRows.line(TestRows.download(TestRows.DEVICE, T, 1));
        assertThat(deserialize(true, download, 7)).singleElement().satisfies(r -> assertThat(r.fileEvent).isNotNull());
        assertThat(deserialize(false, download, 7)).singleElement().satisfies(r -> assertThat(r.fileEvent).isNotNull());
    }

    @Test
    void benignMessagesAreSkippedUnparsedOnlyWithThePrefilterButStillMoveEventTime() throws Exception {
        String benign = TestRows.line(TestRows.benign(TestRows.DEVICE, T, 2));
        // Skipped, unparsed: only a clock record with the row's Timestamp, for the source's watermark.
        assertThat(deserialize(true, benign, 8)).singleElement().satisfies(record -> {
            assertThat(record.isClock()).isTrue();
            assertThat(record.eventTimeMillis()).isEqualTo(T.toEpochMilli());
            assertThat(record.fileEvent).isNull();
            assertThat(record.processEvent).isNull();
        });
        assertThat(deserialize(false, benign, 8)).singleElement().satisfies(record -> assertThat(record.isClock()).isFalse());
    }

    @Test
    void malformedMessagesBecomeDeadLettersThatNameTheirOrigin() throws Exception {
        List<TelemetryRecord> out = deserialize(false, "{\"records\":[{\"category\":\"AdvancedHunting-Device", 42);
        assertThat(out).singleElement().satisfies(record -> {
            assertThat(record.deadLetter.reason).isEqualTo("malformed-json");
            assertThat(record.deadLetter.topic).isEqualTo("defender");
            assertThat(record.deadLetter.partition).isEqualTo(1);
            assertThat(record.deadLetter.offset).isEqualTo(42L);
        });
    }

    @Test
    void aMessageAboveTheSizeGuardIsADeadLetterWithItsSizeAndStart() throws Exception {
        String download = TestRows.line(TestRows.download(TestRows.DEVICE, T, 1));
        int size = download.getBytes(StandardCharsets.UTF_8).length;
        assertThat(deserialize(false, size, download, 9)).singleElement()
                .satisfies(r -> assertThat(r.fileEvent).isNotNull());
        List<TelemetryRecord> out = deserialize(true, size - 1, download, 9);
        assertThat(out).singleElement().satisfies(record -> {
            assertThat(record.deadLetter.reason).isEqualTo("oversized-record");
            assertThat(record.deadLetter.detail)
                    .isEqualTo("message of " + size + " bytes, more than --max-message-bytes " + (size - 1));
            assertThat(record.deadLetter.excerpt).isEqualTo(download.length() <= 512 ? download
                    : download.substring(0, 512) + "…");
            assertThat(record.deadLetter.offset).isEqualTo(9L);
        });
    }
}

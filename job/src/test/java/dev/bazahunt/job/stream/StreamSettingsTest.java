package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.job.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream command's options: defaults, Event Hubs credentials, and the errors users see. */
class StreamSettingsTest {
    private static final String CONNECTION_STRING =
            "Endpoint=sb://contoso-defender.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=abc\"def=";

    @TempDir
    Path temp;

    private static StreamSettings parse(Map<String, String> environment, String... extra) throws UsageException {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", "contoso-defender.servicebus.windows.net:9093",
                "--input-topic", "insights-logs-advancedhunting-devicefileevents",
                "--input-topic", "insights-logs-advancedhunting-deviceprocessevents",
                "--alerts-topic", "bazahunt-alerts", "--dead-letter-topic", "bazahunt-dead-letters"));
        args.addAll(Arrays.asList(extra));
        return StreamCommand.settings(args.toArray(String[]::new), environment);
    }

    @Test
    void defaultsAreExactlyOnceFromCommittedOffsetsWithASafeTransactionTimeout() throws Exception {
        StreamSettings settings = parse(Map.of());
        assertThat(settings.inputTopics()).hasSize(2);
        assertThat(settings.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(settings.startingOffsetsText()).isEqualTo("committed");
        assertThat(settings.hunt().window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.transactionalIdPrefix()).isEqualTo("bazahunt-bazahunt");
        // Below the broker's default transaction.max.timeout.ms of 15 minutes.
        assertThat(Long.parseLong(settings.kafkaProperties().getProperty("transaction.timeout.ms"))).isLessThan(900_000L);
    }

    @Test
    void eventHubsPasswordComesFromTheEnvironmentAsSaslPlain() throws Exception {
        StreamSettings settings = parse(Map.of("EVENTHUBS_CONNECTION_STRING", CONNECTION_STRING),
                "--sasl-password-env", "EVENTHUBS_CONNECTION_STRING");
        assertThat(settings.kafkaProperties().getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(settings.kafkaProperties().getProperty("sasl.mechanism")).isEqualTo("PLAIN");
        assertThat(settings.kafkaProperties().getProperty("sasl.jaas.config"))
                .contains("username=\"$ConnectionString\"")
                .contains("SharedAccessKey=abc\\\"def=");
    }

    @Test
    void passwordFileWorksToo() throws Exception {
        Path secret = Files.writeString(temp.resolve("eventhubs.secret"), CONNECTION_STRING + "\n");
        StreamSettings settings = parse(Map.of(), "--sasl-password-file", secret.toString());
        assertThat(settings.kafkaProperties().getProperty("sasl.jaas.config")).contains("SharedAccessKeyName=listen");
    }

    @Test
    void secretsAreRefusedOnTheCommandLine() {
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-property",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required password=\"x\";"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("secrets are not taken from the command line");
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-property", "ssl.key.password=x"))
                .hasMessageContaining("secrets are not taken from the command line");
    }

    @Test
    void missingEnvironmentVariableIsAClearError() {
        assertThatThrownBy(() -> parse(Map.of(), "--sasl-password-env", "NOPE"))
                .hasMessageContaining("--sasl-password-env NOPE: the environment variable is not set");
    }

    @Test
    void startingOffsetsAcceptATimestampToReplayHistory() throws Exception {
        assertThat(parse(Map.of(), "--starting-offsets", "timestamp:2021-07-20T14:00:00Z").startingOffsetsText())
                .isEqualTo("timestamp:2021-07-20T14:00:00Z");
        assertThatThrownBy(() -> parse(Map.of(), "--starting-offsets", "timestamp:yesterday"))
                .hasMessageContaining("not an ISO-8601 date-time");
        assertThatThrownBy(() -> parse(Map.of(), "--starting-offsets", "newest"))
                .hasMessageContaining("--starting-offsets must be earliest, latest, committed or timestamp");
    }

    @Test
    void badDeliveryAndPropertiesAreRejected() {
        assertThatThrownBy(() -> parse(Map.of(), "--delivery", "exactly-twice"))
                .hasMessageContaining("--delivery must be exactly-once or at-least-once");
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-property", "novalue"))
                .hasMessageContaining("--kafka-property must be key=value");
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-properties-file", temp.resolve("missing.properties").toString()))
                .hasMessageContaining("--kafka-properties-file");
    }

    @Test
    void zeroOutOfOrdernessIsAllowedButNegativeDurationsAreNot() throws Exception {
        assertThat(parse(Map.of(), "--max-out-of-orderness", "0s").maxOutOfOrderness()).isZero();
        assertThatThrownBy(() -> parse(Map.of(), "--idleness", "0s")).hasMessageContaining("--idleness must be positive");
    }

    @Test
    void propertiesFileAndOverridesMerge() throws Exception {
        Path file = Files.writeString(temp.resolve("client.properties"),
                "request.timeout.ms=60000\nsession.timeout.ms=30000\n");
        StreamSettings settings = parse(Map.of(), "--kafka-properties-file", file.toString(),
                "--kafka-property", "session.timeout.ms=45000");
        assertThat(settings.kafkaProperties().getProperty("request.timeout.ms")).isEqualTo("60000");
        assertThat(settings.kafkaProperties().getProperty("session.timeout.ms")).isEqualTo("45000");
    }
}

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
    void defaultsAreExactlyOnceFromCommittedOffsetsWithAnHourLongTransactionTimeout() throws Exception {
        StreamSettings settings = parse(Map.of());
        assertThat(settings.inputTopics()).hasSize(2);
        assertThat(settings.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(settings.startingOffsetsText()).isEqualTo("committed");
        assertThat(settings.hunt().window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.hunt().maxClockSkew()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.hunt().revisionMemory()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.transactionalIdPrefix()).isEqualTo("bazahunt-bazahunt");
        assertThat(settings.checkpointInterval()).isNull();
        assertThat(settings.transactionTimeoutMs()).isEqualTo(3_600_000L);
        assertThat(settings.kafka().producer().getProperty("transaction.timeout.ms")).isEqualTo("3600000");
        assertThat(settings.kafka().consumer().getProperty("transaction.timeout.ms")).isNull();
        assertThat(settings.kafka().consumer().getProperty("isolation.level")).isEqualTo("read_committed");
        assertThat(settings.kafka().producer().getProperty("isolation.level")).isNull();
    }

    @Test
    void thePrefilterIsOnByDefaultEvenWithTheHardenedRuleAndValidateAllTurnsItOff() throws Exception {
        assertThat(parse(Map.of()).prefilter()).isTrue();
        assertThat(parse(Map.of(), "--hardened").prefilter()).isTrue();
        assertThat(parse(Map.of(), "--validate-all").prefilter()).isFalse();
    }

    @Test
    void eventHubsPasswordIsAnEnvironmentReferenceResolvedByEachClient() throws Exception {
        StreamSettings settings = parse(Map.of("EVENTHUBS_CONNECTION_STRING", CONNECTION_STRING),
                "--sasl-password-env", "EVENTHUBS_CONNECTION_STRING");
        for (java.util.Properties client : List.of(settings.kafka().consumer(), settings.kafka().producer())) {
            assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
            assertThat(client.getProperty("sasl.mechanism")).isEqualTo("PLAIN");
            assertThat(client.getProperty("sasl.jaas.config")).isEqualTo(
                    "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " username=\"$ConnectionString\" password=\"${jaasenv:EVENTHUBS_CONNECTION_STRING}\";");
            assertThat(client.getProperty("config.providers.env.class"))
                    .isEqualTo(org.apache.kafka.common.config.provider.EnvVarConfigProvider.class.getName());
            assertThat(client.toString()).doesNotContain("SharedAccessKey");
        }
    }

    @Test
    void passwordFileIsReadByTheClientItselfTrimmed() throws Exception {
        String connection = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=k=";
        Path secret = Files.writeString(temp.resolve("eventhubs.secret"), connection + "\n");
        StreamSettings settings = parse(Map.of(), "--sasl-password-file", secret.toString());
        java.util.Properties consumer = settings.kafka().consumer();
        assertThat(consumer.toString()).doesNotContain("SharedAccessKey");
        consumer.setProperty("bootstrap.servers", "127.0.0.1:9092");
        consumer.setProperty("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        consumer.setProperty("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        // What the Kafka client itself makes of the properties: the provider reads the file at run time.
        var resolved = new org.apache.kafka.clients.consumer.ConsumerConfig(consumer);
        assertThat(resolved.getPassword("sasl.jaas.config").value()).isEqualTo(
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"$ConnectionString\" password=\"" + connection + "\";");
    }

    @Test
    void literalSecretsInThePropertiesFileBecomeReferencesToThatFile() throws Exception {
        Path file = Files.writeString(temp.resolve("client.properties"),
                "ssl.truststore.location=/etc/kafka/truststore.jks\nssl.truststore.password=changeit\n");
        StreamSettings settings = parse(Map.of(), "--kafka-properties-file", file.toString());
        String reference = "${file:" + file.toAbsolutePath() + ":ssl.truststore.password}";
        assertThat(settings.kafka().consumer().getProperty("ssl.truststore.password")).isEqualTo(reference);
        assertThat(settings.kafka().producer().getProperty("ssl.truststore.password")).isEqualTo(reference);
        assertThat(settings.kafka().consumer().getProperty("ssl.truststore.location")).isEqualTo("/etc/kafka/truststore.jks");
        java.util.Properties consumer = settings.kafka().consumer();
        consumer.setProperty("bootstrap.servers", "127.0.0.1:9092");
        consumer.setProperty("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        consumer.setProperty("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        assertThat(new org.apache.kafka.clients.consumer.ConsumerConfig(consumer).getPassword("ssl.truststore.password")
                .value()).isEqualTo("changeit");
    }

    @Test
    void everySecretBearingKeyIsRefusedOnTheCommandLine() {
        for (String key : List.of("sasl.jaas.config", "ssl.key.password", "ssl.keystore.password",
                "ssl.truststore.password", "ssl.keystore.key", "sasl.oauthbearer.client.credentials.client.secret",
                "consumer.ssl.keystore.key", "producer.ssl.key.password")) {
            assertThatThrownBy(() -> parse(Map.of(), "--kafka-property", key + "=x"))
                    .as(key).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--kafka-property " + key + ": secrets are not taken from the command line");
        }
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-property",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required password=\"${env:X}\";"))
                .hasMessageContaining("secrets are not taken from the command line");
    }

    @Test
    void aSecretKeyMayNameAConfigProviderReferenceOnTheCommandLine() throws Exception {
        StreamSettings settings = parse(Map.of(), "--kafka-property", "ssl.key.password=${env:SSL_KEY_PASSWORD}");
        assertThat(settings.kafka().consumer().getProperty("ssl.key.password")).isEqualTo("${env:SSL_KEY_PASSWORD}");
    }

    @Test
    void kafkaPropertiesGoOnlyToTheClientThatDefinesThem() throws Exception {
        StreamSettings settings = parse(Map.of(),
                "--kafka-property", "session.timeout.ms=30000",       // consumer only
                "--kafka-property", "linger.ms=2",                    // producer only
                "--kafka-property", "request.timeout.ms=60000",       // both
                "--kafka-property", "consumer.client.id=hunt-in",     // prefixed: that client only
                "--kafka-property", "producer.transaction.timeout.ms=1800000",
                "--kafka-property", "partition.discovery.interval.ms=60000"); // Flink's KafkaSource
        java.util.Properties consumer = settings.kafka().consumer();
        java.util.Properties producer = settings.kafka().producer();
        assertThat(consumer.getProperty("session.timeout.ms")).isEqualTo("30000");
        assertThat(producer.getProperty("session.timeout.ms")).isNull();
        assertThat(producer.getProperty("linger.ms")).isEqualTo("2");
        assertThat(consumer.getProperty("linger.ms")).isNull();
        assertThat(consumer.getProperty("request.timeout.ms")).isEqualTo("60000");
        assertThat(producer.getProperty("request.timeout.ms")).isEqualTo("60000");
        assertThat(consumer.getProperty("client.id")).isEqualTo("hunt-in");
        assertThat(producer.getProperty("client.id")).isNull();
        assertThat(settings.transactionTimeoutMs()).isEqualTo(1_800_000L);
        assertThat(consumer.getProperty("partition.discovery.interval.ms")).isEqualTo("60000");
        assertThat(producer.getProperty("partition.discovery.interval.ms")).isNull();
    }

    @Test
    void unknownKafkaPropertiesExitWithCodeTwo() throws Exception {
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-property", "sesion.timeout.ms=30000"))
                .hasMessage("--kafka-property sesion.timeout.ms: neither the Kafka consumer nor the producer has this"
                        + " setting (prefix a key with consumer. or producer. to give it to one client only)");
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-property", "producer.session.timeout.ms=30000"))
                .hasMessageStartingWith("--kafka-property producer.session.timeout.ms: the Kafka producer has no setting"
                        + " session.timeout.ms");
        Path file = Files.writeString(temp.resolve("bad.properties"), "fetch.max.wait=500\n");
        assertThatThrownBy(() -> parse(Map.of(), "--kafka-properties-file", file.toString()))
                .hasMessageStartingWith("--kafka-properties-file fetch.max.wait: neither");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = StreamCommand.run(new String[] {"--bootstrap-servers", "127.0.0.1:1", "--input-topic", "t",
                "--alerts-topic", "a", "--dead-letter-topic", "d", "--kafka-property", "sesion.timeout.ms=1"},
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), new java.io.PrintStream(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("bazahunt stream: --kafka-property sesion.timeout.ms: neither");
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
        assertThat(settings.kafka().consumer().getProperty("request.timeout.ms")).isEqualTo("60000");
        assertThat(settings.kafka().producer().getProperty("request.timeout.ms")).isEqualTo("60000");
        assertThat(settings.kafka().consumer().getProperty("session.timeout.ms")).isEqualTo("45000");
    }
}

package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SASL password sits between the JAAS text's double quotes: what the Kafka clients themselves make
 * of the properties (their config providers, then their JAAS parser) must be the secret, character
 * for character, whatever it holds.
 */
class JaasQuotedSecretsTest {
    @TempDir
    Path temp;

    private static StreamSettings parse(Map<String, String> environment, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", "contoso.servicebus.windows.net:9093",
                "--input-topic", "in", "--alerts-topic", "alerts", "--dead-letter-topic", "dead"));
        args.addAll(Arrays.asList(extra));
        return StreamCommand.settings(args.toArray(String[]::new), environment);
    }

    /** The login module's options, as the consumer (or a producer) resolves and parses its properties. */
    private static Map<String, ?> login(StreamSettings settings, boolean producer) {
        Properties client = (Properties) (producer ? settings.kafka().producer() : settings.kafka().consumer()).clone();
        client.setProperty("bootstrap.servers", "127.0.0.1:9092");
        String side = producer ? "serializer" : "deserializer";
        String type = (producer ? ByteArraySerializer.class : ByteArrayDeserializer.class).getName();
        client.setProperty("key." + side, type);
        client.setProperty("value." + side, type);
        Map<String, ?> values = producer ? new ProducerConfig(client).values() : new ConsumerConfig(client).values();
        return JaasContext.loadClientContext(values).configurationEntries().get(0).getOptions();
    }

    private static Map<String, ?> consumerLogin(StreamSettings settings) {
        return login(settings, false);
    }

    @Test
    void aConnectionStringHoldingQuotesAndBackslashesReachesTheLoginModuleUnchanged() throws Exception {
        String connection = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=\"listen\";"
                + "SharedAccessKey=ab\"c\\d\\\"e\\n=\"; x=\"y\"";
        Path secret = Files.writeString(temp.resolve("eventhubs.secret"), connection + "\n");
        StreamSettings settings = parse(Map.of(), "--sasl-password-file", secret.toString());
        assertThat(settings.kafka().consumer().toString()).doesNotContain("SharedAccessKey");
        for (Map<String, ?> options : List.of(login(settings, false), login(settings, true))) {
            assertThat(options.get("password")).isEqualTo(connection);
            assertThat(options.get("username")).isEqualTo("$ConnectionString");
            assertThat(options).hasSize(2); // nothing of the secret became an option of its own
        }
    }

    @Test
    void aPasswordFromTheEnvironmentIsEscapedTheSameWay() throws Exception {
        // The provider reads the real environment of this JVM; PATH holds no quote, but it is the same
        // escaping as above, and its value must come through whole.
        String path = System.getenv("PATH");
        StreamSettings settings = parse(Map.of("PATH", path), "--sasl-password-env", "PATH");
        assertThat(settings.kafka().producer().getProperty("sasl.jaas.config")).contains("${jaasenv:PATH}");
        assertThat(consumerLogin(settings).get("password")).isEqualTo(path);
    }

    @Test
    void aUserNameHoldingAQuoteIsEscapedInTheJobGraphsText() throws Exception {
        Path secret = Files.writeString(temp.resolve("secret"), "s3cret");
        StreamSettings settings = parse(Map.of(), "--sasl-password-file", secret.toString(),
                "--sasl-username", "svc\"bazahunt\\1");
        assertThat(consumerLogin(settings).get("username")).isEqualTo("svc\"bazahunt\\1");
        assertThat(consumerLogin(settings).get("password")).isEqualTo("s3cret");
    }

    @Test
    void escapingReadsBackAsTheSameTextInJaas() {
        for (String value : List.of("", "plain", "\"", "\\", "\\\"", "a\"b\\c", "line\nbreak\r", "'single' // /* */")) {
            String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required password=\""
                    + JaasQuotedConfigProvider.escape(value) + "\";";
            Map<String, Object> config = Map.of("sasl.jaas.config", new org.apache.kafka.common.config.types.Password(jaas));
            assertThat(JaasContext.loadClientContext(config).configurationEntries().get(0).getOptions().get("password"))
                    .as(value).isEqualTo(value);
        }
    }
}

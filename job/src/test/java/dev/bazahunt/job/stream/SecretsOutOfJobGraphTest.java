package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink Java-serialises the job graph (with Kubernetes HA it stores it in
 * {@code high-availability.storageDir}); Kafka clients resolve their secrets themselves at run time.
 * So no secret text may be in the serialised job graph, source or sinks, however the secret was given.
 */
class SecretsOutOfJobGraphTest {
    private static final String SHARED_ACCESS_KEY = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
    private static final String CONNECTION_STRING = "Endpoint=sb://contoso.servicebus.windows.net/;"
            + "SharedAccessKeyName=listen;SharedAccessKey=" + SHARED_ACCESS_KEY;
    private static final String TRUSTSTORE_PASSWORD = "truststore-password-that-must-not-leak";

    @TempDir
    Path temp;

    @Test
    void neitherTheJobGraphNorTheSourceNorTheSinksHoldTheSecrets() throws Exception {
        Path secretFile = Files.writeString(temp.resolve("eventhubs-send"), CONNECTION_STRING + "\n");
        Path properties = Files.writeString(temp.resolve("client.properties"),
                "ssl.truststore.password=" + TRUSTSTORE_PASSWORD + "\n");
        for (List<String> credentials : List.of(
                List.of("--sasl-password-env", "EVENTHUBS_CONNECTION_STRING"),
                List.of("--sasl-password-file", secretFile.toString()))) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of(
                    "--bootstrap-servers", "contoso.servicebus.windows.net:9093", "--input-topic", "defender",
                    "--alerts-topic", "alerts", "--dead-letter-topic", "dead-letters",
                    "--kafka-properties-file", properties.toString()), credentials.stream()).toArray(String[]::new);
            StreamSettings settings = StreamCommand.settings(args,
                    Map.of("EVENTHUBS_CONNECTION_STRING", CONNECTION_STRING));
            assertThat(settings.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);

            assertSecretFree("the source", InstantiationUtil.serializeObject(KafkaHuntJob.source(settings)));
            assertSecretFree("a sink", InstantiationUtil.serializeObject(
                    KafkaHuntJob.sink(settings, new AlertRecordSerializer("alerts"), "alerts")));
            StreamExecutionEnvironment env = KafkaHuntJob.environment(settings);
            KafkaHuntJob.build(env, settings);
            JobGraph graph = StreamingJobGraphGenerator.createJobGraph(env.getStreamGraph());
            assertSecretFree("the job graph", InstantiationUtil.serializeObject(graph));
        }
    }

    private static void assertSecretFree(String what, byte[] serialised) {
        String text = new String(serialised, StandardCharsets.ISO_8859_1);
        assertThat(serialised.length).as(what).isGreaterThan(1000);
        assertThat(text).as(what).doesNotContain(SHARED_ACCESS_KEY).doesNotContain(TRUSTSTORE_PASSWORD)
                // The properties are readable in the serialised bytes: a secret would be seen.
                .contains("contoso.servicebus.windows.net:9093");
    }
}

package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.cli.OptionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests and the Dockerfile must agree with the job as it really is: the options in
 * job.args are the stream command's, they parse, the secret reaches the variable the job reads, and the
 * jar is where the image puts it. No Kubernetes cluster or Docker engine is needed to check that.
 */
class KubernetesManifestsTest {
    private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode deployment = read("k8s/flinkdeployment.yaml");
    private final JsonNode spec = deployment.path("spec");
    private final JsonNode job = spec.path("job");

    @Test
    void isAFlinkDeploymentForTheOperatorOnFlink22() {
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.path("kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
    }

    @Test
    void everyJobArgumentIsARealOptionOfTheStreamCommand() {
        List<String> args = jobArgs();
        assertThat(args.get(0)).isEqualTo(StreamCommand.NAME);
        Set<String> known = StreamCommand.OPTIONS.stream().map(OptionSpec::name).collect(Collectors.toSet());
        List<String> used = args.stream().filter(arg -> arg.startsWith("--")).map(arg -> arg.substring(2)).toList();
        assertThat(known).containsAll(used);
        List<String> required = StreamCommand.OPTIONS.stream().filter(OptionSpec::required).map(OptionSpec::name).toList();
        assertThat(used).containsAll(required);
    }

    @Test
    void jobArgumentsParseWithTheSecretFromTheEnvironment() throws Exception {
        List<String> args = jobArgs();
        String variable = args.get(args.indexOf("--sasl-password-env") + 1);
        StreamSettings settings = StreamCommand.settings(args.subList(1, args.size()).toArray(String[]::new),
                Map.of(variable, "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=k"));
        assertThat(settings.inputTopics()).isNotEmpty();
        assertThat(settings.kafka().consumer().getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(settings.kafka().producer().getProperty("sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$ConnectionString\""
                        + " password=\"${env:" + variable + "}\";");
        // The manifest's choice, spelled out in its args: Event Hubs tiers without Kafka transactions.
        assertThat(settings.delivery()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(settings.kafka().consumer().getProperty("session.timeout.ms")).isEqualTo("30000");
        assertThat(settings.kafka().producer().getProperty("session.timeout.ms")).isNull();
    }

    @Test
    void theConnectionStringVariableComesFromAKubernetesSecret() {
        List<String> args = jobArgs();
        String variable = args.get(args.indexOf("--sasl-password-env") + 1);
        JsonNode secretRef = null;
        for (JsonNode container : spec.path("podTemplate").path("spec").path("containers")) {
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals(variable)) {
                    secretRef = env.path("valueFrom").path("secretKeyRef");
                }
            }
        }
        assertThat(secretRef).as("env %s in the pod template", variable).isNotNull();
        JsonNode secret = read("k8s/secret.example.yaml");
        assertThat(secretRef.path("name").asText()).isEqualTo(secret.path("metadata").path("name").asText());
        assertThat(secret.path("stringData").has(secretRef.path("key").asText())).isTrue();
    }

    @Test
    void theJarIsWhereTheImagePutsItAndStartsTheRealMainClass() throws IOException {
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$")
                .matcher(Files.readString(DEPLOY.resolve("docker/Dockerfile")));
        assertThat(copy.find()).as("a COPY of the job jar in the Dockerfile").isTrue();
        assertThat(copy.group(1)).matches("job/target/bazahunt-job-.*-shaded\\.jar");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + copy.group(2));
        assertThat(job.path("entryClass").asText()).isEqualTo(BazahuntCli.class.getName());
        assertThat(Files.readString(DEPLOY.getParent().resolve("job/pom.xml")))
                .contains("<mainClass>" + BazahuntCli.class.getName() + "</mainClass>");
    }

    @Test
    void upgradesGoThroughSavepointsAndStateLivesOnObjectStorageWithKubernetesHa() {
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("parallelism").asInt()).isPositive();
        JsonNode config = spec.path("flinkConfiguration");
        assertThat(config.path("high-availability.type").asText()).isEqualTo("kubernetes");
        for (String key : List.of("high-availability.storageDir", "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir")) {
            assertThat(config.path(key).asText()).as(key).matches("(s3|s3a|abfss|gs)://.+");
        }
        List<String> plugins = new ArrayList<>();
        spec.path("podTemplate").path("spec").path("containers").forEach(container -> container.path("env")
                .forEach(env -> {
                    if (env.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
                        plugins.add(env.path("value").asText());
                    }
                }));
        assertThat(plugins).as("the object-storage filesystem plugin is enabled").singleElement()
                .asString().matches("flink-(azure-fs-hadoop|s3-fs-hadoop|s3-fs-presto|gs-fs-hadoop)-2\\.2\\.\\d+\\.jar");
        assertThat(spec.path("jobManager").path("resource").path("memory").asText()).isNotEmpty();
        assertThat(spec.path("taskManager").path("resource").path("cpu").asDouble()).isPositive();
    }

    private List<String> jobArgs() {
        List<String> args = new ArrayList<>();
        job.path("args").forEach(arg -> args.add(arg.asText()));
        return args;
    }

    private static JsonNode read(String file) {
        try {
            return YAML.readTree(DEPLOY.resolve(file).toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

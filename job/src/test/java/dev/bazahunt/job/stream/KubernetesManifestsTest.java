package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.PathArgument;
import dev.bazahunt.job.replay.ReplayCommand;
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
import org.apache.flink.metrics.reporter.MetricReporterFactory;
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
                        + " password=\"${jaasenv:" + variable + "}\";");
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

    @Test
    void everyPodServesFlinkMetricsToPrometheus() throws Exception {
        for (String file : List.of("k8s/flinkdeployment.yaml", "k8s/replay-flinkdeployment.yaml")) {
            JsonNode manifest = read(file).path("spec");
            JsonNode config = manifest.path("flinkConfiguration");
            Class<?> factory = Class.forName(config.path("metrics.reporter.prom.factory.class").asText());
            assertThat(MetricReporterFactory.class).as(file).isAssignableFrom(factory);
            assertThat(factory.getSimpleName()).as(file).isEqualTo("PrometheusReporterFactory");
            String port = config.path("metrics.reporter.prom.port").asText();
            JsonNode pod = manifest.path("podTemplate");
            assertThat(pod.path("metadata").path("annotations").path("prometheus.io/port").asText()).as(file).isEqualTo(port);
            assertThat(pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText()).isEqualTo("true");
            List<String> ports = new ArrayList<>();
            pod.path("spec").path("containers").forEach(container -> container.path("ports")
                    .forEach(p -> ports.add(p.path("containerPort").asText())));
            assertThat(ports).as(file).contains(port);
        }
    }

    @Test
    void everyPodRunsTheVectorScanAsTheLocalScriptsDo() throws Exception {
        String common = Files.readString(DEPLOY.resolve("local/common.sh"));
        Matcher flags = Pattern.compile("JOB_JVM_VECTOR_FLAGS=\\(([^)]*)\\)").matcher(common);
        assertThat(flags.find()).isTrue();
        for (String file : List.of("k8s/flinkdeployment.yaml", "k8s/replay-flinkdeployment.yaml")) {
            String options = read(file).path("spec").path("flinkConfiguration").path("env.java.opts.all").asText();
            assertThat(options).as(file).isEqualTo(flags.group(1).trim());
        }
    }

    /** The bounded replay in application mode: deploy/k8s/replay-flinkdeployment.yaml. */
    @Test
    void theReplayManifestRunsTheReplayCommandOnObjectStorage() throws Exception {
        JsonNode replay = read("k8s/replay-flinkdeployment.yaml");
        JsonNode replaySpec = replay.path("spec");
        JsonNode replayJob = replaySpec.path("job");
        assertThat(replay.path("kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(replaySpec.path("flinkVersion").asText()).isEqualTo(spec.path("flinkVersion").asText());
        assertThat(replaySpec.path("image").asText()).isEqualTo(spec.path("image").asText());
        assertThat(replayJob.path("jarURI").asText()).isEqualTo(job.path("jarURI").asText());
        assertThat(replayJob.path("entryClass").asText()).isEqualTo(BazahuntCli.class.getName());
        // A bounded job: nothing to carry over in a savepoint; a changed spec runs it again.
        assertThat(replayJob.path("upgradeMode").asText()).isEqualTo("stateless");
        assertThat(replayJob.path("parallelism").asInt()).isPositive();

        List<String> args = new ArrayList<>();
        replayJob.path("args").forEach(arg -> args.add(arg.asText()));
        assertThat(args.get(0)).isEqualTo(ReplayCommand.NAME);
        String[] options = args.subList(1, args.size()).toArray(String[]::new);
        CommandLine line = CommandLine.parse(options, ReplayCommand.OPTIONS);
        List<String> required = ReplayCommand.OPTIONS.stream().filter(OptionSpec::required).map(OptionSpec::name).toList();
        for (String option : required) {
            assertThat(line.has(option)).as("--%s", option).isTrue();
        }
        // Application mode has no client: the job runs in the cluster and writes every output itself.
        assertThat(line.has("jobmanager")).isFalse();
        List<String> paths = new ArrayList<>(line.all("input"));
        paths.add(line.get("output", "-"));
        paths.add(line.get("dead-letter", "-"));
        // The manifest's placeholders, <account> and the like, filled in as a user would.
        paths.replaceAll(path -> path.replaceAll("<([a-z-]+)>", "$1"));
        for (String path : paths) {
            assertThat(PathArgument.parse("path", path).toUri().getScheme()).as(path).isIn("abfss", "s3", "gs", "wasbs");
        }
        List<String> plugins = new ArrayList<>();
        replaySpec.path("podTemplate").path("spec").path("containers").forEach(container -> container.path("env")
                .forEach(env -> {
                    if (env.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
                        plugins.add(env.path("value").asText());
                    }
                }));
        assertThat(plugins).as("the filesystem plugin of the input's scheme").singleElement().asString()
                .contains(PathArgument.parse("input", paths.get(0)).toUri().getScheme().startsWith("abfs")
                        ? "azure-fs-hadoop" : "fs-hadoop");
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

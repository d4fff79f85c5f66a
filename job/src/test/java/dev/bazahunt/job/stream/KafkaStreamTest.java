package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.testing.AlertRevisions;
import dev.bazahunt.job.testing.KafkaTestClient;
import dev.bazahunt.job.testing.LocalKafkaBroker;
import dev.bazahunt.job.testing.TestRows;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.job.testing.TestdataRows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Live mode against a real Kafka broker: the same alerts as replay, dead letters, late records. */
class KafkaStreamTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    // Accumulators of a running job reach the client with task manager heartbeats.
                    .setConfiguration(fastHeartbeats()).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalKafkaBroker broker;
    private static KafkaTestClient client;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalKafkaBroker.get();
        client = new KafkaTestClient(broker.bootstrapServers());
    }

    @Test
    void eventHubsMessagesGiveTheGoldenAlertsAndTheMalformedRecordsAsDeadLetters() throws Exception {
        Topics topics = Topics.create(2);
        client.produce(topics.input, goldenMessagesWithMalformedOnes(), null);

        // --validate-all: every message parsed, so every malformed one is dead-lettered.
        JobExecutionResult result = runBounded(topics, "exactly-once", List.of("--validate-all"));

        List<KafkaTestClient.Message> alertMessages = client.readCommitted(topics.alerts, Duration.ofSeconds(2));
        List<String> alerts = values(alertMessages);
        AlertRevisions.assertEachRevisionWrittenOnce(alerts);
        assertThat(AlertRevisions.latest(alerts)).isEqualTo(AlertRevisions.golden());
        // Keyed by AlertId, so a compacted topic keeps the latest revision of every alert.
        for (KafkaTestClient.Message message : alertMessages) {
            assertThat(message.key()).isEqualTo(JSON.readTree(message.value()).get("AlertId").asText());
        }

        assertThat(deadLetterReasonsInOffsetOrder(topics)).containsExactly(
                "malformed-json", "malformed-json", "missing-device-id", "bad-timestamp", "wrong-type");
        assertThat(result.<Long>getAccumulatorResult("deadLettered")).isEqualTo(5L);
        assertThat(result.<Long>getAccumulatorResult("lateRecords")).isZero();
    }

    /**
     * The pre-filter on a real broker: the same golden alerts; the well-formed-looking row without a
     * DeviceId holds no needle, so it is skipped unparsed and counted instead of dead-lettered.
     */
    @Test
    void thePrefilterGivesTheSameAlertsLiveAndSkipsOnlyRowsThatCannotMatter() throws Exception {
        Topics topics = Topics.create(2);
        List<String[]> messages = goldenMessagesWithMalformedOnes();
        client.produce(topics.input, messages, null);

        // The pre-filter is the default.
        JobExecutionResult result = runBounded(topics, "at-least-once", List.of());

        List<String> alerts = values(client.readCommitted(topics.alerts, Duration.ofSeconds(2)));
        assertThat(AlertRevisions.latest(alerts)).isEqualTo(AlertRevisions.golden());
        assertThat(deadLetterReasonsInOffsetOrder(topics)).containsExactly(
                "malformed-json", "malformed-json", "bad-timestamp", "wrong-type");
        assertThat(result.<Long>getAccumulatorResult("deadLettered")).isEqualTo(4L);
    }

    @Test
    void exactlyOnceRefusesToStartWhenTheTransactionTimeoutIsAboveTheBrokersMaximum() throws Exception {
        Topics topics = Topics.create(1);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = StreamCommand.run(new String[] {"--bootstrap-servers", broker.bootstrapServers(),
                "--input-topic", topics.input, "--alerts-topic", topics.alerts, "--dead-letter-topic", topics.deadLetters,
                "--kafka-property", "producer.transaction.timeout.ms=10800000"},
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), new java.io.PrintStream(err, true));
        assertThat(code).isEqualTo(2);
        // deploy/local/kafka.sh sets the broker's maximum to 2 h.
        assertThat(err.toString()).startsWith("bazahunt stream: the producer's transaction.timeout.ms (10800000 ms)"
                + " is above the broker's transaction.max.timeout.ms (7200000 ms)")
                .contains("Raise transaction.max.timeout.ms on the brokers to at least 10800000")
                .contains("--kafka-property producer.transaction.timeout.ms=7200000");
        assertThat(TransactionTimeoutCheck.problem(StreamCommand.settings(new String[] {"--bootstrap-servers",
                broker.bootstrapServers(), "--input-topic", "t", "--alerts-topic", "a", "--dead-letter-topic", "d"},
                Map.of()).kafka().admin(broker.bootstrapServers()), StreamSettings.DEFAULT_TRANSACTION_TIMEOUT_MS,
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isNull();
    }

    /**
     * The skewed-clock scenario: on a one-partition topic, a device whose clock runs ten years ahead
     * sends one ordinary Excel child row first; the fleet's rows follow in time order. The row neither
     * advances event time nor correlates, so every chain is still correlated, at parallelism 1 and 2.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void oneRowFromAClockTenYearsAheadStopsNoCorrelation(int parallelism) throws Exception {
        Topics topics = Topics.create(1);
        List<String[]> messages = new ArrayList<>();
        String skewed = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
        messages.add(new String[] {skewed, TestRows.line(TestRows.excelChild(skewed,
                Instant.now().plus(Duration.ofDays(3653)), 1, 4242, "splwow64.exe", "splwow64.exe 8192"))});
        messages.addAll(TestdataRows.oneRowMessagesInEventTimeOrder());
        client.produce(topics.input, messages, 0);

        JobExecutionResult result = runBounded(topics, "at-least-once",
                List.of("--parallelism", String.valueOf(parallelism)));

        Map<String, String> latest = AlertRevisions.latest(values(client.readCommitted(topics.alerts, Duration.ofSeconds(2))));
        assertThat(latest).isEqualTo(AlertRevisions.golden());
        assertThat(latest.values()).filteredOn(json -> json.contains("\"Campaign\":\"BazaCall\"")).isNotEmpty();
        assertThat(result.<Long>getAccumulatorResult("futureRecords")).isEqualTo(1L);
        assertThat(result.<Long>getAccumulatorResult("lateRecords")).isZero();
    }

    private static List<String[]> goldenMessagesWithMalformedOnes() throws Exception {
        List<String[]> messages = new ArrayList<>();
        // A live feed delivers rows roughly in event time; keyed by device, as Defender's hub partitions.
        List<TestdataRows.Row> rows = TestdataRows.inEventTimeOrder(TestdataRows.wellFormedRows());
        for (int i = 0; i < rows.size(); ) {
            int end = i + 1;
            while (end < rows.size() && end - i < 3 && rows.get(end).deviceId().equals(rows.get(i).deviceId())) {
                end++;
            }
            messages.add(new String[] {rows.get(i).deviceId(), TestdataRows.eventHubsMessage(rows.subList(i, end))});
            i = end;
        }
        for (String malformed : TestdataRows.malformedLines()) {
            messages.add(new String[] {"malformed", malformed});
        }
        return messages;
    }

    /** All malformed messages share a key, so one partition holds them in the order they were sent. */
    private static List<String> deadLetterReasonsInOffsetOrder(Topics topics) throws Exception {
        List<JsonNode> letters = new ArrayList<>();
        for (KafkaTestClient.Message letter : client.readCommitted(topics.deadLetters, Duration.ofSeconds(2))) {
            JsonNode node = JSON.readTree(letter.value());
            assertThat(node.get("topic").asText()).isEqualTo(topics.input);
            assertThat(letter.key()).isEqualTo(topics.input + "-" + node.get("partition").asInt() + "@"
                    + node.get("offset").asLong());
            letters.add(node);
        }
        assertThat(letters.stream().map(node -> node.get("partition").asInt()).distinct()).hasSize(1);
        return letters.stream().sorted(java.util.Comparator.comparingLong(node -> node.get("offset").asLong()))
                .map(node -> node.get("reason").asText()).toList();
    }

    @Test
    void outOfOrderRowsWithinTheBoundCorrelateAndLateOnesStillGetBaseAlerts() throws Exception {
        Topics topics = Topics.create(1);
        Instant t = Instant.parse("2021-07-20T14:02:58.103456700Z");
        String device = TestRows.DEVICE;
        List<String> onTime = List.of(
                TestRows.line(TestRows.download(device, t, 100)),
                // One minute older than the newest row: inside the 2-minute bound, so still correlated.
                TestRows.line(TestRows.excelChild(device, t.minus(Duration.ofMinutes(1)), 101, 6001, "cmd.exe",
                        "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe x8k2.exe")),
                TestRows.line(TestRows.excelChild(device, t.plus(Duration.ofMinutes(5)), 102, 6002, "rundll32.exe",
                        "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut")),
                TestRows.line(TestRows.benign(device, t.plus(Duration.ofHours(3)), 103)));
        var lateDownload = TestRows.download(device, t.plus(Duration.ofMinutes(10)), 200);
        lateDownload.put("InitiatingProcessId", 9100);
        List<String> late = List.of(
                TestRows.line(TestRows.excelChild(device, t.minus(Duration.ofMinutes(2)), 104, 6003, "cmd.exe",
                        "cmd.exe /c whoami")),
                TestRows.line(lateDownload));

        // With the default pre-filter the benign row 3 h later is skipped unparsed; its Timestamp still
        // moves event time on (a clock record), so the rows after it are late.
        JobClient job = environment(topics, "at-least-once", false).executeAsync("bazahunt stream test");
        try {
            client.produce(topics.input, keyed(device, onTime), null);
            // The correlated alert needs the watermark past the last Excel event; the watermark is then
            // already at the newest row (3 h later) minus the bound, so the next rows are late.
            client.readCommittedUntil(topics.alerts, Duration.ZERO, Duration.ofSeconds(60),
                    messages -> messages.stream().anyMatch(m -> m.value().contains("\"Campaign\"")));
            client.produce(topics.input, keyed(device, late), null);
            client.readCommittedUntil(topics.alerts, Duration.ofSeconds(1), Duration.ofSeconds(60),
                    messages -> messages.stream().anyMatch(m -> m.value().contains("\"InitiatingProcessId\":9100")));
            assertThat(awaitAccumulator(job, "lateRecords", 2L)).isEqualTo(2L);
        } finally {
            job.cancel().get();
        }

        Map<String, String> latest = AlertRevisions.latest(values(client.readCommitted(topics.alerts, Duration.ofSeconds(1))));
        List<JsonNode> alerts = new ArrayList<>();
        for (String json : latest.values()) {
            alerts.add(JSON.readTree(json));
        }
        assertThat(alerts).filteredOn(alert -> rule(alert, RuleIds.CERTUTIL_DOWNLOAD))
                .extracting(alert -> alert.get("InitiatingProcessId").asLong())
                .containsExactlyInAnyOrder(7212L, 9100L);
        assertThat(alerts).filteredOn(alert -> rule(alert, RuleIds.BAZACALL_CORRELATION)).hasSize(1);
        // The campaign incident takes the late download too: it waits for no correlation window.
        List<JsonNode> incidents = alerts.stream()
                .filter(alert -> rule(alert, RuleIds.BAZACALL_CAMPAIGN_INCIDENT)).toList();
        assertThat(incidents).hasSize(1);
        assertThat(incidents.get(0).at("/Stages/0/Stage").asText()).isEqualTo("excel-macro");
        assertThat(incidents.get(0).at("/Stages/1/Stage").asText()).isEqualTo("certutil-download");
        assertThat(incidents.get(0).at("/Stages/1/AlertIds")).hasSize(2);
        JsonNode correlated = alerts.stream()
                .filter(alert -> rule(alert, RuleIds.BAZACALL_CORRELATION)).findFirst().orElseThrow();
        List<Long> evidence = new ArrayList<>();
        correlated.get("Evidence").forEach(item -> evidence.add(item.get("ProcessId").asLong()));
        assertThat(evidence).containsExactly(6001L, 6002L);
    }

    @Test
    void tuningGivesTheSameAlertsLiveAsInReplay(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        java.nio.file.Path exclusions = java.nio.file.Files.writeString(temp.resolve("exclusions.yaml"),
                dev.bazahunt.job.testing.TuningScenario.EXCLUSIONS);
        java.nio.file.Path input = java.nio.file.Files.write(temp.resolve("rows.jsonl"),
                dev.bazahunt.job.testing.TuningScenario.rows());
        List<String> tuning = List.of("--hardened", "--suppress", "1h", "--exclusions", exclusions.toString());
        List<String> replayArgs = new ArrayList<>(List.of("replay", "--input", input.toString(),
                "--output", temp.resolve("replay.jsonl").toString(), "--parallelism", "2"));
        replayArgs.addAll(tuning);
        assertThat(dev.bazahunt.job.BazahuntCli.run(replayArgs.toArray(String[]::new),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))).isZero();
        List<String> replayed = java.nio.file.Files.readAllLines(temp.resolve("replay.jsonl"));

        Topics topics = Topics.create(1);
        String auditTopic = "audit-" + topics.input;
        broker.createTopics(1, auditTopic);
        client.produce(topics.input, keyed(TestRows.DEVICE, dev.bazahunt.job.testing.TuningScenario.rows()), null);
        List<String> extra = new ArrayList<>(tuning);
        extra.addAll(List.of("--exclusion-audit-topic", auditTopic));
        environment(topics, "exactly-once", true, extra).execute("bazahunt stream tuning test");

        List<String> live = values(client.readCommitted(topics.alerts, Duration.ofSeconds(2)));
        AlertRevisions.assertEachRevisionWrittenOnce(live);
        assertThat(AlertRevisions.latest(live)).isEqualTo(AlertRevisions.latest(replayed)).hasSize(3);
        assertThat(client.readCommitted(auditTopic, Duration.ofSeconds(1))).hasSize(2);
    }

    private static boolean rule(JsonNode alert, String ruleId) {
        return alert.get("RuleId").asText().equals(ruleId);
    }

    private static Object awaitAccumulator(JobClient job, String name, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Object value = null;
        while (System.nanoTime() < deadline) {
            value = job.getAccumulators().get().get(name);
            if (value != null && ((Number) value).longValue() >= expected) {
                break;
            }
            Thread.sleep(200);
        }
        return value;
    }

    static org.apache.flink.configuration.Configuration fastHeartbeats() {
        org.apache.flink.configuration.Configuration config = new org.apache.flink.configuration.Configuration();
        config.set(org.apache.flink.configuration.HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(500));
        return config;
    }

    private static List<String[]> keyed(String key, List<String> values) {
        return values.stream().map(value -> new String[] {key, value}).toList();
    }

    private JobClient startUnbounded(Topics topics, String delivery) throws Exception {
        StreamExecutionEnvironment env = environment(topics, delivery, false);
        return env.executeAsync("bazahunt stream test");
    }

    private JobExecutionResult runBounded(Topics topics, String delivery, List<String> extra) throws Exception {
        return environment(topics, delivery, true, extra).execute("bazahunt stream test");
    }

    private StreamExecutionEnvironment environment(Topics topics, String delivery, boolean bounded) throws Exception {
        return environment(topics, delivery, bounded, List.of());
    }

    private StreamExecutionEnvironment environment(Topics topics, String delivery, boolean bounded, List<String> extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
            "--bootstrap-servers", broker.bootstrapServers(), "--input-topic", topics.input,
            "--alerts-topic", topics.alerts, "--dead-letter-topic", topics.deadLetters,
            "--group-id", "test-" + topics.input, "--starting-offsets", "earliest",
            "--delivery", delivery, "--checkpoint-interval", "1s", "--idleness", "1s"));
        if (!extra.contains("--parallelism")) {
            args.addAll(List.of("--parallelism", "2"));
        }
        if (bounded) {
            args.add("--bounded");
        }
        args.addAll(extra);
        StreamSettings settings = StreamCommand.settings(args.toArray(String[]::new), Map.of());
        StreamExecutionEnvironment env = KafkaHuntJob.environment(settings);
        KafkaHuntJob.build(env, settings);
        return env;
    }

    private static List<String> values(List<KafkaTestClient.Message> messages) {
        return messages.stream().map(KafkaTestClient.Message::value).toList();
    }

    /** Fresh topics per test, so tests never see each other's records. */
    record Topics(String input, String alerts, String deadLetters) {
        static Topics create(int inputPartitions) throws Exception {
            String run = UUID.randomUUID().toString().substring(0, 8);
            Topics topics = new Topics("telemetry-" + run, "alerts-" + run, "dead-letters-" + run);
            broker.createTopics(inputPartitions, topics.input);
            broker.createTopics(2, topics.alerts, topics.deadLetters);
            return topics;
        }
    }
}

package dev.bazahunt.job.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.bench.MachineLoad;
import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.ScanOptions;
import dev.bazahunt.job.cli.Usage;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.stream.KafkaHuntJob;
import dev.bazahunt.job.stream.StreamCommand;
import dev.bazahunt.job.stream.StreamSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bazahunt bench-latency}: the time from producing a download row to its base alert being
 * visible to a read_committed consumer, under a steady background load, for each delivery mode. The
 * live job runs in this JVM on the embedded cluster against the given broker (deploy/local/kafka.sh).
 * A probe is one download row with its own process id, sent every few milliseconds among Event Hubs
 * messages of benign rows; its ReportId tells the consumer when it was sent.
 */
public final class LatencyBenchmark {
    public static final String NAME = "bench-latency";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS_PER_MESSAGE = 10;
    private static final long PROBE_EVERY_MILLIS = 20;

    static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.required("bootstrap-servers", "HOST:PORT", "The Kafka broker, e.g. the one deploy/local/kafka.sh starts."),
            OptionSpec.optional("rate", "EVENTS_PER_S", "Background load in rows per second (default 50000)."),
            OptionSpec.optional("seconds", "N", "Measured seconds per delivery mode (default 30)."),
            OptionSpec.optional("delivery", "MODE", "at-least-once, exactly-once or both (default both)."),
            OptionSpec.optional("checkpoint-interval", "DURATION", "Checkpoint interval (default 1s)."),
            OptionSpec.optional("parallelism", "N", "Job parallelism (default 2)."),
            ScanOptions.VALIDATE_ALL,
            OptionSpec.optional("warmup-seconds", "N",
                    "An unmeasured at-least-once run first, so a cold broker and JIT do not count (default 15; 0 for none)."));

    private LatencyBenchmark() {}

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) throws Exception {
        CommandLine line;
        String servers;
        int rate;
        int seconds;
        int parallelism;
        String delivery;
        try {
            line = CommandLine.parse(args, OPTIONS);
            if (line.helpRequested()) {
                stdout.println(Usage.of(NAME, "--bootstrap-servers HOST:PORT [OPTIONS]",
                        "Measures produce-to-visible latency of base alerts (p50/p99) at a steady load.", OPTIONS));
                return 0;
            }
            servers = line.get("bootstrap-servers", null);
            rate = line.positiveInt("rate", 50_000);
            seconds = line.positiveInt("seconds", 30);
            parallelism = line.positiveInt("parallelism", 2);
            delivery = line.get("delivery", "both");
            if (!List.of("both", "at-least-once", "exactly-once").contains(delivery)) {
                throw new UsageException("--delivery must be at-least-once, exactly-once or both, got '" + delivery + "'");
            }
        } catch (UsageException e) {
            return Usage.reject(NAME, e, stderr);
        }
        String checkpoint = line.get("checkpoint-interval", "1s");
        List<String> modes = delivery.equals("both") ? List.of("at-least-once", "exactly-once") : List.of(delivery);
        stdout.printf("bench-latency: %,d rows/s background, %d s per mode, probes every %d ms, parallelism %d,"
                + " pre-filter %s, load average %s%n", rate, seconds, PROBE_EVERY_MILLIS, parallelism,
                line.has(ScanOptions.VALIDATE_ALL.name()) ? "off (--validate-all)" : "on", MachineLoad.average());
        int warmup = line.has("warmup-seconds") ? Integer.parseInt(line.get("warmup-seconds", "15").trim()) : 15;
        if (warmup > 0) {
            Result result = measure(servers, "at-least-once", rate, warmup, checkpoint, parallelism,
                    !line.has(ScanOptions.VALIDATE_ALL.name()));
            stdout.println(result.render("warm-up", checkpoint) + " (not counted)");
        }
        for (String mode : modes) {
            Result result = measure(servers, mode, rate, seconds, checkpoint, parallelism,
                    !line.has(ScanOptions.VALIDATE_ALL.name()));
            stdout.println(result.render(mode, checkpoint));
        }
        return 0;
    }

    /** When a probe was sent: for the latency (monotonic) and to compare with record timestamps (wall clock). */
    record Sent(long nanos, long wallMillis) {}

    /**
     * @param inJobMillis per visible probe, from its sending to the job's producer writing its alert (the
     *     alert record's timestamp): the broker's intake, the source, the pipeline and the sink
     */
    record Result(long[] latenciesMicros, long[] inJobMillis, long probesSent, long rowsSent, double seconds) {
        String render(String mode, String checkpoint) {
            long[] sorted = latenciesMicros.clone();
            java.util.Arrays.sort(sorted);
            long[] inJob = inJobMillis.clone();
            java.util.Arrays.sort(inJob);
            return String.format("  %-14s probes %d/%d visible, achieved %,.0f rows/s; latency p50 %s, p99 %s, max %s%s;"
                            + " of it until the job wrote the alert: p50 %s, p99 %s",
                    mode, sorted.length, probesSent, rowsSent / seconds, millis(percentile(sorted, 50)),
                    millis(percentile(sorted, 99)), millis(sorted.length == 0 ? -1 : sorted[sorted.length - 1]),
                    mode.equals("exactly-once") ? " (bounded by the " + checkpoint + " checkpoint interval)" : "",
                    millis(percentile(inJob, 50) * 1000), millis(percentile(inJob, 99) * 1000));
        }

        private static long percentile(long[] sorted, int p) {
            if (sorted.length == 0) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        private static String millis(long micros) {
            return micros < 0 ? "n/a" : String.format("%.1f ms", micros / 1000.0);
        }
    }

    private static Result measure(String servers, String mode, int rate, int seconds, String checkpoint,
            int parallelism, boolean prefilter) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "latency-in-" + run;
        String alerts = "latency-alerts-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(input, 2, (short) 1), new NewTopic(alerts, 2, (short) 1),
                    new NewTopic("latency-dead-" + run, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        List<String> args = new ArrayList<>(List.of(
            "--bootstrap-servers", servers, "--input-topic", input, "--alerts-topic", alerts,
            "--dead-letter-topic", "latency-dead-" + run, "--group-id", "latency-" + run,
            "--starting-offsets", "earliest", "--delivery", mode, "--checkpoint-interval", checkpoint,
            "--idleness", "1s", "--parallelism", String.valueOf(parallelism)));
        if (!prefilter) {
            args.add("--" + ScanOptions.VALIDATE_ALL.name());
        }
        StreamSettings settings = StreamCommand.settings(args.toArray(String[]::new), Map.of());
        StreamExecutionEnvironment env = KafkaHuntJob.environment(settings);
        KafkaHuntJob.build(env, settings);
        JobClient job = env.executeAsync("bazahunt latency " + mode);
        Map<Long, Sent> sentAt = new ConcurrentHashMap<>();
        List<long[]> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> consume(servers, alerts, sentAt, latencies, consuming), "latency-consumer");
        try {
            awaitRunning(job);
            consumer.start();
            Thread.sleep(3000); // let the job and the consumer settle before measuring
            AtomicLong rows = new AtomicLong();
            long probes = produce(servers, input, rate, seconds, sentAt, rows);
            Thread.sleep(Math.max(3000, 3 * settings.checkpointInterval().toMillis()));
            consuming.set(false);
            consumer.join(10_000);
            long[] values = latencies.stream().mapToLong(pair -> pair[0]).toArray();
            long[] inJob = latencies.stream().mapToLong(pair -> pair[1]).toArray();
            return new Result(values, inJob, probes, rows.get(), seconds);
        } finally {
            consuming.set(false);
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && job.getJobStatus().get() != JobStatus.RUNNING) {
            Thread.sleep(100);
        }
    }

    private static long produce(String servers, String topic, int rate, int seconds, Map<Long, Sent> sentAt,
            AtomicLong rows) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        // Large batches: each load message is ~12 KB, and one request per message would cost the broker
        // more CPU than the job it is meant to load.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64L * 1024 * 1024));
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        long probes = 0;
        // Built once: the load must cost the producer nothing but the send.
        byte[][] load = new byte[1000][];
        long loadTime = System.currentTimeMillis();
        for (int device = 0; device < load.length; device++) {
            load[device] = BenignMessages.message(device, loadTime);
        }
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long messagesSent = 0;
            long nextProbe = start;
            int device = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                long due = (now - start) * rate / ROWS_PER_MESSAGE / 1_000_000_000L;
                while (messagesSent < due && System.nanoTime() < nextProbe) {
                    device = (device + 1) % load.length;
                    producer.send(new ProducerRecord<>(topic, key(device), load[device]));
                    messagesSent++;
                    rows.addAndGet(ROWS_PER_MESSAGE);
                }
                now = System.nanoTime();
                if (now >= nextProbe) {
                    long probeId = ++probes;
                    long wall = System.currentTimeMillis();
                    sentAt.put(probeId, new Sent(System.nanoTime(), wall));
                    producer.send(new ProducerRecord<>(topic, null, wall, key((int) (probeId % 1000)),
                            BenignMessages.probe(probeId, wall)));
                    nextProbe = Math.max(nextProbe + TimeUnit.MILLISECONDS.toNanos(PROBE_EVERY_MILLIS), now);
                }
                if (messagesSent >= due) {
                    Thread.sleep(0, 200_000);
                }
            }
            producer.flush();
        }
        return probes;
    }

    private static byte[] key(int device) {
        return BenignMessages.deviceId(device).getBytes(StandardCharsets.UTF_8);
    }

    /** Adds {latency micros, millis until the job wrote the alert} per probe whose base alert is seen. */
    private static void consume(String servers, String topic, Map<Long, Sent> sentAt, List<long[]> latencies,
            AtomicBoolean running) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    long seen = System.nanoTime();
                    JsonNode alert = JSON.readTree(record.value());
                    if (alert.get("Revision").asInt() != 1 || alert.has("Campaign")) {
                        continue;
                    }
                    Sent sent = sentAt.remove(alert.get("ReportIds").get(0).asLong());
                    if (sent != null) {
                        // The alert record's timestamp is its producer's send time (AlertRecordSerializer).
                        latencies.add(new long[] {(seen - sent.nanos()) / 1000, record.timestamp() - sent.wallMillis()});
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("latency consumer failed", e);
        }
    }
}

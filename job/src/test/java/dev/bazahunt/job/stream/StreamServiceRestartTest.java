package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.BazahuntLauncher;
import dev.bazahunt.job.testing.AlertRevisions;
import dev.bazahunt.job.testing.KafkaTestClient;
import dev.bazahunt.job.testing.LocalKafkaBroker;
import dev.bazahunt.job.testing.TestdataRows;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code stream --state-dir} as a service, in real processes: a start, Ctrl-C (SIGINT, stop with a
 * savepoint), a start that resumes from it by itself, {@code kill -9}, and a start that resumes from
 * the newest retained checkpoint by itself, while rows keep arriving. Exactly-once: no
 * (AlertId, Revision) is written with two contents, and every golden alert is there in the end.
 */
class StreamServiceRestartTest {
    private static final Path WORK = Path.of("target", "stream-service-test").toAbsolutePath();

    @Test
    void ctrlCResumeKillNineResumeLosesNothingAndNeverRewritesARevision() throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.get();
        KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "telemetry-" + run;
        String alerts = "alerts-" + run;
        broker.createTopics(2, input, alerts, "dead-letters-" + run);
        Path stateDir = Files.createDirectories(WORK.resolve(run).resolve("state"));

        List<String[]> messages = TestdataRows.oneRowMessagesInEventTimeOrder();
        int third = messages.size() / 3;

        Process first = start(broker, input, alerts, run, stateDir, "1");
        client.produce(input, messages.subList(0, third), null);
        client.readCommittedUntil(alerts, Duration.ZERO, Duration.ofSeconds(120), committed -> !committed.isEmpty());
        new ProcessBuilder("kill", "-INT", String.valueOf(first.pid())).start().waitFor();
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).as("stopped after Ctrl-C").isTrue();
        assertThat(first.exitValue()).isZero();
        assertThat(log(run, "1")).contains("stopping with a savepoint").contains("stopped; savepoint");

        client.produce(input, messages.subList(third, 2 * third), null); // arrives while it is stopped
        Process second = start(broker, input, alerts, run, stateDir, "2");
        int before = client.readCommitted(alerts, Duration.ofSeconds(1)).size();
        client.readCommittedUntil(alerts, Duration.ZERO, Duration.ofSeconds(120), committed -> committed.size() > before);
        assertThat(log(run, "2")).contains("resuming from ").contains(run + "/state/savepoints/savepoint-");
        Thread.sleep(3000); // let a checkpoint or two complete after the restore
        second.destroyForcibly(); // kill -9
        second.waitFor(60, TimeUnit.SECONDS);

        client.produce(input, messages.subList(2 * third, messages.size()), null);
        Process third3 = start(broker, input, alerts, run, stateDir, "3");
        try {
            TestdataRows.produceClockRowsADayLater(client, input, 2); // every window closes
            var golden = AlertRevisions.golden();
            List<String> committed = client.readCommittedUntil(alerts, Duration.ofSeconds(3), Duration.ofSeconds(180),
                    sofar -> AlertRevisions.latest(values(sofar)).equals(golden)).stream()
                    .map(KafkaTestClient.Message::value).toList();
            assertThat(log(run, "3")).contains("resuming from ").contains(run + "/state/checkpoints/").contains("/chk-");
            AlertRevisions.assertNoRevisionWithTwoContents(committed);
            assertThat(AlertRevisions.latest(committed)).isEqualTo(golden);
        } finally {
            new ProcessBuilder("kill", "-TERM", String.valueOf(third3.pid())).start().waitFor();
            if (!third3.waitFor(120, TimeUnit.SECONDS)) {
                third3.destroyForcibly();
            }
        }
    }

    private static List<String> values(List<KafkaTestClient.Message> messages) {
        return messages.stream().map(KafkaTestClient.Message::value).toList();
    }

    private static String log(String run, String name) throws Exception {
        return Files.readString(WORK.resolve(run).resolve("stream-" + name + ".log"));
    }

    /**
     * {@code bazahunt stream} in its own JVM, with the main class ./bazahunt runs (the only one that
     * takes over the signals); output to a file under target/.
     */
    private static Process start(LocalKafkaBroker broker, String input, String alerts, String run, Path stateDir,
            String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m"));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports")
                    || argument.startsWith("--add-modules")) {
                command.add(argument);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BazahuntLauncher.class.getName(), "stream",
                "--bootstrap-servers", broker.bootstrapServers(), "--input-topic", input, "--alerts-topic", alerts,
                "--dead-letter-topic", "dead-letters-" + run, "--group-id", "service-" + run,
                "--starting-offsets", "earliest", "--delivery", "exactly-once", "--checkpoint-interval", "1s",
                "--idleness", "1s", "--parallelism", "2", "--state-dir", stateDir.toUri().toString()));
        Path log = WORK.resolve(run).resolve("stream-" + name + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}

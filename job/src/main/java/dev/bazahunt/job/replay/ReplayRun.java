package dev.bazahunt.job.replay;

import dev.bazahunt.job.pipeline.HuntOutputs;
import dev.bazahunt.job.replay.ReplayCommand.ReplaySettings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs one replay on the embedded cluster and brings its alerts and dead letters back to the client,
 * sorted, so the same input always gives byte-identical output files.
 */
public final class ReplayRun {
    private static final long PROGRESS_EVERY_SECONDS = 5;

    private ReplayRun() {}

    public record Result(List<String> alerts, List<String> deadLetters, List<String> exclusionAudit,
            ReplaySummary summary) {}

    public static Result execute(ReplaySettings settings, PrintStream progress) throws Exception {
        StreamExecutionEnvironment env = settings.environment();
        HuntOutputs outputs = settings.attach(env);
        TypeInformation<ReplayOutput> type = TypeInformation.of(ReplayOutput.class);
        DataStream<ReplayOutput> results = outputs.alerts()
                .map(ReplayOutput::of).returns(type).name("alert json").uid("replay-alert-output")
                .union(outputs.deadLetters()
                        .map(ReplayOutput::of).returns(type).name("dead letter json").uid("replay-dead-letter-output"))
                .union(outputs.exclusionAudit()
                        .map(ReplayOutput::exclusionAudit).returns(type).name("exclusion audit").uid("replay-audit-output"));

        long started = System.nanoTime();
        List<ReplayOutput> collected = new ArrayList<>();
        JobClient client;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bazahunt-progress");
            thread.setDaemon(true);
            return thread;
        });
        try (CloseableIterator<ReplayOutput> iterator = results.collectAsync()) {
            client = env.executeAsync("bazahunt replay");
            JobClient running = client;
            ticker.scheduleAtFixedRate(() -> reportProgress(running, started, progress),
                    PROGRESS_EVERY_SECONDS, PROGRESS_EVERY_SECONDS, TimeUnit.SECONDS);
            iterator.forEachRemaining(collected::add);
        } finally {
            ticker.shutdownNow();
        }
        JobExecutionResult result = client.getJobExecutionResult().get();
        long elapsedNanos = System.nanoTime() - started;

        collected.sort(Comparator.comparing((ReplayOutput o) -> o.sortKey));
        List<String> alerts = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        List<String> audit = new ArrayList<>();
        for (ReplayOutput output : collected) {
            switch (output.kind) {
                case ReplayOutput.ALERT -> alerts.add(output.json);
                case ReplayOutput.DEAD_LETTER -> deadLetters.add(output.json);
                default -> audit.add(output.json);
            }
        }
        return new Result(alerts, deadLetters, audit,
                ReplaySummary.of(result.getAllAccumulatorResults(), elapsedNanos));
    }

    private static void reportProgress(JobClient client, long started, PrintStream progress) {
        try {
            Map<String, Object> accumulators = client.getAccumulators().get(2, TimeUnit.SECONDS);
            ReplaySummary now = ReplaySummary.of(accumulators, System.nanoTime() - started);
            progress.println(now.progressLine());
        } catch (Exception e) {
            // Progress is best effort: the job may be finishing while we ask.
        }
    }
}

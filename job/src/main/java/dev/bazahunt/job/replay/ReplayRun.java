package dev.bazahunt.job.replay;

import dev.bazahunt.job.replay.ReplayCommand.ReplaySettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs one replay and waits for it: embedded in this JVM, on the session cluster of
 * {@code --jobmanager}, or on the cluster of {@code flink run}. The job writes its own output (see
 * {@link ReplayJob#writeOutputs}); the client only reads the job's accumulators, for the progress line
 * and the summary, so its memory does not grow with the output.
 *
 * <p>Where the client cannot wait (the REST jar API and {@code flink run -d} run this code detached,
 * inside the JobManager or without a result to fetch), it returns once the job is submitted.
 */
public final class ReplayRun {
    private static final long PROGRESS_EVERY_SECONDS = 5;
    /** The execution target of an environment that submits to a MiniCluster already running in this JVM. */
    public static final String RUNNING_MINICLUSTER_TARGET = "minicluster";
    /** Flink's execution targets that run the job in this JVM: the embedded cluster, a running MiniCluster. */
    private static final Set<String> IN_THIS_JVM = Set.of("local", RUNNING_MINICLUSTER_TARGET);
    static final String STDOUT_NEEDS_EMBEDDED = "--output - needs the embedded cluster: on a cluster a TaskManager"
            + " writes the alerts, so give --output a file or URI";

    private ReplayRun() {}

    /**
     * @param summary null when the job was submitted detached
     * @param alerts where the job wrote the alerts (a scratch file for {@code --output -})
     * @param failure the job's root cause when it failed, else null
     */
    public record Result(JobID jobId, ReplaySummary summary, Path alerts, Throwable failure) {
        public boolean detached() {
            return summary == null && failure == null;
        }
    }

    public static Result execute(ReplaySettings settings, PrintStream progress) throws Exception {
        StreamExecutionEnvironment env = settings.environment();
        ReplayDestinations destinations = settings.destinations();
        if (destinations.alertsToStdout()) {
            String target = env.getConfiguration().get(DeploymentOptions.TARGET);
            if (settings.jobManager() != null || !IN_THIS_JVM.contains(target == null ? "local" : target)) {
                throw new IllegalArgumentException(STDOUT_NEEDS_EMBEDDED);
            }
            java.nio.file.Path scratch = Files.createTempFile("bazahunt-alerts-", ".jsonl");
            destinations = new ReplayDestinations(new Path(scratch.toUri()), true, destinations.deadLetters(),
                    destinations.exclusionAudit());
        }
        ReplayJob.writeOutputs(settings.attach(env), destinations);
        destinations.removeStaleParts();

        long started = System.nanoTime();
        JobClient client = env.executeAsync("bazahunt replay");
        if (!env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
            return new Result(client.getJobID(), null, destinations.alerts(), null);
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bazahunt-progress");
            thread.setDaemon(true);
            return thread;
        });
        JobExecutionResult result;
        try {
            ticker.scheduleAtFixedRate(() -> reportProgress(client, started, progress),
                    PROGRESS_EVERY_SECONDS, PROGRESS_EVERY_SECONDS, TimeUnit.SECONDS);
            result = client.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            return new Result(client.getJobID(), null, destinations.alerts(), rootCause(e));
        } finally {
            ticker.shutdownNow();
        }
        long elapsedNanos = System.nanoTime() - started;
        return new Result(client.getJobID(), ReplaySummary.of(result.getAllAccumulatorResults(), elapsedNanos),
                destinations.alerts(), null);
    }

    /** The innermost cause: JobExecutionException and its wrappers say only that the job failed. */
    private static Throwable rootCause(ExecutionException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
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

package dev.bazahunt.job.stream;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code stream --state-dir}: the job as a service. In {@code ./bazahunt}'s own JVM, SIGINT (Ctrl-C)
 * and SIGTERM stop it with a savepoint in the state directory, which the next start resumes from. The
 * signals are taken over from the JVM's default handling, which would exit at once and leave only the
 * last checkpoint. Anywhere else (the job jar's main under {@code flink run}, the REST jar API or
 * application mode, where it runs inside the JobManager) the signals stay Flink's: the job just runs,
 * and is stopped with a savepoint through Flink.
 */
final class StreamService {
    private StreamService() {}

    /**
     * @param takeSignals whether this JVM is the launcher's own ({@code LauncherJvm.isLauncher()}), so
     *     its SIGINT and SIGTERM may stop the job with a savepoint
     */
    static int run(StreamExecutionEnvironment env, StateDirectory state, PrintStream stderr, boolean takeSignals)
            throws Exception {
        if (!takeSignals) {
            stderr.println("bazahunt stream: not in ./bazahunt's own JVM, so signals stay Flink's; stop with a"
                    + " savepoint through Flink (flink stop --savepointPath " + state.savepoints() + " JOB_ID),"
                    + " and the next start resumes from it");
            env.execute("bazahunt stream");
            return 0;
        }
        JobClient job = env.executeAsync("bazahunt stream");
        CompletableFuture<String> stopped = new CompletableFuture<>();
        SignalHandler stop = signal -> {
            if (stopped.isDone() || !stopped.complete("requested")) {
                return;
            }
            stderr.println("bazahunt stream: SIG" + signal.getName() + ", stopping with a savepoint in " + state.savepoints());
            Thread stopper = new Thread(() -> {
                try {
                    String savepoint = job.stopWithSavepoint(false, state.savepoints(), SavepointFormatType.CANONICAL)
                            .get(10, TimeUnit.MINUTES);
                    stderr.println("bazahunt stream: stopped; savepoint " + savepoint);
                } catch (Exception e) {
                    stderr.println("bazahunt stream: the savepoint failed (" + e.getMessage()
                            + "); cancelling, the next start resumes from the last retained checkpoint");
                    job.cancel();
                }
            }, "bazahunt-stop-with-savepoint");
            stopper.start();
        };
        Signal.handle(new Signal("INT"), stop);
        Signal.handle(new Signal("TERM"), stop);
        try {
            job.getJobExecutionResult().get();
        } catch (Exception e) {
            if (!stopped.isDone()) {
                throw e;
            }
            // Cancelled after a failed savepoint: already reported.
        }
        return 0;
    }
}

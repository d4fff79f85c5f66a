package dev.bazahunt.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.cli.LauncherJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code stream --state-dir} takes over SIGINT and SIGTERM only in {@code ./bazahunt}'s own JVM. Where
 * the job jar's main runs inside a JobManager (REST jar API, application mode) the signals must stay
 * the JobManager's. Real signals in a real launcher process: {@code StreamServiceRestartTest}.
 */
class StreamServiceSignalsTest {
    private static final Signal INT = new Signal("INT");
    private static final Signal TERM = new Signal("TERM");

    @TempDir
    Path temp;

    private final SignalHandler sentinel = signal -> {};
    private SignalHandler originalInt;
    private SignalHandler originalTerm;

    @BeforeEach
    void installSentinels() {
        originalInt = Signal.handle(INT, sentinel);
        originalTerm = Signal.handle(TERM, sentinel);
    }

    @AfterEach
    void restoreTheJvmsHandlers() {
        Signal.handle(INT, originalInt);
        Signal.handle(TERM, originalTerm);
    }

    private static StreamExecutionEnvironment smallJob() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(1, 2, 3).sinkTo(new DiscardingSink<>());
        return env;
    }

    @Test
    void outsideTheLauncherTheJobRunsAndTheSignalsStayAsTheyWere() throws Exception {
        // The job jar's main never marks the JVM as the launcher's: this test JVM plays the JobManager.
        assertThat(LauncherJvm.isLauncher()).isFalse();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = StreamService.run(smallJob(), new StateDirectory(temp.toString()),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), LauncherJvm.isLauncher());
        assertThat(code).isZero();
        assertThat(Signal.handle(INT, sentinel)).isSameAs(sentinel);
        assertThat(Signal.handle(TERM, sentinel)).isSameAs(sentinel);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("signals stay Flink's")
                .contains("flink stop --savepointPath " + new StateDirectory(temp.toString()).savepoints());
    }

    @Test
    void inTheLaunchersJvmTheServiceTakesBothSignals() throws Exception {
        int code = StreamService.run(smallJob(), new StateDirectory(temp.toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), true);
        assertThat(code).isZero();
        assertThat(Signal.handle(INT, sentinel)).isNotSameAs(sentinel);
        assertThat(Signal.handle(TERM, sentinel)).isNotSameAs(sentinel);
    }
}

package dev.bazahunt.job.replay;

import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.RevisionPolicy;
import dev.bazahunt.job.replay.ReplayCommand.ReplaySettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Runs the real replay job (the CLI's own code path) on the test's MiniCluster. */
public final class ReplayHarness {
    public static final Path TESTDATA = dev.bazahunt.job.testing.TestdataRows.TESTDATA;

    private ReplayHarness() {}

    /** A replay with the raw-byte pre-filter on. */
    public static ReplayRun.Result replay(List<Path> inputs, Duration window, int parallelism) throws Exception {
        return replay(inputs, window, parallelism, true);
    }

    public static ReplayRun.Result replay(List<Path> inputs, Duration window, int parallelism, boolean prefilter)
            throws Exception {
        return replay(inputs, window, parallelism, prefilter, ReplayJob.RANGE_BYTES);
    }

    /** A replay that reads files larger than {@code rangeBytes} in ranges. */
    public static ReplayRun.Result replay(List<Path> inputs, Duration window, int parallelism, boolean prefilter,
            long rangeBytes) throws Exception {
        List<Path> files = InputFiles.resolve(inputs.stream().map(Path::toString).toList()).files();
        ReplaySettings settings = new ReplaySettings(files, 0, null, null, null,
                new HuntSettings(window, RevisionPolicy.FINAL), parallelism, prefilter, rangeBytes);
        return ReplayRun.execute(settings, new PrintStream(OutputStream.nullOutputStream()));
    }
}

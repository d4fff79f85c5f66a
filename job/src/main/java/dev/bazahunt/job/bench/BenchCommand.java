package dev.bazahunt.job.bench;

import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.ScanOptions;
import dev.bazahunt.job.cli.Usage;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.generate.GeneratorSettings;
import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.replay.ReaderScanLimit;
import dev.bazahunt.job.replay.ReplayCommand;
import dev.bazahunt.job.replay.ReplayCommand.ReplaySettings;
import dev.bazahunt.job.replay.ReplayRun;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bazahunt bench}: grep, ripgrep, the naive job and bazahunt on the same generated telemetry.
 *
 * <p>The Flink jobs run in this JVM through {@link ReplayRun}, as {@code bazahunt replay} runs them, with the
 * options parsed as the command parses them: bazahunt with none (its default path), the naive job with
 * {@code --validate-all}. They go to one embedded cluster that stays up for all runs ({@link BenchCluster}),
 * so after the warm-up runs the JIT is warm, as on a long-running session cluster. grep and ripgrep (when
 * installed) run as real child processes.
 * Every contender runs on a small and a large dataset, and the table reports the difference quotient,
 * so start-up costs cancel. Each run's alert counts are checked against the generator's expected
 * counts, so a fast but wrong job cannot win.
 */
public final class BenchCommand {
    public static final String NAME = "bench";
    private static final int DEFAULT_EVENTS = 1_000_000;
    /** The small dataset is this fraction of the large one. */
    private static final int SMALL_DIVISOR = 4;
    /**
     * Every dataset plants at least one chain ({@link BenchDataset}), and a chain needs its rows: below
     * this the small dataset could not hold one, and no alert count would be checked on it.
     */
    static final int MIN_EVENTS = SMALL_DIVISOR * GeneratorSettings.ROWS_PER_CHAIN;
    /**
     * Runs per contender and size, small and large taking turns, so that neither size gets the later, warmer
     * turns; the fastest of each counts, because interference only ever slows a run down.
     */
    private static final int RUNS = 5;
    /**
     * Warm-up runs of the default path on the small dataset: the JIT goes on compiling Flink's own code
     * (job set-up, serialization, sorting, CEP), which runs a few times per job, for some twenty jobs, and
     * the readers share the cores with it. Measured here: a run's time settles after 15 to 20 of them.
     */
    private static final int WARM_UP_RUNS = 20;
    private static final List<String> GREP = List.of("grep", "-c", "-i", "-h", "urlcache");
    private static final List<String> RIPGREP = List.of("rg", "-c", "-i", "--no-filename", "urlcache");
    /** The scan limit is measured on this much of the large dataset, held in memory. */
    private static final int SCAN_LIMIT_BYTES = 256 << 20;

    static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.optional("events", "N", "Rows in the large dataset (default 1,000,000; the small one has N/4)."),
            OptionSpec.optional("files", "F", "Files per dataset (default 2)."),
            OptionSpec.optional("work-dir", "DIR", "Where the datasets are generated and kept (default bazahunt-bench)."),
            OptionSpec.optional("state-devices", "N",
                    "Instead of throughput: weigh the live hunt's keyed state with N devices holding an open "
                            + "correlation window each (e.g. 100000)."));

    private BenchCommand() {}

    public static String usage() {
        return Usage.of(NAME, "[--events N] [--files F] [--work-dir DIR] | --state-devices N",
                "Measures steady-state throughput on generated telemetry (Storage blob lines, ~1.4 KB):\n"
                        + "grep -c -i urlcache, rg -c -i urlcache (when ripgrep is installed), the naive job\n"
                        + "(replay --validate-all: every line parsed) and bazahunt replay with its default options at\n"
                        + "parallelism 1 and 2, and the reader's scan limit. Generates the data on first use.",
                OPTIONS);
    }

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) throws Exception {
        int events;
        int files;
        Path workDir;
        try {
            CommandLine line = CommandLine.parse(args, OPTIONS);
            if (line.helpRequested()) {
                stdout.println(usage());
                return 0;
            }
            if (line.has("state-devices")) {
                StateSizeProbe.run(line.positiveInt("state-devices", 0), stdout, stderr);
                return 0;
            }
            events = line.positiveInt("events", DEFAULT_EVENTS);
            files = line.positiveInt("files", 2);
            workDir = Path.of(line.get("work-dir", "bazahunt-bench"));
            if (events < MIN_EVENTS) {
                throw new UsageException("--events must be at least " + MIN_EVENTS
                        + ", so that the small dataset (N/" + SMALL_DIVISOR + ") holds a chain");
            }
        } catch (UsageException e) {
            return Usage.reject(NAME, e, stderr);
        }
        BenchDataset small = BenchDataset.prepare(workDir, events / SMALL_DIVISOR, files, stderr);
        BenchDataset large = BenchDataset.prepare(workDir, events, files, stderr);

        String loadBefore = MachineLoad.average();
        Measurement grep = measureScanner("grep -c -i urlcache", GREP, small, large);
        Measurement ripgrep = null;
        if (installed(RIPGREP.get(0))) {
            ripgrep = measureScanner("rg -c -i urlcache", RIPGREP, small, large);
        } else {
            stderr.println("bench: ripgrep (rg) is not installed; skipping it (Debian: apt-get install ripgrep)");
        }
        Measurement naive;
        Measurement p1;
        Measurement p2;
        double p2Seconds;
        double p2CompileSeconds;
        try (BenchCluster cluster = BenchCluster.start(2)) {
            stderr.println("bench: warming up the JIT on the small dataset (not reported) ...");
            replaySeconds(small, 2, true); // the naive job parses every line: its code is hot within one run
            for (int run = 0; run < WARM_UP_RUNS; run++) {
                replaySeconds(small, 2, false);
            }
            naive = measureJob("naive job, p=2 (--validate-all)", small, large, 2, true, stderr);
            p1 = measureJob("bazahunt, p=1 (default options)", small, large, 1, false, stderr);
            double compiledBefore = MachineLoad.compilerCpuSeconds();
            long p2Started = System.nanoTime();
            p2 = measureJob("bazahunt, p=2 (default options)", small, large, 2, false, stderr);
            p2Seconds = (System.nanoTime() - p2Started) / 1e9;
            p2CompileSeconds = compiledBefore < 0 ? -1 : MachineLoad.compilerCpuSeconds() - compiledBefore;
        }
        stderr.println("bench: the reader's scan limit on one core ...");
        ReaderScanLimit.Rate scanLimit = ReaderScanLimit.measure(BenchDataset.head(large, SCAN_LIMIT_BYTES), 3.0);
        stdout.println(BenchReport.render(new BenchReport.Results(grep, ripgrep, naive, p1, p2, scanLimit,
                Runtime.getRuntime().availableProcessors()), small, large));
        // Other work on the machine skews a difference of two timings badly; say how busy it was.
        stdout.printf("Load average (1, 5, 15 min) before: %s, after: %s, on %d cores.%n", loadBefore, MachineLoad.average(),
                Runtime.getRuntime().availableProcessors());
        if (p2CompileSeconds >= 0) {
            stdout.printf("JIT compiler threads during bazahunt p=2's %d timed runs (%.1f s): %.1f s of CPU.%n", 2 * RUNS,
                    p2Seconds, p2CompileSeconds);
        }
        return 0;
    }

    private static Measurement measureJob(String name, BenchDataset small, BenchDataset large, int parallelism,
            boolean validateAll, PrintStream log) throws Exception {
        log.printf("bench: %s ...%n", name);
        return bestOfTurns(name, small, small.expected().events(), large, large.expected().events(),
                data -> replaySeconds(data, parallelism, validateAll));
    }

    /** One timed run of a contender on a dataset. */
    @FunctionalInterface
    private interface TimedRun {
        double seconds(BenchDataset data) throws Exception;
    }

    /** A contender's best runs on both datasets, small and large taking turns. */
    private static Measurement bestOfTurns(String name, BenchDataset small, long smallUnits, BenchDataset large,
            long largeUnits, TimedRun run) throws Exception {
        double smallBest = Double.MAX_VALUE;
        double largeBest = Double.MAX_VALUE;
        for (int turn = 0; turn < RUNS; turn++) {
            smallBest = Math.min(smallBest, run.seconds(small));
            largeBest = Math.min(largeBest, run.seconds(large));
        }
        return new Measurement(name, smallUnits, smallBest, largeUnits, largeBest);
    }

    /**
     * Runs the replay job with the options parsed as {@code bazahunt replay} parses them (so the default
     * path is whatever the command's defaults are), and checks its alerts against the generator's counts.
     */
    private static double replaySeconds(BenchDataset data, int parallelism, boolean validateAll) throws Exception {
        List<String> args = new ArrayList<>();
        data.files().forEach(file -> args.addAll(List.of("--input", file.toString())));
        args.addAll(List.of("--output", data.settings().outputDir().resolve("replay-output/alerts.jsonl").toString(),
                "--parallelism", String.valueOf(parallelism)));
        if (validateAll) {
            args.add("--" + ScanOptions.VALIDATE_ALL.name());
        }
        ReplaySettings settings = ReplayCommand.settings(args.toArray(String[]::new));
        ReplayRun.Result result = ReplayRun.execute(settings, new PrintStream(OutputStream.nullOutputStream()));
        if (result.failure() != null) {
            throw new IllegalStateException("the replay job failed on " + data.settings().outputDir(), result.failure());
        }
        long base = result.summary().count(HuntCounter.BASE_ALERTS);
        long correlated = result.summary().count(HuntCounter.CORRELATED_ALERTS);
        if (base != data.expected().baseAlerts() || correlated != data.expected().correlatedAlerts()) {
            throw new IllegalStateException(String.format("wrong result on %s: %d base and %d correlated alerts, "
                    + "expected %d and %d", data.settings().outputDir(), base, correlated,
                    data.expected().baseAlerts(), data.expected().correlatedAlerts()));
        }
        return result.summary().elapsedNanos() / 1e9;
    }

    static boolean installed(String program) {
        try {
            Process probe = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A line-counting scanner's best runs on both datasets, taking turns as the jobs do. */
    private static Measurement measureScanner(String name, List<String> scanner, BenchDataset small, BenchDataset large)
            throws Exception {
        return bestOfTurns(name, small, small.expected().lines(), large, large.expected().lines(),
                data -> scannerSeconds(scanner, data));
    }

    /**
     * One run of a line-counting scanner, checked against the expected count. Both print one count per
     * file, without the file's name.
     */
    private static double scannerSeconds(List<String> scanner, BenchDataset data) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(scanner);
        data.files().forEach(file -> command.add(file.toString()));
        long started = System.nanoTime();
        Process grep = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(grep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = grep.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        long count = output.lines().mapToLong(Long::parseLong).sum();
        if (exit != 0 || count != data.expected().linesContainingUrlcache()) {
            throw new IllegalStateException(scanner.get(0) + " exited " + exit + " counting " + count + " lines, expected "
                    + data.expected().linesContainingUrlcache() + ": " + output);
        }
        return seconds;
    }
}

package dev.bazahunt.job;

import dev.bazahunt.job.bench.BenchCommand;
import dev.bazahunt.job.generate.GenerateCommand;
import dev.bazahunt.job.latency.LatencyBenchmark;
import dev.bazahunt.job.replay.ReplayCommand;
import dev.bazahunt.job.report.ReportCommand;
import dev.bazahunt.job.stream.StreamCommand;
import java.io.PrintStream;

/**
 * The entry point of {@code ./bazahunt} and of the job jar. Each command parses its own options and
 * returns an exit code: 0 on success, 2 on a bad command line, 1 when the job fails.
 */
public final class BazahuntCli {
    private BazahuntCli() {}

    /**
     * Exits the JVM only on failure: under {@code flink run} in application mode this main runs inside
     * the JobManager, and a detached job's execute() returns at once, so exiting on success would stop
     * the cluster that runs the job.
     */
    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Exception e) {
            System.err.println("bazahunt: failed: " + e);
            Throwable cause = e.getCause();
            while (cause != null) {
                System.err.println("  caused by: " + cause);
                cause = cause.getCause();
            }
            code = 1;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? stderr : stdout).println(usage());
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case ReplayCommand.NAME:
                return ReplayCommand.run(rest, stdout, stderr);
            case StreamCommand.NAME:
                return StreamCommand.run(rest, stdout, stderr);
            case GenerateCommand.NAME:
                return GenerateCommand.run(rest, stdout, stderr);
            case BenchCommand.NAME:
                return BenchCommand.run(rest, stdout, stderr);
            case LatencyBenchmark.NAME:
                return LatencyBenchmark.run(rest, stdout, stderr);
            case ReportCommand.NAME:
                return ReportCommand.run(rest, stdout, stderr);
            default:
                stderr.println("bazahunt: unknown command '" + args[0] + "'");
                stderr.println(usage());
                return 2;
        }
    }

    static String usage() {
        return """
                Usage: bazahunt <command> [OPTIONS]

                Hunts the BazaCall campaign's renamed-certutil download in Microsoft Defender telemetry
                on Apache Flink, and ties it to the Excel macro activity around it.

                Commands:
                  replay   Hunt through exported telemetry files (bounded, order-insensitive).
                  stream   Hunt live telemetry from Kafka or Azure Event Hubs.
                  generate Write synthetic telemetry with planted BazaCall chains and the expected counts.
                  bench    Measure grep, the naive job and bazahunt on the same generated telemetry.
                  bench-latency
                           Measure produce-to-alert latency against a Kafka broker.
                  report   Write one self-contained HTML page from a hunt's alerts (incident timelines).

                Run 'bazahunt <command> --help' for the options of a command.""";
    }
}

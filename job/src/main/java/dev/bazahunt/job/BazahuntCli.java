package dev.bazahunt.job;

import dev.bazahunt.job.bench.BenchCommand;
import dev.bazahunt.job.generate.GenerateCommand;
import dev.bazahunt.job.latency.LatencyBenchmark;
import dev.bazahunt.job.replay.ReplayCommand;
import dev.bazahunt.job.report.ReportCommand;
import dev.bazahunt.job.stream.StreamCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The commands of {@code ./bazahunt} and of the job jar. Each command parses its own options and
 * returns an exit code: 0 on success, 2 on a bad command line, 1 when the job fails.
 */
public final class BazahuntCli {
    /** How much of a failed command's stderr goes into the exception Flink reports. */
    private static final int MESSAGE_LIMIT = 4_000;

    private BazahuntCli() {}

    /**
     * The job jar's entry point, under {@code flink run}, the REST jar API and Kubernetes application
     * mode. It never exits the JVM: in the REST jar API and in application mode this main runs inside the
     * JobManager, and System.exit there would take the cluster down. A failure is thrown instead, with
     * the command's own messages, so that Flink reports it (flink run's exit code, the REST answer, the
     * application's status). {@code ./bazahunt} starts {@link BazahuntLauncher}, which does exit.
     */
    public static void main(String[] args) throws Exception {
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream stderr = new PrintStream(new TeeOutputStream(System.err, messages), true, StandardCharsets.UTF_8);
        int code = run(args, System.out, stderr);
        if (code != 0) {
            String text = messages.toString(StandardCharsets.UTF_8).strip();
            if (text.length() > MESSAGE_LIMIT) {
                text = "..." + text.substring(text.length() - MESSAGE_LIMIT);
            }
            throw new IllegalStateException("bazahunt " + (args.length > 0 ? args[0] : "")
                    + " failed with exit code " + code + (text.isEmpty() ? "" : ":\n" + text));
        }
    }

    /** Runs a command and turns an exception into exit code 1 with its causes on stderr. */
    static int runReportingFailures(String[] args, PrintStream stdout, PrintStream stderr) {
        try {
            return run(args, stdout, stderr);
        } catch (Exception e) {
            stderr.println("bazahunt: failed: " + e);
            Throwable cause = e.getCause();
            while (cause != null) {
                stderr.println("  caused by: " + cause);
                cause = cause.getCause();
            }
            return 1;
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

    /** Copies everything written to both streams; closing it closes neither. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}

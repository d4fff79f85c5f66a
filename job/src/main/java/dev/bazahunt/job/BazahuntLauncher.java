package dev.bazahunt.job;

import dev.bazahunt.job.cli.LauncherJvm;

/**
 * The entry point of {@code ./bazahunt}: runs a command in this JVM and exits with its code (0 success,
 * 2 bad command line, 1 failure, including a replay job that failed on a cluster). Not the job jar's
 * main class: {@link BazahuntCli#main} is, and it never exits the JVM.
 */
public final class BazahuntLauncher {
    private BazahuntLauncher() {}

    public static void main(String[] args) {
        // This JVM is ours: stream --state-dir may take over SIGINT and SIGTERM (see StreamService).
        LauncherJvm.mark();
        int code = BazahuntCli.runReportingFailures(args, System.out, System.err);
        System.out.flush();
        // Exit also on success: a job's non-daemon threads (Flink's client, the embedded cluster) must not
        // keep the launcher alive once the command is done.
        System.exit(code);
    }
}

package dev.bazahunt.job.cli;

/**
 * Whether this JVM is {@code ./bazahunt}'s own process ({@code BazahuntLauncher}), which a command may
 * treat as its own: exit it, take over its signals. The job jar's main ({@code BazahuntCli}) never
 * marks it, because under the REST jar API and in application mode that main runs inside a JobManager,
 * whose signals and shutdown belong to Flink.
 */
public final class LauncherJvm {
    private static volatile boolean marked;

    private LauncherJvm() {}

    /** Called once, by the launcher's main, before any command runs. */
    public static void mark() {
        marked = true;
    }

    public static boolean isLauncher() {
        return marked;
    }
}

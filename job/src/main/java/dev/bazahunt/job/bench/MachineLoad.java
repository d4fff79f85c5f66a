package dev.bazahunt.job.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** How busy the machine is, printed beside benchmark figures: other work skews timings badly. */
public final class MachineLoad {
    private MachineLoad() {}

    /** The 1, 5 and 15 minute load averages, e.g. {@code "0.36 2.98 6.22"}, or "unknown". */
    public static String average() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The CPU time this JVM's JIT compiler threads have used so far, in seconds, or -1 where the system
     * does not tell (it is read from Linux's {@code /proc}): compiling shares the cores with the job being
     * timed. The JVM's own compilation time ({@code CompilationMXBean}) is no measure of that: it is the
     * compilations' elapsed time, which grows when the compiler threads wait for a core.
     */
    public static double compilerCpuSeconds() {
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            long ticks = 0;
            for (Path thread : threads) {
                ticks += compilerTicks(thread);
            }
            return ticks / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux
        }
    }

    /** A thread's CPU ticks if it is a JIT compiler thread, else 0; also 0 for a thread that ended meanwhile. */
    private static long compilerTicks(Path thread) {
        try {
            String name = Files.readString(thread.resolve("comm")).trim();
            if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                return cpuTicks(Files.readString(thread.resolve("stat")));
            }
            return 0;
        } catch (IOException ended) {
            return 0; // compiler threads stay; the other threads come and go
        }
    }

    /** Linux's USER_HZ, the unit of the times in {@code /proc/.../stat}: 100 on every architecture it runs on. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    /** User plus system time of one thread, from its {@code stat} line (the fields after the name in parentheses). */
    private static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime and stime, fields 14 and 15
    }
}

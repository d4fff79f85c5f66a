package dev.bazahunt.job.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
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
     * The CPU time this JVM's JIT compilers have spent so far, in seconds, or -1 where the JVM does not
     * tell: compiling shares the cores with the job being timed.
     */
    public static double compileSeconds() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() / 1e3 : -1;
    }
}

package dev.bazahunt.job.bench;

import java.io.IOException;
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
}

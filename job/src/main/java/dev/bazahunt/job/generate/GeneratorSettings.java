package dev.bazahunt.job.generate;

import java.nio.file.Path;

/** The validated options of one {@code bazahunt generate}. */
public record GeneratorSettings(int events, int devices, int chains, WireForm form, int files, Path outputDir,
        long seed) {

    /** Each chain is this many rows. */
    public static final int ROWS_PER_CHAIN = 6;

    public GeneratorSettings {
        if (events <= 0 || devices <= 0 || chains < 0 || files <= 0) {
            throw new IllegalArgumentException("events, devices and files must be positive, chains not negative");
        }
        if (chains > devices) {
            throw new IllegalArgumentException("--chains " + chains + " needs as many devices, got --devices " + devices);
        }
        if ((long) chains * ROWS_PER_CHAIN > events) {
            throw new IllegalArgumentException("--events " + events + " cannot hold " + chains + " chains of "
                    + ROWS_PER_CHAIN + " rows each");
        }
    }

    /** Where the telemetry files go; {@code expected.json} sits beside this folder, not in it. */
    public Path telemetryDir() {
        return outputDir.resolve("telemetry");
    }

    public Path expectedFile() {
        return outputDir.resolve("expected.json");
    }
}

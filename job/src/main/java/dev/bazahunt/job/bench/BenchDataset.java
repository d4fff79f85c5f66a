package dev.bazahunt.job.bench;

import dev.bazahunt.job.generate.ExpectedCounts;
import dev.bazahunt.job.generate.GenerateCommand;
import dev.bazahunt.job.generate.GeneratorSettings;
import dev.bazahunt.job.generate.TelemetryGenerator;
import dev.bazahunt.job.generate.WireForm;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Generated telemetry of one size for the bench, generated once and reused while its settings match. */
record BenchDataset(GeneratorSettings settings, ExpectedCounts expected, List<Path> files) {
    /** Chains scale with the data, one per 100,000 rows, so bigger runs also alert more. */
    private static final int ROWS_PER_CHAIN = 100_000;

    static BenchDataset prepare(Path workDir, int events, int files, PrintStream log) throws IOException {
        WireForm form = WireForm.STORAGE; // one row per line: grep's lines and the job's events are the same unit
        Path dir = workDir.resolve(String.format("%s-%d-events-%d-files", form.optionValue(), events, files));
        GeneratorSettings settings = new GeneratorSettings(events, Math.max(1_000, events / 100),
                Math.max(1, events / ROWS_PER_CHAIN), form, files, dir, GenerateCommand.DEFAULT_SEED);
        ExpectedCounts expected = null;
        if (Files.exists(settings.expectedFile())) {
            ExpectedCounts found = ExpectedCounts.read(settings.expectedFile());
            // An expected.json written before the whole pack ran by default has no campaignIncidents and
            // counts only the faithful rule's alerts; such data is generated again.
            if (found.events() == events && found.files() == files && found.chains() == settings.chains()
                    && found.campaignIncidents() == settings.chains()) {
                expected = found;
                log.printf("bench: reusing %s%n", dir);
            }
        }
        if (expected == null) {
            log.printf("bench: generating %,d events over %d files in %s ...%n", events, files, dir);
            deleteTelemetry(settings.telemetryDir());
            expected = TelemetryGenerator.generate(settings);
        }
        try (Stream<Path> listing = Files.list(settings.telemetryDir())) {
            return new BenchDataset(settings, expected, listing.sorted().toList());
        }
    }

    /** The first whole lines of the dataset's first file, at most {@code maxBytes} of them, in memory. */
    static byte[] head(BenchDataset data, int maxBytes) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(data.files().get(0))) {
            bytes = in.readNBytes(maxBytes);
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    private static void deleteTelemetry(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path file : listing.toList()) {
                Files.delete(file);
            }
        }
    }
}

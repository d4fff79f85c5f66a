package dev.bazahunt.job.replay;

import dev.bazahunt.job.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Expands the {@code --input} paths into the telemetry files to read: a file as given, a directory
 * recursively, keeping {@code .json}, {@code .jsonl}, CSV exports ({@code .csv}) and gzip ({@code .gz},
 * e.g. {@code .jsonl.gz} or {@code .csv.gz}) files. The result is
 * sorted and de-duplicated, so the job's plan does not depend on directory listing order.
 */
public final class InputFiles {
    private InputFiles() {}

    public record Resolved(List<Path> files, int ignored) {}

    public static Resolved resolve(List<String> inputs) throws UsageException {
        TreeSet<Path> files = new TreeSet<>();
        int ignored = 0;
        for (String input : inputs) {
            Path path = Path.of(input).toAbsolutePath().normalize();
            if (!Files.exists(path)) {
                throw new UsageException("--input " + input + ": no such file or directory");
            }
            if (!Files.isReadable(path)) {
                throw new UsageException("--input " + input + ": not readable");
            }
            if (Files.isDirectory(path)) {
                List<Path> found = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).forEach(found::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new UsageException("--input " + input + ": cannot list directory: " + e.getMessage());
                }
                for (Path file : found) {
                    if (isTelemetryFile(file)) {
                        requireReadable(input, file);
                        files.add(file);
                    } else {
                        ignored++;
                    }
                }
            } else if (isTelemetryFile(path)) {
                files.add(path);
            } else {
                throw new UsageException("--input " + input + ": not a .json, .jsonl, .csv or .gz file");
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("--input " + String.join(", ", inputs) + ": no .json, .jsonl, .csv or .gz files found");
        }
        return new Resolved(List.copyOf(files), ignored);
    }

    static boolean isTelemetryFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".csv") || name.endsWith(".gz");
    }

    private static void requireReadable(String input, Path file) throws UsageException {
        if (!Files.isReadable(file)) {
            throw new UsageException("--input " + input + ": " + file + " is not readable");
        }
    }
}

package dev.bazahunt.job.replay;

import dev.bazahunt.job.cli.PathArgument;
import dev.bazahunt.job.cli.UsageException;
import dev.bazahunt.job.storage.ExportPruning;
import dev.bazahunt.job.storage.StoragePaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Expands the {@code --input} paths into the telemetry files to read: a file as given, a directory
 * recursively, through Flink's {@link FileSystem}, so a path may be any Flink file system URI (s3://,
 * wasbs://, abfss://, gs://, hdfs://, file://) or a local path. Directories keep {@code .json},
 * {@code .jsonl}, CSV exports ({@code .csv}) and gzip ({@code .gz}, e.g. {@code .jsonl.gz} or
 * {@code .csv.gz}) files ({@link #isTelemetryFile}). The result is sorted and de-duplicated, so the
 * job's plan does not depend on listing order.
 *
 * <p>In Defender's Storage layout, {@link ExportPruning} decides what is not opened: the containers of
 * tables no rule reads are not even listed, and hour folders or blobs outside {@code --from/--until}
 * are left closed.
 */
public final class InputFiles {
    private InputFiles() {}

    /**
     * @param files the files to read
     * @param ignored files in the directories that are not telemetry files
     * @param blobsListed telemetry files found, read or pruned
     * @param blobsPruned telemetry files left closed because their hour is outside the range
     * @param foldersPruned date folders not listed because their whole span is outside the range
     * @param unreadContainers containers not listed because no loaded rule reads their table
     */
    public record Resolved(List<Path> files, int ignored, int blobsListed, int blobsPruned, int foldersPruned,
            Set<String> unreadContainers) {
        /** Files chosen by the caller, read as given. */
        public static Resolved of(List<Path> files, int ignored) {
            return new Resolved(List.copyOf(files), ignored, files.size(), 0, 0, Set.of());
        }
    }

    public static Resolved resolve(List<String> inputs) throws UsageException {
        return resolve(inputs, ExportPruning.tablesOnly());
    }

    public static Resolved resolve(List<String> inputs, ExportPruning pruning) throws UsageException {
        Listing listing = new Listing(pruning);
        for (String input : inputs) {
            Path path = PathArgument.parse("input", input);
            FileSystem fs = StoragePaths.fileSystem("input", path);
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new UsageException("--input " + input + ": no such file or directory");
            } catch (IOException e) {
                throw new UsageException("--input " + input + ": cannot read: " + e.getMessage());
            }
            if (status.isDir()) {
                try {
                    listing.walk(fs, status);
                } catch (IOException e) {
                    throw new UsageException("--input " + input + ": cannot list directory: " + e.getMessage());
                }
            } else if (isTelemetryFile(path.getName())) {
                listing.file(status);
            } else {
                throw new UsageException("--input " + input + ": not a .json, .jsonl, .csv or .gz file");
            }
        }
        if (listing.files.isEmpty()) {
            throw new UsageException("--input " + String.join(", ", inputs) + ": no .json, .jsonl, .csv or .gz files "
                    + (listing.blobsPruned + listing.foldersPruned > 0 ? "inside --from/--until" : "found")
                    + (listing.unreadContainers.isEmpty() ? ""
                            : " in the tables the rules read (not opened: " + listing.unreadContainers + ")"));
        }
        return new Resolved(List.copyOf(listing.files.values()), listing.ignored, listing.blobsListed, listing.blobsPruned,
                listing.foldersPruned, Set.copyOf(listing.unreadContainers));
    }

    /** The one place that says which files are telemetry: by name, in any case. */
    static boolean isTelemetryFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".csv") || lower.endsWith(".gz");
    }

    private static final class Listing {
        final ExportPruning pruning;
        /** By URI text: Flink paths are not comparable. */
        final TreeMap<String, Path> files = new TreeMap<>();
        final Set<String> unreadContainers = new TreeSet<>();
        int ignored;
        int blobsListed;
        int blobsPruned;
        int foldersPruned;

        Listing(ExportPruning pruning) {
            this.pruning = pruning;
        }

        void walk(FileSystem fs, FileStatus directory) throws IOException {
            String path = directory.getPath().toUri().getPath();
            String unread = pruning.unreadTable(path);
            if (unread != null) {
                unreadContainers.add(unread);
                return;
            }
            if (pruning.outsideRange(path)) {
                foldersPruned++;
                return;
            }
            FileStatus[] children = fs.listStatus(directory.getPath());
            if (children == null) {
                return;
            }
            for (FileStatus child : children) {
                if (child.isDir()) {
                    walk(fs, child);
                } else if (!isTelemetryFile(child.getPath().getName())) {
                    ignored++;
                } else {
                    file(child);
                }
            }
        }

        void file(FileStatus file) {
            String path = file.getPath().toUri().getPath();
            String unread = pruning.unreadTable(path);
            if (unread != null) {
                unreadContainers.add(unread);
                return;
            }
            blobsListed++;
            if (pruning.outsideRange(path)) {
                blobsPruned++;
            } else {
                files.put(file.getPath().toString(), file.getPath());
            }
        }
    }
}

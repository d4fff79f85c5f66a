package dev.bazahunt.job.replay;

import java.io.IOException;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Where the replay job writes: the alerts to one file, dead letters and exclusion-audit lines to part
 * files in a directory each. All are Flink filesystem paths, written by the job itself, not the client.
 *
 * @param alertsToStdout the alerts file is a local scratch file that the client copies to its stdout
 *     once the job has finished ({@code --output -}, embedded runs only)
 * @param exclusionAudit null when excluded matches are only counted
 */
public record ReplayDestinations(Path alerts, boolean alertsToStdout, Path deadLetters, Path exclusionAudit) {

    /** alerts.jsonl, dead-letters/ and exclusion-audit/ in one directory: for tests and benchmarks. */
    public static ReplayDestinations in(java.nio.file.Path directory) {
        Path base = new Path(directory.toAbsolutePath().toUri());
        return new ReplayDestinations(new Path(base, "alerts.jsonl"), false, new Path(base, "dead-letters"),
                new Path(base, "exclusion-audit"));
    }

    /**
     * Removes part files that an earlier run left in the part directories, so a run with less parallelism
     * than the last one does not leave stale parts beside its own. Only files named like the job's parts
     * are touched.
     */
    void removeStaleParts() throws IOException {
        removeStaleParts(deadLetters);
        if (exclusionAudit != null) {
            removeStaleParts(exclusionAudit);
        }
    }

    private static void removeStaleParts(Path directory) throws IOException {
        FileSystem fs = directory.getFileSystem();
        if (!fs.exists(directory)) {
            return;
        }
        FileStatus[] entries = fs.listStatus(directory);
        if (entries == null) {
            return;
        }
        for (FileStatus entry : entries) {
            String name = entry.getPath().getName();
            if (!entry.isDir() && name.startsWith(JsonLinesSink.PART_PREFIX) && name.endsWith(JsonLinesSink.PART_SUFFIX)) {
                fs.delete(entry.getPath(), false);
            }
        }
    }
}

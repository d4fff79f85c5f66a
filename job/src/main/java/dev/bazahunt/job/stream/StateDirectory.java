package dev.bazahunt.job.stream;

import java.io.IOException;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * {@code --state-dir DIR}: where live mode keeps what it resumes from, on any Flink file system
 * ({@code /var/lib/bazahunt}, {@code file:///…}, {@code s3://bucket/bazahunt}). Savepoints go to
 * {@code DIR/savepoints}, retained checkpoints to {@code DIR/checkpoints/<job id>/chk-<n>}. A start
 * resumes from the newest complete one of either kind: a savepoint after a clean stop, the last
 * checkpoint after a crash. Complete means its {@code _metadata} file exists, which Flink writes last.
 */
public final class StateDirectory {
    static final String METADATA = "_metadata";
    private final Path root;

    public StateDirectory(String root) {
        this.root = new Path(root);
    }

    public String savepoints() {
        return new Path(root, "savepoints").toString();
    }

    public String checkpoints() {
        return new Path(root, "checkpoints").toString();
    }

    /** The newest complete savepoint or retained checkpoint, or null when there is none yet. */
    public String newestRestorePoint() throws IOException {
        FileSystem fs = root.getFileSystem();
        Candidate newest = null;
        for (FileStatus savepoint : list(fs, new Path(savepoints()))) {
            newest = Candidate.newer(newest, completed(fs, savepoint.getPath()));
        }
        for (FileStatus job : list(fs, new Path(checkpoints()))) {
            for (FileStatus checkpoint : list(fs, job.getPath())) {
                if (checkpoint.getPath().getName().startsWith("chk-")) {
                    newest = Candidate.newer(newest, completed(fs, checkpoint.getPath()));
                }
            }
        }
        return newest == null ? null : newest.path().toString();
    }

    private static Candidate completed(FileSystem fs, Path dir) throws IOException {
        Path metadata = new Path(dir, METADATA);
        if (!fs.exists(metadata)) {
            return null;
        }
        return new Candidate(dir, fs.getFileStatus(metadata).getModificationTime());
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        if (!fs.exists(dir)) {
            return new FileStatus[0];
        }
        FileStatus[] entries = fs.listStatus(dir);
        return entries == null ? new FileStatus[0] : entries;
    }

    private record Candidate(Path path, long modifiedMillis) {
        static Candidate newer(Candidate a, Candidate b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            // Same millisecond: the lexically larger path (a later chk-<n> of one job) wins, deterministically.
            if (a.modifiedMillis != b.modifiedMillis) {
                return a.modifiedMillis > b.modifiedMillis ? a : b;
            }
            return a.path.toString().compareTo(b.path.toString()) >= 0 ? a : b;
        }
    }
}

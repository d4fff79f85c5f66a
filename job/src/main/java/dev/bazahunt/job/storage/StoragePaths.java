package dev.bazahunt.job.storage;

import dev.bazahunt.job.cli.UsageException;
import java.io.IOException;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;

/**
 * What the command line needs of a path on any Flink file system ({@code file://}, {@code s3://},
 * {@code wasbs://}, {@code abfss://}, {@code gs://}, {@code hdfs://}): its file system, with an error that
 * names the option, and how to show it.
 */
public final class StoragePaths {
    private StoragePaths() {}

    /** How a path is shown to the user: a local file as a plain path, anything else as its URI. */
    public static String display(Path path) {
        if (path == null) {
            return "(none)";
        }
        return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
    }

    /** The file system of {@code path}, with a message that names the option when no plugin serves its scheme. */
    public static FileSystem fileSystem(String option, Path path) throws UsageException {
        try {
            return path.getFileSystem();
        } catch (UnsupportedFileSystemSchemeException e) {
            throw new UsageException("--" + option + " " + path + ": no file system for scheme '" + path.toUri().getScheme()
                    + "': bazahunt ships the plugins for s3:// (flink-s3-fs-hadoop) and wasb(s)://, abfs(s):// "
                    + "(flink-azure-fs-hadoop); another scheme needs its Flink plugin in the plugins folder");
        } catch (IOException e) {
            throw new UsageException("--" + option + " " + path + ": " + e.getMessage());
        }
    }

    /** Whether {@code path} exists and is a directory (for an object store: a prefix with objects below it). */
    public static boolean isDirectory(String option, Path path) throws UsageException {
        FileSystem fs = fileSystem(option, path);
        try {
            return fs.exists(path) && fs.getFileStatus(path).isDir();
        } catch (IOException e) {
            throw new UsageException("--" + option + " " + path + ": " + e.getMessage());
        }
    }
}

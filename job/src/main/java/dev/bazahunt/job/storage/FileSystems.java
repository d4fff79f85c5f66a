package dev.bazahunt.job.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;

/**
 * Makes Flink's file systems (s3://, wasbs://, abfss://, gs://, hdfs://) work in the launcher's JVM.
 *
 * <p>A JobManager or TaskManager initialises its file systems from its own configuration and plugins
 * folder when it starts. The embedded cluster of {@code ./bazahunt} never does: without this call
 * Flink finds the S3 factory lazily with an empty configuration, so {@code s3.endpoint} and the other
 * {@code -D} keys are silently ignored. The launcher script names its plugins folder in the system
 * property {@value #PLUGINS_DIR_PROPERTY}; under {@code flink run} or the REST API the property is
 * absent and the cluster's own file systems stay as they are.
 */
public final class FileSystems {
    public static final String PLUGINS_DIR_PROPERTY = "bazahunt.plugins.dir";

    private FileSystems() {}

    /** Initialises the file systems when this JVM is the launcher's; does nothing inside a Flink cluster. */
    public static void initializeForLauncher(Configuration config) {
        String folder = System.getProperty(PLUGINS_DIR_PROPERTY);
        if (folder != null) {
            initialize(config, Path.of(folder));
        }
    }

    /**
     * Initialises Flink's file systems for this whole JVM with {@code config} and the plugins found in
     * {@code pluginsFolder} (one folder per plugin, as in a Flink distribution), or with the built-in
     * file systems alone when there is no such folder.
     */
    public static void initialize(Configuration config, Path pluginsFolder) {
        try {
            if (Files.isDirectory(pluginsFolder)) {
                FileSystem.initialize(config, new DefaultPluginManager(
                        new DirectoryBasedPluginFinder(pluginsFolder).findPlugins(),
                        CoreOptions.getPluginParentFirstLoaderPatterns(config)));
            } else {
                FileSystem.initialize(config, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the file system plugins in " + pluginsFolder, e);
        }
    }
}

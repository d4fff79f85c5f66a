package dev.bazahunt.job.testing;

import dev.bazahunt.job.BazahuntCli;
import dev.bazahunt.job.storage.FileSystems;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in its own JVM, as {@code ./bazahunt} starts it: the same module flags, Flink's file system
 * plugins from job/target/plugins ({@code -Dbazahunt.plugins.dir}), and an environment of its own, so
 * credentials reach it the way a user's do. The script itself is not run: on a clean checkout it would
 * first build the project inside the build.
 */
public final class LauncherProcess {
    public static final Path PLUGINS = Path.of("target/plugins").toAbsolutePath();

    private LauncherProcess() {}

    public record Run(int code, String stdout, String stderr) {}

    public static Run run(Map<String, String> environment, List<String> systemProperties, List<String> args)
            throws Exception {
        if (!Files.isDirectory(PLUGINS)) {
            throw new IllegalStateException(PLUGINS + " is missing: the job module's package phase copies the plugins");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx1g");
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-")) {
                command.add(flag); // the JDK 17 opens Flink needs, and the vector module
            }
        }
        command.add("-D" + FileSystems.PLUGINS_DIR_PROPERTY + "=" + PLUGINS);
        command.add("-Dlog4j.configurationFile=" + LocalScripts.DEPLOY_LOCAL.resolve("log4j-cli.properties"));
        command.add("-Dbazahunt.log.dir=" + Path.of("target/test-logs").toAbsolutePath());
        command.addAll(systemProperties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BazahuntCli.class.getName()));
        command.addAll(args);
        Path out = Files.createTempFile("bazahunt-cli-", ".out");
        Path err = Files.createTempFile("bazahunt-cli-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the CLI did not finish within 5 minutes:\n" + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

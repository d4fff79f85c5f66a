package dev.bazahunt.job.replay;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shaded job jar that {@code --jobmanager} ships to a session cluster with the job graph. Under
 * {@code java -jar} or {@code flink run} it is the jar this class was loaded from; {@code ./bazahunt}
 * runs from target/classes and names the jar it built in the system property {@value #PROPERTY}.
 */
final class JobJar {
    static final String PROPERTY = "bazahunt.job.jar";

    private JobJar() {}

    static String locate() {
        String named = System.getProperty(PROPERTY);
        if (named != null && !named.isBlank()) {
            if (!Files.isRegularFile(Path.of(named))) {
                throw new IllegalStateException("the job jar " + named + " (-D" + PROPERTY
                        + ") does not exist: build it with 'mvn -B package -DskipTests'");
            }
            return named;
        }
        try {
            Path source = Path.of(JobJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(source) && source.toString().endsWith(".jar")) {
                return source.toString();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // Fall through to the message below.
        }
        throw new IllegalStateException("--jobmanager ships the job jar to the cluster, but this JVM was not started"
                + " from it: build it with 'mvn -B package -DskipTests' and run ./bazahunt, or set -D" + PROPERTY + "=JAR");
    }
}

package dev.bazahunt.job.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Docker image gets the same plugin folders that the launcher and the local cluster load (the
 * object storage ITs run those for real; no Docker daemon runs here): the job module's package phase
 * copies each plugin into target/plugins/&lt;name&gt;/, and the Dockerfile copies that folder to
 * /opt/flink/plugins/, where Flink's entrypoint looks.
 */
class PluginsInTheImageTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theImageCopiesThePluginFoldersThatThePackagePhaseFills() throws IOException {
        String pom = Files.readString(ROOT.resolve("job/pom.xml"));
        assertThat(pom).contains("<id>filesystem-plugins</id>")
                .contains("<artifactId>flink-s3-fs-hadoop</artifactId>")
                .contains("${project.build.directory}/plugins/s3-fs-hadoop")
                .contains("<artifactId>flink-azure-fs-hadoop</artifactId>")
                .contains("${project.build.directory}/plugins/azure-fs-hadoop");
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*job/target/plugins/\\s+(\\S+)\\s*$")
                .matcher(Files.readString(ROOT.resolve("deploy/docker/Dockerfile")));
        assertThat(copy.find()).as("a COPY of job/target/plugins/ in the Dockerfile").isTrue();
        assertThat(copy.group(1)).isEqualTo("/opt/flink/plugins/");
    }
}

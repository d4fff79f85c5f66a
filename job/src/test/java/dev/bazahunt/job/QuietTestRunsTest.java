package dev.bazahunt.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code mvn -B verify} prints the test summary and the failures, nothing else: logs go to
 * {@code target/test-logs/}, and each test class's stdout and stderr to its report directory.
 */
class QuietTestRunsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void logsOfFlinkAndTheTestsGoToAFileUnderTargetNotTheConsole() throws Exception {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Map<String, Appender> appenders = context.getConfiguration().getAppenders();
        assertThat(appenders).isNotEmpty();
        assertThat(appenders.values()).allSatisfy(appender -> {
            assertThat(appender).isInstanceOf(FileAppender.class);
            assertThat(((FileAppender) appender).getFileName()).isEqualTo(
                    "target/test-logs/" + System.getProperty("bazahunt.test.log.name", "tests") + ".log");
        });

        String marker = "quiet-run-marker-" + UUID.randomUUID();
        LoggerFactory.getLogger("org.apache.flink.runtime.minicluster.MiniCluster").warn(marker);
        Path file = Path.of(((FileAppender) appenders.values().iterator().next()).getFileName());
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains(marker);
    }

    @Test
    void theUdfsTestsLogToAFileUnderTargetToo() throws Exception {
        Properties config = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve("udfs/src/test/resources/log4j2-test.properties"))) {
            config.load(in);
        }
        assertThat(config.getProperty("rootLogger.appenderRef.file.ref")).isEqualTo("file");
        assertThat(config.getProperty("appender.file.type")).isEqualTo("File");
        assertThat(config.getProperty("appender.file.fileName")).startsWith("target/");
        assertThat(config.stringPropertyNames()).noneMatch(key -> key.endsWith(".type")
                && config.getProperty(key).equalsIgnoreCase("Console"));
    }

    @Test
    void surefireAndFailsafeWriteEachTestsOutputToAFile() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        NodeList plugins = pom.getElementsByTagName("plugin");
        int redirected = 0;
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            String artifact = plugin.getElementsByTagName("artifactId").item(0).getTextContent();
            if (artifact.equals("maven-surefire-plugin") || artifact.equals("maven-failsafe-plugin")) {
                NodeList redirect = plugin.getElementsByTagName("redirectTestOutputToFile");
                assertThat(redirect.getLength()).as(artifact).isEqualTo(1);
                assertThat(redirect.item(0).getTextContent().trim()).as(artifact).isEqualTo("true");
                redirected++;
            }
        }
        assertThat(redirected).isEqualTo(2);
    }
}

package dev.bazahunt.job.stream;

import dev.bazahunt.job.cli.UsageException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka client settings shared by the source and the sinks: a properties file, then
 * {@code --kafka-property} overrides, then SASL PLAIN credentials for Azure Event Hubs. The password
 * (an Event Hubs connection string) is read from an environment variable or a file, never from the
 * command line, and is never logged: Kafka's own config dump masks {@code sasl.jaas.config}.
 */
public final class KafkaClientProperties {
    /** Event Hubs' Kafka endpoint takes the literal user name {@code $ConnectionString}. */
    public static final String EVENT_HUBS_USERNAME = "$ConnectionString";

    private KafkaClientProperties() {}

    public static Properties resolve(String propertiesFile, List<String> overrides, String saslUsername,
            String passwordEnv, String passwordFile, Map<String, String> environment) throws UsageException {
        Properties properties = new Properties();
        if (propertiesFile != null) {
            try (Reader reader = Files.newBufferedReader(Path.of(propertiesFile), StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UsageException("--kafka-properties-file " + propertiesFile + ": " + e.getMessage());
            }
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--kafka-property must be key=value, got '" + override + "'");
            }
            String key = override.substring(0, equals).trim();
            if (key.toLowerCase(Locale.ROOT).contains("password") || key.equals("sasl.jaas.config")) {
                throw new UsageException("--kafka-property " + key + ": secrets are not taken from the command line;"
                        + " use --sasl-password-env or --sasl-password-file (or --kafka-properties-file)");
            }
            properties.setProperty(key, override.substring(equals + 1).trim());
        }
        String password = password(passwordEnv, passwordFile, environment);
        if (password != null) {
            if (properties.containsKey("sasl.jaas.config")) {
                throw new UsageException("the SASL password is given twice: in sasl.jaas.config and by --sasl-password-*");
            }
            properties.putIfAbsent("security.protocol", "SASL_SSL");
            properties.putIfAbsent("sasl.mechanism", "PLAIN");
            properties.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"" + jaasEscape(saslUsername) + "\" password=\"" + jaasEscape(password) + "\";");
        }
        return properties;
    }

    private static String password(String passwordEnv, String passwordFile, Map<String, String> environment)
            throws UsageException {
        if (passwordEnv != null && passwordFile != null) {
            throw new UsageException("give either --sasl-password-env or --sasl-password-file, not both");
        }
        if (passwordEnv != null) {
            String value = environment.get(passwordEnv);
            if (value == null || value.isBlank()) {
                throw new UsageException("--sasl-password-env " + passwordEnv + ": the environment variable is not set");
            }
            return value.trim();
        }
        if (passwordFile != null) {
            try {
                String value = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).trim();
                if (value.isEmpty()) {
                    throw new UsageException("--sasl-password-file " + passwordFile + " is empty");
                }
                return value;
            } catch (IOException e) {
                throw new UsageException("--sasl-password-file " + passwordFile + ": cannot read it (" + e.getClass().getSimpleName() + ")");
            }
        }
        return null;
    }

    /** JAAS string values are double-quoted; a quote or backslash inside must be escaped. */
    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

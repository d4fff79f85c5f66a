package dev.bazahunt.job.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * A Kafka config provider for {@code ${secretfile:/path/to/file}}: the whole file, without leading or
 * trailing white space, as a secret mounted from a Kubernetes Secret or written with {@code echo} is.
 * Kafka's own directory provider keeps the trailing newline, which breaks a password. Runs inside each
 * Kafka client, so the secret is read where it is used and never travels with the job.
 */
public final class SecretFileConfigProvider implements ConfigProvider {
    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            Path file = path == null || path.isEmpty() ? Path.of(key) : Path.of(path, key);
            try {
                values.put(key, Files.readString(file, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new ConfigException("secretfile: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new ConfigData(values);
    }

    @Override
    public void close() {}
}

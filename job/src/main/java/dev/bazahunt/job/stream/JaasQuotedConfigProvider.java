package dev.bazahunt.job.stream;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;

/**
 * A Kafka config provider for a secret that is substituted into a double-quoted JAAS value, such as
 * the SASL password in {@code password="${jaasenv:VAR}"}. Kafka substitutes a reference's text as it
 * is, and JAAS reads {@code "} as the end of the value and {@code \} as an escape, so a connection
 * string holding either would be cut short or changed. This provider returns the secret with those
 * characters (and line breaks) escaped, which JAAS turns back into the secret itself.
 *
 * <p>{@code config.providers.ALIAS.param.source} names where the secret comes from: {@code env} (an
 * environment variable, as Kafka's env provider) or {@code secretfile} (a whole file, trimmed, as
 * {@link SecretFileConfigProvider}).
 */
public final class JaasQuotedConfigProvider implements ConfigProvider {
    public static final String SOURCE = "source";
    private ConfigProvider source;

    @Override
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(SOURCE);
        source = switch (String.valueOf(name)) {
            case "env" -> new EnvVarConfigProvider();
            case "secretfile" -> new SecretFileConfigProvider();
            default -> throw new ConfigException(JaasQuotedConfigProvider.class.getSimpleName()
                    + ": param." + SOURCE + " must be env or secretfile, got " + name);
        };
        source.configure(Map.of());
    }

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        ConfigData data = source.get(path, keys);
        Map<String, String> quoted = new HashMap<>();
        data.data().forEach((key, value) -> quoted.put(key, value == null ? null : escape(value)));
        return new ConfigData(quoted, data.ttl());
    }

    /** The text that reads back as {@code value} between double quotes in a JAAS configuration. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '"' -> escaped.append("\\\"");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    @Override
    public void close() throws IOException {
        if (source != null) {
            source.close();
        }
    }
}

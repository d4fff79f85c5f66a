package dev.bazahunt.job.stream;

import dev.bazahunt.job.cli.UsageException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * The Kafka client settings of the source (consumer) and the sinks (producers), kept apart: a
 * properties file, then {@code --kafka-property} overrides, then SASL PLAIN for Azure Event Hubs.
 *
 * <p>Each key goes to the client whose configuration defines it. A {@code consumer.} or
 * {@code producer.} prefix sends it to that client only; a key that neither client defines is refused.
 *
 * <p>No secret is ever a value here: the properties end up in the job graph, which Flink serialises
 * and, with high availability, stores. Secrets are references that Kafka's config providers resolve
 * inside each client, at run time, on the task managers: {@code ${env:VAR}} (an environment variable),
 * {@code ${file:PATH:KEY}} (a key of a properties file) and {@code ${secretfile:PATH}} (a whole file,
 * trimmed). A literal secret in the properties file is replaced by a reference to the same file. The
 * SASL password of {@code --sasl-password-env} and {@code --sasl-password-file} sits between the JAAS
 * text's quotes, so its references ({@code ${jaasenv:VAR}}, {@code ${jaasfile:PATH}}) resolve to the
 * secret escaped for JAAS ({@link JaasQuotedConfigProvider}): a connection string may hold any character.
 */
public final class KafkaClientProperties {
    /** Event Hubs' Kafka endpoint takes the literal user name {@code $ConnectionString}. */
    public static final String EVENT_HUBS_USERNAME = "$ConnectionString";
    public static final String CONSUMER_PREFIX = "consumer.";
    public static final String PRODUCER_PREFIX = "producer.";
    static final String CONFIG_PROVIDERS = "config.providers";
    private static final Pattern REFERENCE_ONLY = Pattern.compile("\\$\\{[^}]+}");
    /** Settings of Flink's KafkaSource that travel with the consumer properties. */
    private static final Set<String> SOURCE_OPTIONS = Set.of(KafkaSourceOptions.CLIENT_ID_PREFIX.key(),
            KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL_MS.key(),
            KafkaSourceOptions.REGISTER_KAFKA_CONSUMER_METRICS.key(),
            KafkaSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT.key());
    /** The config providers every client gets, by alias: a class and its parameters. */
    private record Provider(Class<?> type, Map<String, String> params) {}

    private static final Map<String, Provider> PROVIDERS = Map.of(
            "env", new Provider(EnvVarConfigProvider.class, Map.of()),
            "file", new Provider(FileConfigProvider.class, Map.of()),
            "secretfile", new Provider(SecretFileConfigProvider.class, Map.of()),
            // The SASL password inside the JAAS text's quotes: escaped, so a quote or backslash in it is kept.
            "jaasenv", new Provider(JaasQuotedConfigProvider.class, Map.of(JaasQuotedConfigProvider.SOURCE, "env")),
            "jaasfile", new Provider(JaasQuotedConfigProvider.class,
                    Map.of(JaasQuotedConfigProvider.SOURCE, "secretfile")));

    private KafkaClientProperties() {}

    /** The consumer's and the producer's properties, each holding only keys its client defines. */
    public record Clients(Properties consumer, Properties producer) {
        /** The producer's connection and security settings, for an admin client of the same cluster. */
        public Properties admin(String bootstrapServers) {
            Properties admin = new Properties();
            admin.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            Set<String> known = AdminClientConfig.configNames();
            producer.stringPropertyNames().stream()
                    .filter(key -> known.contains(key) || key.startsWith(CONFIG_PROVIDERS))
                    .forEach(key -> admin.setProperty(key, producer.getProperty(key)));
            return admin;
        }
    }

    public static Clients resolve(String propertiesFile, List<String> overrides, String saslUsername,
            String passwordEnv, String passwordFile, Map<String, String> environment) throws UsageException {
        Clients clients = new Clients(new Properties(), new Properties());
        if (propertiesFile != null) {
            Path file = Path.of(propertiesFile).toAbsolutePath();
            Properties fromFile = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                fromFile.load(reader);
            } catch (IOException e) {
                throw new UsageException("--kafka-properties-file " + propertiesFile + ": " + e.getMessage());
            }
            for (String key : fromFile.stringPropertyNames()) {
                String value = fromFile.getProperty(key).trim();
                if (isSecret(route(key, "--kafka-properties-file").key()) && !value.contains("${")) {
                    // Read again by the file provider in each client, so the text stays out of the job graph.
                    value = "${file:" + file + ":" + key + "}";
                }
                put(clients, key, value, "--kafka-properties-file");
            }
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--kafka-property must be key=value, got '" + override + "'");
            }
            String key = override.substring(0, equals).trim();
            String value = override.substring(equals + 1).trim();
            String bare = route(key, "--kafka-property").key();
            if (isSecret(bare) && (bare.equals("sasl.jaas.config") || !REFERENCE_ONLY.matcher(value).matches())) {
                throw new UsageException("--kafka-property " + key + ": secrets are not taken from the command line;"
                        + " use --sasl-password-env or --sasl-password-file, a config-provider reference such as"
                        + " ${env:VAR} or ${file:/path/client.properties:" + bare + "}, or --kafka-properties-file");
            }
            put(clients, key, value, "--kafka-property");
        }
        String password = passwordReference(passwordEnv, passwordFile, environment);
        if (password != null) {
            for (Properties client : List.of(clients.consumer(), clients.producer())) {
                if (client.containsKey("sasl.jaas.config")) {
                    throw new UsageException(
                            "the SASL password is given twice: in sasl.jaas.config and by --sasl-password-*");
                }
                client.putIfAbsent("security.protocol", "SASL_SSL");
                client.putIfAbsent("sasl.mechanism", "PLAIN");
                client.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"" + JaasQuotedConfigProvider.escape(saslUsername)
                        + "\" password=\"" + password + "\";");
            }
        }
        addConfigProviders(clients.consumer());
        addConfigProviders(clients.producer());
        return clients;
    }

    private record Routed(String key, boolean consumer, boolean producer) {}

    private static Routed route(String key, String where) throws UsageException {
        if (key.startsWith(CONSUMER_PREFIX)) {
            String bare = key.substring(CONSUMER_PREFIX.length());
            if (!consumerKnows(bare)) {
                throw unknown(where, key, "the Kafka consumer has no setting " + bare);
            }
            return new Routed(bare, true, false);
        }
        if (key.startsWith(PRODUCER_PREFIX)) {
            String bare = key.substring(PRODUCER_PREFIX.length());
            if (!producerKnows(bare)) {
                throw unknown(where, key, "the Kafka producer has no setting " + bare);
            }
            return new Routed(bare, false, true);
        }
        Routed routed = new Routed(key, consumerKnows(key), producerKnows(key));
        if (!routed.consumer() && !routed.producer()) {
            throw unknown(where, key, "neither the Kafka consumer nor the producer has this setting");
        }
        return routed;
    }

    private static UsageException unknown(String where, String key, String why) {
        return new UsageException(where + " " + key + ": " + why + " (prefix a key with consumer. or producer."
                + " to give it to one client only)");
    }

    private static void put(Clients clients, String key, String value, String where) throws UsageException {
        Routed routed = route(key, where);
        if (routed.consumer()) {
            clients.consumer().setProperty(routed.key(), value);
        }
        if (routed.producer()) {
            clients.producer().setProperty(routed.key(), value);
        }
    }

    private static boolean consumerKnows(String key) {
        return ConsumerConfig.configNames().contains(key) || SOURCE_OPTIONS.contains(key)
                || key.startsWith(CONFIG_PROVIDERS);
    }

    private static boolean producerKnows(String key) {
        return ProducerConfig.configNames().contains(key) || key.startsWith(CONFIG_PROVIDERS);
    }

    /**
     * Whether a key holds a secret: the clients' own definitions type it as a password (the JAAS
     * config, key and store passwords, PEM private keys, OAuth client secrets), or its name says so.
     */
    static boolean isSecret(String key) {
        for (ConfigDef def : List.of(ConsumerConfig.configDef(), ProducerConfig.configDef())) {
            ConfigDef.ConfigKey definition = def.configKeys().get(key);
            if (definition != null && definition.type() == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret") || lower.contains("jaas");
    }

    private static void addConfigProviders(Properties client) {
        Set<String> aliases = new LinkedHashSet<>();
        String given = client.getProperty(CONFIG_PROVIDERS);
        if (given != null) {
            for (String alias : given.split(",")) {
                if (!alias.isBlank()) {
                    aliases.add(alias.trim());
                }
            }
        }
        PROVIDERS.forEach((alias, provider) -> {
            String prefix = CONFIG_PROVIDERS + "." + alias;
            if (client.getProperty(prefix + ".class") == null) {
                client.setProperty(prefix + ".class", provider.type().getName());
                provider.params().forEach((name, value) -> client.setProperty(prefix + ".param." + name, value));
            }
            aliases.add(alias);
        });
        client.setProperty(CONFIG_PROVIDERS, String.join(",", aliases));
    }

    /** A config-provider reference to the SASL password; the password itself is only checked to exist. */
    private static String passwordReference(String passwordEnv, String passwordFile, Map<String, String> environment)
            throws UsageException {
        if (passwordEnv != null && passwordFile != null) {
            throw new UsageException("give either --sasl-password-env or --sasl-password-file, not both");
        }
        if (passwordEnv != null) {
            if (!passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new UsageException("--sasl-password-env " + passwordEnv + " is not an environment variable name");
            }
            String value = environment.get(passwordEnv);
            if (value == null || value.isBlank()) {
                throw new UsageException("--sasl-password-env " + passwordEnv + ": the environment variable is not set");
            }
            return "${jaasenv:" + passwordEnv + "}";
        }
        if (passwordFile != null) {
            Path file = Path.of(passwordFile).toAbsolutePath();
            try {
                if (Files.readString(file, StandardCharsets.UTF_8).isBlank()) {
                    throw new UsageException("--sasl-password-file " + passwordFile + " is empty");
                }
            } catch (IOException e) {
                throw new UsageException("--sasl-password-file " + passwordFile + ": cannot read it ("
                        + e.getClass().getSimpleName() + ")");
            }
            if (file.toString().contains("}") || file.toString().contains(":")) {
                throw new UsageException("--sasl-password-file " + passwordFile + ": the path must not hold ':' or '}'");
            }
            return "${jaasfile:" + file + "}";
        }
        return null;
    }
}

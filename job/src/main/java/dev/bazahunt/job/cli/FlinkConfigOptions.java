package dev.bazahunt.job.cli;

import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * The Flink configuration of one command: {@code $FLINK_CONF_DIR/config.yaml} when that variable is
 * set, then the {@code -D key=value} options, then storage credentials from the environment.
 *
 * <p>Credentials never come from the command line: a command line shows up in {@code ps}, in shell
 * history and in Flink's own logs of the JVM's arguments. A {@code -D} key that Flink itself treats as
 * secret ({@link GlobalConfiguration#isSensitive}: secret, password, account keys, tokens) or that
 * names an access key is refused. S3 keys come from {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY} (the S3 file system's provider chain reads them itself), an Azure
 * Storage account key from {@code AZURE_STORAGE_ACCOUNT} and {@code AZURE_STORAGE_KEY}, and either
 * from the config file.
 */
public final class FlinkConfigOptions {
    static final String AZURE_ACCOUNT = "AZURE_STORAGE_ACCOUNT";
    static final String AZURE_KEY = "AZURE_STORAGE_KEY";

    private FlinkConfigOptions() {}

    public static Configuration from(CommandLine line, Map<String, String> environment) throws UsageException {
        String confDir = environment.get(ConfigConstants.ENV_FLINK_CONF_DIR);
        Configuration config = confDir == null ? new Configuration() : GlobalConfiguration.loadConfiguration(confDir);
        for (String property : line.all(OptionSpec.FLINK_CONFIG.name())) {
            int equals = property.indexOf('=');
            String key = property.substring(0, equals).trim();
            if (isCredential(key)) {
                throw new UsageException("-D " + key + ": credentials are not taken on the command line; set "
                        + "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AZURE_STORAGE_ACCOUNT / AZURE_STORAGE_KEY in the"
                        + " environment, or put the key in $FLINK_CONF_DIR/config.yaml");
            }
            config.setString(key, property.substring(equals + 1).trim());
        }
        String account = environment.get(AZURE_ACCOUNT);
        String key = environment.get(AZURE_KEY);
        if (account != null && key != null) {
            // hadoop-azure reads the key per endpoint: blob for wasb(s)://, dfs for abfs(s)://.
            config.setString("fs.azure.account.key." + account + ".blob.core.windows.net", key);
            config.setString("fs.azure.account.key." + account + ".dfs.core.windows.net", key);
        }
        return config;
    }

    static boolean isCredential(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return GlobalConfiguration.isSensitive(key) || lower.contains("access-key") || lower.contains("access.key")
                || lower.contains("account.key") || lower.contains("sas.");
    }
}

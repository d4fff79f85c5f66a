package dev.bazahunt.job.cli;

/**
 * One {@code --name VALUE} option of a command. {@code valueName} null means a flag without a value.
 */
public record OptionSpec(String name, String valueName, String description, boolean required, boolean repeatable) {
    /**
     * {@code -Dkey=value} or {@code -D key=value}, repeatable: Flink configuration, as in Flink's own CLI.
     * Values are read with {@code CommandLine.all("D")}, each as {@code key=value}.
     */
    public static final OptionSpec FLINK_CONFIG = new OptionSpec("D", "key=value",
            "Flink configuration, repeatable, e.g. -Ds3.endpoint=http://127.0.0.1:9000 -D s3.path.style.access=true;"
                    + " passed to Flink's file systems and the job. Credentials are refused here: they come from the"
                    + " environment or from $FLINK_CONF_DIR/config.yaml.", false, true);

    public static OptionSpec required(String name, String valueName, String description) {
        return new OptionSpec(name, valueName, description, true, false);
    }

    public static OptionSpec optional(String name, String valueName, String description) {
        return new OptionSpec(name, valueName, description, false, false);
    }

    public static OptionSpec repeatable(String name, String valueName, String description, boolean required) {
        return new OptionSpec(name, valueName, description, required, true);
    }

    public static OptionSpec flag(String name, String description) {
        return new OptionSpec(name, null, description, false, false);
    }

    boolean takesValue() {
        return valueName != null;
    }

    String synopsis() {
        if (this.equals(FLINK_CONFIG)) {
            return "-D " + valueName;
        }
        return "--" + name + (takesValue() ? " " + valueName : "");
    }
}

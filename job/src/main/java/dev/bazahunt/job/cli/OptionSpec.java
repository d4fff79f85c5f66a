package dev.bazahunt.job.cli;

/**
 * One {@code --name VALUE} option of a command. {@code valueName} null means a flag without a value.
 */
public record OptionSpec(String name, String valueName, String description, boolean required, boolean repeatable) {
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
        return "--" + name + (takesValue() ? " " + valueName : "");
    }
}

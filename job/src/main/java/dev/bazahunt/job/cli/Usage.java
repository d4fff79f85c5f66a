package dev.bazahunt.job.cli;

import java.io.PrintStream;
import java.util.List;

/** Renders a command's help in the layout of Flink's own CLI: usage line, description, options table. */
public final class Usage {
    private Usage() {}

    public static String of(String command, String synopsis, String description, List<OptionSpec> options) {
        StringBuilder text = new StringBuilder();
        text.append("Usage: bazahunt ").append(command).append(' ').append(synopsis).append("\n\n");
        text.append(description).append("\n\n");
        text.append("Options:\n");
        int width = 0;
        for (OptionSpec option : options) {
            width = Math.max(width, option.synopsis().length());
        }
        width = Math.max(width, "-h,--help".length());
        for (OptionSpec option : options) {
            text.append(String.format("  %-" + width + "s  %s%s%n", option.synopsis(), option.description(),
                    option.required() ? " (required)" : ""));
        }
        text.append(String.format("  %-" + width + "s  %s%n", "-h,--help", "Show this help and exit."));
        return text.toString();
    }

    /** Reports a bad command line the same way for every command; returns the exit code for it, 2. */
    public static int reject(String command, UsageException problem, PrintStream stderr) {
        stderr.println("bazahunt " + command + ": " + problem.getMessage());
        stderr.println("Run 'bazahunt " + command + " --help' for usage.");
        return 2;
    }
}

package dev.bazahunt.job.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one command, parsed against its {@link OptionSpec}s. Accepts {@code --name value}
 * and {@code --name=value}; rejects unknown options, missing values, repeats of single options and
 * missing required ones, each with a message that names the option. A command that lists
 * {@link OptionSpec#FLINK_CONFIG} also takes Flink configuration as Flink's own CLI does:
 * {@code -Dkey=value} or {@code -D key=value}, repeatable.
 */
public final class CommandLine {
    private final Map<String, List<String>> values;
    private final boolean help;

    private CommandLine(Map<String, List<String>> values, boolean help) {
        this.values = values;
        this.help = help;
    }

    public static CommandLine parse(String[] args, List<OptionSpec> specs) throws UsageException {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new CommandLine(values, true);
            }
            if (arg.startsWith("-D") && byName.containsKey(OptionSpec.FLINK_CONFIG.name())) {
                String property = arg.length() > 2 ? arg.substring(2) : i + 1 < args.length ? args[++i] : "";
                if (property.indexOf('=') <= 0) {
                    throw new UsageException("-D needs key=value, got '" + property + "'");
                }
                values.computeIfAbsent(OptionSpec.FLINK_CONFIG.name(), n -> new ArrayList<>()).add(property);
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            OptionSpec spec = byName.get(name);
            if (spec == null) {
                throw new UsageException("unknown option '--" + name + "'");
            }
            String value;
            if (!spec.takesValue()) {
                if (inlineValue != null) {
                    throw new UsageException("option '--" + name + "' takes no value");
                }
                value = "true";
            } else if (inlineValue != null) {
                value = inlineValue;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("option '--" + name + "' needs a value: " + spec.synopsis());
            }
            List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!list.isEmpty() && !spec.repeatable()) {
                throw new UsageException("option '--" + name + "' given more than once");
            }
            list.add(value);
        }
        for (OptionSpec spec : specs) {
            if (spec.required() && !values.containsKey(spec.name())) {
                throw new UsageException("missing required option " + spec.synopsis());
            }
        }
        return new CommandLine(values, false);
    }

    public boolean helpRequested() {
        return help;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public String get(String name, String fallback) {
        List<String> list = values.get(name);
        return list == null ? fallback : list.get(0);
    }

    public int positiveInt(String name, int fallback) throws UsageException {
        String text = get(name, null);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a positive integer, got '" + text + "'");
    }

    public Duration duration(String name, Duration fallback) throws UsageException {
        String text = get(name, null);
        return text == null ? fallback : Durations.parse(name, text);
    }
}

package dev.bazahunt.job.generate;

import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.Usage;
import dev.bazahunt.job.cli.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code bazahunt generate}: synthetic Defender telemetry with planted BazaCall chains. */
public final class GenerateCommand {
    public static final String NAME = "generate";
    public static final long DEFAULT_SEED = 20210720L;

    static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.required("events", "N", "Rows to write, planted chains included."),
            OptionSpec.optional("devices", "D", "Devices in the fleet (default 1000)."),
            OptionSpec.optional("chains", "K", "BazaCall chains to plant, each on its own device (default 10)."),
            OptionSpec.required("format", "eventhubs|storage|flat", "Wire form of the lines."),
            OptionSpec.optional("files", "F", "Files to spread the rows over (default 1)."),
            OptionSpec.required("output", "DIR",
                    "Directory: telemetry goes to DIR/telemetry (must be empty), counts to DIR/expected.json."),
            OptionSpec.optional("seed", "S", "Random seed; the same seed gives the same bytes (default "
                    + DEFAULT_SEED + ")."));

    private GenerateCommand() {}

    public static String usage() {
        return Usage.of(NAME, "--events N --format eventhubs|storage|flat --output DIR [OPTIONS]",
                "Writes a day of realistic DeviceFileEvents and DeviceProcessEvents rows (~1.4 KB each): benign\n"
                        + "noise, CryptnetUrlCache decoys, Excel children that are not BazaCall, and K planted\n"
                        + "BazaCall chains, unsorted, over F files; and the alert counts a replay must report.",
                OPTIONS);
    }

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) throws Exception {
        GeneratorSettings settings;
        try {
            CommandLine line = CommandLine.parse(args, OPTIONS);
            if (line.helpRequested()) {
                stdout.println(usage());
                return 0;
            }
            settings = settingsFrom(line);
        } catch (UsageException e) {
            return Usage.reject(NAME, e, stderr);
        }
        long started = System.nanoTime();
        ExpectedCounts expected = TelemetryGenerator.generate(settings);
        stderr.printf("bazahunt generate: %,d rows in %,d lines (%,d bytes, %.0f bytes/line) over %d files in %.1f s%n",
                expected.events(), expected.lines(), expected.bytes(), (double) expected.bytes() / expected.lines(),
                expected.files(), (System.nanoTime() - started) / 1e9);
        stderr.println("  telemetry: " + settings.telemetryDir());
        stderr.println("  expected:  " + settings.expectedFile() + " (" + expected.baseAlerts() + " base, "
                + expected.correlatedAlerts() + " correlated alerts)");
        return 0;
    }

    static GeneratorSettings settingsFrom(CommandLine line) throws UsageException {
        String formText = line.get("format", null);
        WireForm form = WireForm.fromOption(formText);
        if (form == null) {
            throw new UsageException("--format must be eventhubs, storage or flat, got '" + formText + "'");
        }
        long seed;
        try {
            seed = Long.parseLong(line.get("seed", Long.toString(DEFAULT_SEED)));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be an integer, got '" + line.get("seed", "") + "'");
        }
        try {
            return new GeneratorSettings(line.positiveInt("events", 0), line.positiveInt("devices", 1000),
                    line.positiveInt("chains", 10), form, line.positiveInt("files", 1),
                    Path.of(line.get("output", null)), seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}

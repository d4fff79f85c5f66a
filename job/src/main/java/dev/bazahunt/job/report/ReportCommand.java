package dev.bazahunt.job.report;

import dev.bazahunt.job.cli.CommandLine;
import dev.bazahunt.job.cli.OptionSpec;
import dev.bazahunt.job.cli.Usage;
import dev.bazahunt.job.cli.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** {@code bazahunt report}: one self-contained HTML page from a hunt's alerts. */
public final class ReportCommand {
    public static final String NAME = "report";

    static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.required("input", "ALERTS.jsonl",
                    "Alert JSON lines: replay's --output, or a dump of the alerts topic (several revisions per"
                            + " AlertId; the highest is shown). .gz is read compressed."),
            OptionSpec.required("output", "FILE.html", "Where to write the page."));

    private ReportCommand() {}

    public static String usage() {
        return Usage.of(NAME, "--input ALERTS.jsonl --output hunt.html",
                "Writes one HTML page with no external assets: alerts by rule and by day, devices ranked by\n"
                        + "the stages of their BazaCall campaign incident, and for each incident a timeline of its\n"
                        + "stages with their evidence (email, Excel, cmd copy, renamed certutil download, rundll32,\n"
                        + "ntdsutil, rclone).",
                OPTIONS);
    }

    public static int run(String[] args, PrintStream stdout, PrintStream stderr) throws IOException {
        Path input;
        Path output;
        try {
            CommandLine line = CommandLine.parse(args, OPTIONS);
            if (line.helpRequested()) {
                stdout.println(usage());
                return 0;
            }
            input = Path.of(line.get("input", null));
            output = Path.of(line.get("output", null));
            if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
                throw new UsageException("--input " + input + ": no such readable file");
            }
            if (Files.isDirectory(output)) {
                throw new UsageException("--output " + output + " is a directory; give a file");
            }
        } catch (UsageException e) {
            return Usage.reject(NAME, e, stderr);
        }
        HuntReport report;
        try (InputStream raw = Files.newInputStream(input);
                InputStream in = input.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            report = HuntReport.read(reader);
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(output, HuntReportPage.render(report, input.getFileName().toString()), StandardCharsets.UTF_8);
        for (String skipped : report.skipped()) {
            stderr.println("bazahunt report: skipped " + skipped);
        }
        stderr.printf("bazahunt report: %d alerts (%d revisions read), %d campaign incidents, %d devices -> %s%n",
                report.alerts().size(), report.revisionsRead(), report.incidents().size(), report.devices().size(),
                output);
        return 0;
    }
}

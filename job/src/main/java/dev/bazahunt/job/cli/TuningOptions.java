package dev.bazahunt.job.cli;

import dev.bazahunt.job.pipeline.HuntSettings;
import dev.bazahunt.job.pipeline.HuntTuning;
import dev.bazahunt.rules.HuntRules;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.tuning.ExclusionFileException;
import dev.bazahunt.tuning.ExclusionSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The hunt options that replay and stream share: tuning, read into one {@link HuntTuning}, and the
 * campaign window.
 */
public final class TuningOptions {
    public static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.optional("exclusions", "FILE",
                    "YAML exclusions for known-benign matches (see deploy/exclusions/seed-scenarios.yaml);"
                            + " validated at start-up."),
            OptionSpec.flag("hardened", "Also run the hardened certutil rule (its own RuleId), which catches evasions"
                    + " of the faithful rule."),
            OptionSpec.optional("suppress", "DURATION",
                    "Suppress repeated alerts per rule, device and normalised command line within this duration."),
            OptionSpec.optional("campaign-window", "DURATION",
                    "How far after a device's first BazaCall pack hit its campaign incident gathers hits (default"
                            + " 48h)."),
            OptionSpec.optional("rules", "ID[,ID...]",
                    "Run only these rule files (by id); the default is Microsoft's whole BazaCall pack. The seed rule"
                            + " alone: --rules " + RuleIds.CERTUTIL_DOWNLOAD + "."));

    private TuningOptions() {}

    /** {@code --campaign-window}, or its default. */
    public static Duration campaignWindow(CommandLine line) throws UsageException {
        Duration window = line.duration("campaign-window", HuntSettings.DEFAULT_CAMPAIGN_WINDOW);
        if (window.isNegative() || window.isZero()) {
            throw new UsageException("--campaign-window must be positive, got " + line.get("campaign-window", ""));
        }
        return window;
    }

    public static HuntTuning from(CommandLine line) throws UsageException {
        ExclusionSet exclusions = null;
        String file = line.get("exclusions", null);
        if (file != null) {
            if (!Files.isReadable(Path.of(file))) {
                throw new UsageException("--exclusions " + file + ": no such readable file");
            }
            try {
                exclusions = ExclusionSet.load(Path.of(file));
            } catch (ExclusionFileException e) {
                throw new UsageException("--exclusions " + e.getMessage());
            }
        }
        Duration suppress = line.has("suppress") ? line.duration("suppress", null) : null;
        List<String> rules = null;
        if (line.has("rules")) {
            rules = new ArrayList<>();
            for (String id : line.get("rules", "").split(",")) {
                if (!id.isBlank()) {
                    rules.add(id.trim());
                }
            }
            try {
                HuntRules.select(RuleCatalog.standard(), rules);
            } catch (IllegalArgumentException unknown) {
                throw new UsageException("--rules: " + unknown.getMessage());
            }
        }
        return new HuntTuning(exclusions, line.has("hardened"), suppress, rules);
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.rules.HardenedCertutilRule;
import dev.bazahunt.rules.HuntRules;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.telemetry.RawNeedles;
import dev.bazahunt.tuning.ExclusionSet;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * The SOC's tuning of the hunt: exclusions for known-benign matches, the hardened certutil rule, and
 * suppression of repeated alerts. The faithful rule itself never changes.
 *
 * @param exclusions loaded and validated exclusions, or null for none
 * @param hardenedRule whether the hardened certutil rule runs beside the faithful one
 * @param suppress suppress repeats per rule, device and normalised command line within this duration;
 *     null for no suppression
 * @param rules ids of the rule files that run ({@code --rules}); by default the whole BazaCall pack
 */
public record HuntTuning(ExclusionSet exclusions, boolean hardenedRule, Duration suppress, List<String> rules)
        implements Serializable {
    public static final HuntTuning NONE = new HuntTuning(null, false, null, null);

    public HuntTuning {
        RuleCatalog catalog = RuleCatalog.standard();
        rules = rules == null ? HuntRules.defaultIds(catalog) : List.copyOf(rules);
        HuntRules.select(catalog, rules); // unknown ids fail here, at start-up, with the known ones
    }

    public HuntTuning(ExclusionSet exclusions, boolean hardenedRule, Duration suppress) {
        this(exclusions, hardenedRule, suppress, null);
    }

    /**
     * The raw-byte findings the pre-filter must keep beyond the rule files' needles, so that skipping
     * unparsed input cannot hide a match of a rule that runs: the hardened rule's needles when it runs,
     * else null.
     */
    public RawNeedles extraPrefilterNeedles() {
        return hardenedRule ? HardenedCertutilRule.PREFILTER_NEEDLES : null;
    }
}

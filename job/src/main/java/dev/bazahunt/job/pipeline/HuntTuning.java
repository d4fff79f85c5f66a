package dev.bazahunt.job.pipeline;

import dev.bazahunt.rules.HardenedCertutilRule;
import dev.bazahunt.telemetry.RawNeedles;
import dev.bazahunt.tuning.ExclusionSet;
import java.io.Serializable;
import java.time.Duration;

/**
 * The SOC's tuning of the hunt: exclusions for known-benign matches, the hardened certutil rule, and
 * suppression of repeated alerts. The faithful rule itself never changes.
 *
 * @param exclusions loaded and validated exclusions, or null for none
 * @param hardenedRule whether the hardened certutil rule runs beside the faithful one
 * @param suppress suppress repeats per rule, device and normalised command line within this duration;
 *     null for no suppression
 */
public record HuntTuning(ExclusionSet exclusions, boolean hardenedRule, Duration suppress) implements Serializable {
    public static final HuntTuning NONE = new HuntTuning(null, false, null);

    /**
     * The raw-byte findings the pre-filter must keep beyond the faithful rule's, so that skipping
     * unparsed input cannot hide a match of a rule that runs: the hardened rule's needles when it runs,
     * else null.
     */
    public RawNeedles extraPrefilterNeedles() {
        return hardenedRule ? HardenedCertutilRule.PREFILTER_NEEDLES : null;
    }
}

package dev.bazahunt.job.pipeline;

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
}

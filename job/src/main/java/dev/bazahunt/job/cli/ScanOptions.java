package dev.bazahunt.job.cli;

/**
 * Whether the raw-byte pre-filter runs, for replay and stream alike. It is on by default: it skips,
 * unparsed, the lines that provably cannot alert or correlate, which is most of the telemetry and most
 * of the time. {@code --validate-all} turns it off for a data-quality audit, so that every line is
 * parsed and every bad line gets its dead letter.
 */
public final class ScanOptions {
    public static final OptionSpec VALIDATE_ALL = OptionSpec.flag("validate-all",
            "Parse every line, so every bad line is dead-lettered (a data-quality audit). By default the raw-byte"
                    + " pre-filter skips, unparsed and counted, the lines that cannot alert or correlate.");

    private ScanOptions() {}

    /**
     * Whether the pre-filter runs. It keeps every line that a loaded rule could match: with
     * {@code --hardened} the hardened rule's own needles join the faithful rule's
     * ({@code HuntTuning#extraPrefilterNeedles}).
     */
    public static boolean prefilter(CommandLine line) {
        return !line.has(VALIDATE_ALL.name());
    }
}

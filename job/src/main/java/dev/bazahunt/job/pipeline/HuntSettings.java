package dev.bazahunt.job.pipeline;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/** What the shared pipeline needs to know, whichever mode builds it. Immutable and validated. */
public final class HuntSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
    /** Microsoft saw BazaCall go from the first compromise to exfiltration and ransomware within 48 hours. */
    public static final Duration DEFAULT_CAMPAIGN_WINDOW = Duration.ofHours(48);
    /** Excel children per device and window that correlation holds beyond the stage-bearing ones. */
    public static final int DEFAULT_EXCEL_CHILD_BUDGET = 64;
    /** How long the alert function remembers each AlertId's last revision (see {@link RevisionLedger}). */
    public static final Duration DEFAULT_REVISION_MEMORY = Duration.ofDays(30);

    private final Duration window;
    private final RevisionPolicy revisionPolicy;
    private final Duration alertRetention;
    private final HuntTuning tuning;
    private final Duration campaignWindow;
    private Duration maxClockSkew;
    private Duration revisionMemory = DEFAULT_REVISION_MEMORY;
    private int excelChildBudget = DEFAULT_EXCEL_CHILD_BUDGET;
    private AlertRange alertRange = AlertRange.ALL;

    public HuntSettings(Duration window, RevisionPolicy revisionPolicy) {
        this(window, revisionPolicy, Duration.ZERO, HuntTuning.NONE);
    }

    /**
     * @param alertRetention how long (event time) a download's alert state outlives its correlation
     *     window, so a row that arrives late still revises the same alert instead of restarting it
     */
    public HuntSettings(Duration window, RevisionPolicy revisionPolicy, Duration alertRetention, HuntTuning tuning) {
        this(window, revisionPolicy, alertRetention, tuning, DEFAULT_CAMPAIGN_WINDOW);
    }

    /** @param campaignWindow how far after a device's first pack hit its campaign incident gathers hits */
    public HuntSettings(Duration window, RevisionPolicy revisionPolicy, Duration alertRetention, HuntTuning tuning,
            Duration campaignWindow) {
        this.campaignWindow = Objects.requireNonNull(campaignWindow, "campaignWindow");
        if (campaignWindow.isNegative() || campaignWindow.isZero()) {
            throw new IllegalArgumentException("--campaign-window must be positive, got " + campaignWindow);
        }
        this.tuning = Objects.requireNonNull(tuning, "tuning");
        this.window = Objects.requireNonNull(window, "window");
        this.revisionPolicy = Objects.requireNonNull(revisionPolicy, "revisionPolicy");
        this.alertRetention = Objects.requireNonNull(alertRetention, "alertRetention");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("--window must be positive, got " + window);
        }
        if (alertRetention.isNegative()) {
            throw new IllegalArgumentException("alert retention must not be negative, got " + alertRetention);
        }
    }

    /** The same settings with another campaign window. */
    public HuntSettings withCampaignWindow(Duration campaignWindow) {
        return copy(campaignWindow);
    }

    private HuntSettings copy(Duration campaignWindow) {
        HuntSettings copy = new HuntSettings(window, revisionPolicy, alertRetention, tuning, campaignWindow);
        copy.maxClockSkew = maxClockSkew;
        copy.revisionMemory = revisionMemory;
        copy.excelChildBudget = excelChildBudget;
        copy.alertRange = alertRange;
        return copy;
    }

    /** The same settings, with alerts only for downloads in {@code range} ({@code replay --from/--until}). */
    public HuntSettings withAlertRange(AlertRange range) {
        HuntSettings copy = copy(campaignWindow);
        copy.alertRange = Objects.requireNonNull(range, "range");
        return copy;
    }

    public AlertRange alertRange() {
        return alertRange;
    }

    /**
     * Rows whose Timestamp lies more than {@code skew} ahead of the wall clock neither advance event
     * time nor enter correlation (a device with a broken clock); null (replay's choice, which must not
     * depend on the wall clock) turns the check off.
     */
    public HuntSettings withMaxClockSkew(Duration skew) {
        HuntSettings copy = copy(campaignWindow);
        copy.maxClockSkew = skew;
        return copy;
    }

    public HuntSettings withRevisionMemory(Duration memory) {
        if (memory.isNegative() || memory.isZero()) {
            throw new IllegalArgumentException("--revision-memory must be positive, got " + memory);
        }
        HuntSettings copy = copy(campaignWindow);
        copy.revisionMemory = memory;
        return copy;
    }

    public HuntSettings withExcelChildBudget(int budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("the Excel child budget must not be negative, got " + budget);
        }
        HuntSettings copy = copy(campaignWindow);
        copy.excelChildBudget = budget;
        return copy;
    }

    /** Null when rows from the future are not singled out. */
    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    /** Processing time for which each AlertId's last revision and content digest are kept. */
    public Duration revisionMemory() {
        return revisionMemory;
    }

    /** Excel children per device and window held for correlation besides the stage-bearing ones. */
    public int excelChildBudget() {
        return excelChildBudget;
    }

    public Duration campaignWindow() {
        return campaignWindow;
    }

    public Duration alertRetention() {
        return alertRetention;
    }

    public HuntTuning tuning() {
        return tuning;
    }

    /** How far apart in event time a download and an Excel-spawned process may be, either way. */
    public Duration window() {
        return window;
    }

    public RevisionPolicy revisionPolicy() {
        return revisionPolicy;
    }
}

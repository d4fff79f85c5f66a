package dev.bazahunt.tuning;

import java.io.Serializable;
import java.time.Duration;

/**
 * Decides whether an alert repeats one already emitted for the same {@link SuppressionKey} within a
 * window. Pure and based on event time only (never the wall clock), so a replay of the same events gives
 * the same decisions; the keyed Flink function keeps the returned last-alert time in its state.
 *
 * <p>An alert is suppressed when its event time lies less than the window away from the last emitted
 * alert, in either direction: an out-of-order event just before the last alert is the same burst. At
 * exactly the window's length it is emitted again.
 */
public final class SuppressionWindow implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;

    public SuppressionWindow(Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("suppression window must be positive, got " + window);
        }
        this.windowMillis = window.toMillis();
    }

    /** The decision, and the last-alert time to keep: the later of the stored one and an emitted event. */
    public record Verdict(boolean emit, long lastAlertEventTimeMillis) {}

    /**
     * @param lastAlertEventTimeMillis event time of the last emitted alert for the key, or null if none
     * @param eventTimeMillis event time of the new alert
     */
    public Verdict decide(Long lastAlertEventTimeMillis, long eventTimeMillis) {
        if (lastAlertEventTimeMillis == null) {
            return new Verdict(true, eventTimeMillis);
        }
        long last = lastAlertEventTimeMillis;
        long distance = Math.abs(eventTimeMillis - last);
        if (distance < windowMillis) {
            return new Verdict(false, last);
        }
        return new Verdict(true, Math.max(last, eventTimeMillis));
    }
}

package dev.bazahunt.job.pipeline;

import java.io.Serializable;
import java.time.Instant;

/**
 * The event-time range whose downloads may raise alerts ({@code replay --from/--until}). Rows outside
 * it still flow through the hunt as correlation context: an Excel child before {@code from} can link to
 * a download after it. But a download outside the range raises no alert of its own.
 *
 * @param fromMillis inclusive start, epoch millis
 * @param untilMillis exclusive end, epoch millis
 */
public record AlertRange(long fromMillis, long untilMillis) implements Serializable {
    public static final AlertRange ALL = new AlertRange(Long.MIN_VALUE, Long.MAX_VALUE);

    /** {@code from} and {@code until} may each be null for no bound. */
    public static AlertRange of(Instant from, Instant until) {
        return new AlertRange(from == null ? Long.MIN_VALUE : from.toEpochMilli(),
                until == null ? Long.MAX_VALUE : until.toEpochMilli());
    }

    public boolean isAll() {
        return equals(ALL);
    }

    public boolean contains(long eventTimeMillis) {
        return eventTimeMillis >= fromMillis && eventTimeMillis < untilMillis;
    }
}

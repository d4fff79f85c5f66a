package dev.bazahunt.job.pipeline;

import dev.bazahunt.correlation.CorrelationEvent;
import java.time.Duration;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * The CEP pattern that ties a download to Excel activity on the same device: any candidate event,
 * followed by any event of the other kind within the window. The macro copies certutil before the
 * download and runs the payload after it, and CEP has no unordered "and", so one pattern whose first
 * event may be either kind covers both orders. Every pair is kept (no skipping): each Excel event is
 * its own piece of evidence.
 */
public final class BazaCallPattern {
    public static final String FIRST = "first";
    public static final String SECOND = "second";

    private BazaCallPattern() {}

    /** Pairs whose timestamps differ by at most {@code window}, both ends inclusive, to the nanosecond. */
    public static Pattern<CorrelationEvent, CorrelationEvent> within(Duration window) {
        return Pattern.<CorrelationEvent>begin(FIRST, AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(event -> true))
                .followedByAny(SECOND)
                .where(new OtherKindWithinWindow(window.toNanos()))
                // CEP prunes a partial match when (now - start) >= within, so one extra millisecond keeps
                // a pair exactly `window` apart; OtherKindWithinWindow then decides to the nanosecond.
                .within(window.plusMillis(1));
    }

    /** Whether two event times, epoch nanoseconds, are close enough to pair: both ends inclusive. */
    static boolean withinWindow(long first, long second, long windowNanos) {
        return Math.abs(second - first) <= windowNanos;
    }

    private static final class OtherKindWithinWindow extends IterativeCondition<CorrelationEvent> {
        private static final long serialVersionUID = 1L;
        private final long windowNanos;

        OtherKindWithinWindow(long windowNanos) {
            this.windowNanos = windowNanos;
        }

        @Override
        public boolean filter(CorrelationEvent candidate, Context<CorrelationEvent> context) throws Exception {
            for (CorrelationEvent first : context.getEventsForPattern(FIRST)) {
                return first.isDownload() != candidate.isDownload()
                        && withinWindow(first.timestamp, candidate.timestamp, windowNanos);
            }
            return false;
        }
    }
}

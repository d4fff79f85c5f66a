package dev.bazahunt.job.pipeline;

import dev.bazahunt.campaign.CampaignHit;
import java.time.Duration;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * The CEP pattern that ties a lure email to a device, keyed by account: the email to a recipient,
 * followed, within the campaign window, by any pack hit on a device whose row names the same account
 * (AccountUpn or InitiatingProcessAccountUpn). BazaCall's victim reads the email, calls the number and
 * downloads the workbook on their own machine, so the email comes first. Every pair is kept: one email
 * may join each device the victim used, and the incident takes the earliest join per device.
 */
public final class CampaignLurePattern {
    public static final String LURE = "lure";
    public static final String DEVICE_HIT = "device-hit";

    private CampaignLurePattern() {}

    public static Pattern<CampaignHit, CampaignHit> within(Duration window) {
        return Pattern.<CampaignHit>begin(LURE, AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(CampaignHit::isEmail))
                .followedByAny(DEVICE_HIT)
                .where(new DeviceHitWithinWindow(window.toNanos()))
                // One extra millisecond keeps a pair exactly `window` apart; the condition decides to the nanosecond.
                .within(window.plusMillis(1));
    }

    private static final class DeviceHitWithinWindow extends IterativeCondition<CampaignHit> {
        private static final long serialVersionUID = 1L;
        private final long windowNanos;

        DeviceHitWithinWindow(long windowNanos) {
            this.windowNanos = windowNanos;
        }

        @Override
        public boolean filter(CampaignHit candidate, Context<CampaignHit> context) throws Exception {
            if (candidate.isEmail() || candidate.deviceId == null) {
                return false;
            }
            for (CampaignHit lure : context.getEventsForPattern(LURE)) {
                long gap = candidate.timestamp - lure.timestamp;
                return gap >= 0 && gap <= windowNanos;
            }
            return false;
        }
    }
}

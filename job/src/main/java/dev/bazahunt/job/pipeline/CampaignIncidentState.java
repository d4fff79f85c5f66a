package dev.bazahunt.job.pipeline;

import dev.bazahunt.campaign.CampaignHit;
import java.util.Arrays;
import java.util.Set;

/**
 * All that {@link CampaignIncidentFunction} keeps per device, as one value: the campaign hits of its
 * recent alerts, with the event time each arrived at (which decides when live mode may consider it),
 * and the pending cleanup timer. Revisions live in the function's {@link RevisionLedger}. Hits are rare
 * (each one is a pack rule's match), so arrays and linear scans suffice. A Flink POJO.
 */
public class CampaignIncidentState {
    public CampaignHit[] hits = {};
    /** Event time (millis) of the record that brought each hit, in the order of {@link #hits}. */
    public long[] arrivedAtMillis = {};
    /** Event time (millis) after which no hit can join an incident of this state any more. */
    public long cleanupAtMillis = Long.MIN_VALUE;

    public CampaignIncidentState() {}

    /** Adds the hit unless the same row (of the same alert and join) is here; true if it was added. */
    boolean addHit(CampaignHit hit, long arrivedAt) {
        String identity = hit.identity();
        for (CampaignHit known : hits) {
            if (known.identity().equals(identity)) {
                return false;
            }
        }
        hits = Arrays.copyOf(hits, hits.length + 1);
        hits[hits.length - 1] = hit;
        arrivedAtMillis = Arrays.copyOf(arrivedAtMillis, arrivedAtMillis.length + 1);
        arrivedAtMillis[arrivedAtMillis.length - 1] = arrivedAt;
        return true;
    }

    /** Forgets the hits of these alerts (their incidents are closed). */
    void forget(Set<String> alertIds) {
        int kept = 0;
        for (int i = 0; i < hits.length; i++) {
            if (!alertIds.contains(hits[i].alertId)) {
                hits[kept] = hits[i];
                arrivedAtMillis[kept] = arrivedAtMillis[i];
                kept++;
            }
        }
        hits = Arrays.copyOf(hits, kept);
        arrivedAtMillis = Arrays.copyOf(arrivedAtMillis, kept);
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.campaign.CampaignHit;
import java.util.Arrays;

/**
 * All that {@link CampaignIncidentFunction} keeps per device, as one value: the campaign hits of its
 * recent alerts (with the event time each arrived at, which decides when live mode may consider it),
 * the incidents written so far with their last revision and a fingerprint of its content, and the
 * pending cleanup timer. Hits are rare (each one is a pack rule's match), so arrays and linear scans
 * suffice. A Flink POJO.
 */
public class CampaignIncidentState {
    public CampaignHit[] hits = {};
    /** Event time (millis) of the record that brought each hit, in the order of {@link #hits}. */
    public long[] arrivedAtMillis = {};
    public String[] incidentIds = {};
    public int[] revisions = {};
    /** Name-based UUID of each incident's JSON without its Revision, as last written. */
    public String[] fingerprints = {};
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

    /**
     * Forgets closed incidents: their revisions and the hits of their alerts. A late row of a forgotten
     * alert starts an incident of its own, with another AlertId, so no Revision is ever repeated.
     */
    void forget(java.util.Set<String> alertIds, java.util.Set<String> closedIncidentIds) {
        int keptIncidents = 0;
        for (int i = 0; i < incidentIds.length; i++) {
            if (!closedIncidentIds.contains(incidentIds[i])) {
                incidentIds[keptIncidents] = incidentIds[i];
                revisions[keptIncidents] = revisions[i];
                fingerprints[keptIncidents] = fingerprints[i];
                keptIncidents++;
            }
        }
        incidentIds = Arrays.copyOf(incidentIds, keptIncidents);
        revisions = Arrays.copyOf(revisions, keptIncidents);
        fingerprints = Arrays.copyOf(fingerprints, keptIncidents);
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

    /**
     * The next Revision of incident {@code id} if its content (fingerprint) changed since it was last
     * written, else 0. Records the new revision and fingerprint.
     */
    int revise(String id, String fingerprint) {
        for (int i = 0; i < incidentIds.length; i++) {
            if (incidentIds[i].equals(id)) {
                if (fingerprints[i].equals(fingerprint)) {
                    return 0;
                }
                fingerprints[i] = fingerprint;
                return ++revisions[i];
            }
        }
        incidentIds = Arrays.copyOf(incidentIds, incidentIds.length + 1);
        incidentIds[incidentIds.length - 1] = id;
        fingerprints = Arrays.copyOf(fingerprints, fingerprints.length + 1);
        fingerprints[fingerprints.length - 1] = fingerprint;
        revisions = Arrays.copyOf(revisions, revisions.length + 1);
        revisions[revisions.length - 1] = 1;
        return 1;
    }
}

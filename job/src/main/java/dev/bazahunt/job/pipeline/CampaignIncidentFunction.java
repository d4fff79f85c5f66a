package dev.bazahunt.job.pipeline;

import dev.bazahunt.alert.Alert;
import dev.bazahunt.alert.AlertJson;
import dev.bazahunt.campaign.CampaignHit;
import dev.bazahunt.campaign.CampaignIncidents;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.telemetry.DefenderTimestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by device: gathers the device's campaign hits (its own pack hits and the lure emails joined to
 * it) and writes its BazaCall incidents, computed by {@link CampaignIncidents} from the whole set.
 *
 * <p>Live mode decides only on hits the watermark has passed (an event-time timer per arrival), so
 * hits that arrive out of order within the bound still give the incident replay gives, with the same
 * AlertId; each time an incident's content changes it is written again with the next Revision. A hit
 * that arrives behind the watermark is decided on at once, as its base alert is written at once. Replay
 * writes each incident once, when the device's state is cleaned up. State lives until the campaign
 * window after the latest hit has closed (no hit after that can join one of its incidents), plus the
 * configured retention in live mode, then a timer clears it. In live mode the hits of incidents whose
 * window has closed (plus the retention) are forgotten on every decision, so a device that keeps
 * matching holds only its recent incidents; the {@link RevisionLedger} keeps each incident's revisions
 * going up (and never repeating with other content) even if a late row revives it.
 */
public final class CampaignIncidentFunction extends KeyedProcessFunction<String, CampaignHit, AlertRecord> {
    private static final long serialVersionUID = 1L;

    private final Duration campaignWindow;
    private final long windowMillis;
    private final long retentionMillis;
    private final RevisionPolicy policy;
    private final Duration revisionMemory;

    private transient ValueState<CampaignIncidentState> state;
    private transient RevisionLedger ledger;
    private transient CampaignIncidents incidents;
    private transient HuntCounter incidentsOut;
    private transient HuntCounter revisionsOut;

    /** @param revisionMemory how long the revision ledger remembers an incident (live mode) */
    public CampaignIncidentFunction(Duration campaignWindow, RevisionPolicy policy, Duration retention,
            Duration revisionMemory) {
        this.revisionMemory = revisionMemory;
        this.campaignWindow = campaignWindow;
        this.windowMillis = campaignWindow.toMillis();
        this.retentionMillis = retention.toMillis();
        this.policy = policy;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>(
                "campaign-incident-state", TypeInformation.of(CampaignIncidentState.class)));
        incidents = new CampaignIncidents(RuleCatalog.standard(), campaignWindow);
        incidentsOut = HuntCounter.register(getRuntimeContext(), HuntCounter.CAMPAIGN_INCIDENTS);
        revisionsOut = HuntCounter.register(getRuntimeContext(), HuntCounter.ALERT_REVISIONS);
        if (policy == RevisionPolicy.EVERY_CHANGE) {
            ledger = RevisionLedger.open(getRuntimeContext(), "campaign-revision-ledger", revisionMemory);
        }
    }

    /** Keeps this task's counters on the reporters for a while, if the job asked for it. */
    @Override
    public void close() {
        HuntCounter.holdForReporters(getRuntimeContext());
    }

    @Override
    public void processElement(CampaignHit hit, Context context, Collector<AlertRecord> out) throws Exception {
        CampaignIncidentState current = state.value();
        if (current == null) {
            current = new CampaignIncidentState();
        }
        long arrivedAt = context.timestamp() != null ? context.timestamp() : hit.timestampMillis();
        if (!current.addHit(hit, arrivedAt)) {
            return;
        }
        long closesAt = arrivedAt + windowMillis + 1 + retentionMillis;
        if (closesAt > current.cleanupAtMillis) {
            if (current.cleanupAtMillis != Long.MIN_VALUE) {
                context.timerService().deleteEventTimeTimer(current.cleanupAtMillis);
            }
            current.cleanupAtMillis = closesAt;
            context.timerService().registerEventTimeTimer(closesAt);
        }
        long watermark = context.timerService().currentWatermark();
        if (policy == RevisionPolicy.EVERY_CHANGE && arrivedAt <= watermark) {
            // Behind the watermark (late): no timer would fire until event time moves on; decide now.
            decide(current, watermark, out);
        } else if (policy == RevisionPolicy.EVERY_CHANGE) {
            context.timerService().registerEventTimeTimer(arrivedAt);
        }
        state.update(current);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<AlertRecord> out) throws Exception {
        CampaignIncidentState current = state.value();
        if (current == null) {
            return;
        }
        boolean cleanup = timestamp == current.cleanupAtMillis;
        if (cleanup) {
            write(current, timestamp, out);
            state.clear();
        } else if (policy == RevisionPolicy.EVERY_CHANGE) {
            decide(current, timestamp, out);
            state.update(current);
        }
    }

    /** Live mode: writes what changed among the hits event time has reached, then forgets closed incidents. */
    private void decide(CampaignIncidentState current, long eventTime, Collector<AlertRecord> out) throws Exception {
        write(current, eventTime, out);
        // A device that keeps matching (a noisy rule) would otherwise keep every hit since its first.
        long cutoffNanos = (eventTime - retentionMillis) * 1_000_000L;
        current.forget(incidents.alertsOfClosedIncidents(List.of(current.hits), cutoffNanos));
    }

    /** Writes every incident of the hits that arrived by {@code eventTime} whose content is new. */
    private void write(CampaignIncidentState current, long eventTime, Collector<AlertRecord> out) throws Exception {
        List<CampaignHit> released = new ArrayList<>();
        for (int i = 0; i < current.hits.length; i++) {
            if (current.arrivedAtMillis[i] <= eventTime) {
                released.add(current.hits[i]);
            }
        }
        for (Alert incident : incidents.incidents(released, 0)) {
            // Replay writes once; live mode asks the ledger, which knows what was last written.
            int revision = ledger == null ? 1 : ledger.next(incident, 0);
            if (revision > 0) {
                incident.revision = revision;
                emit(incident, out);
            }
        }
    }

    private void emit(Alert incident, Collector<AlertRecord> out) {
        if (incident.revision == 1) {
            incidentsOut.inc();
        }
        revisionsOut.inc();
        long firstSeenMillis = Math.floorDiv(DefenderTimestamps.parseNanos(incident.firstSeen), 1_000_000L);
        out.collect(new AlertRecord(incident.alertId, incident.revision, incident.ruleId, incident.deviceId,
                incident.timestamp, true, firstSeenMillis, incident.ruleId + '|' + incident.deviceId + '|',
                AlertJson.write(incident)));
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.campaign.CampaignHit;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/** Turns each CEP match (a lure email, then a pack hit of its recipient on a device) into the joined email. */
public final class JoinLureToDevice extends PatternProcessFunction<CampaignHit, CampaignHit> {
    private static final long serialVersionUID = 1L;

    private transient HuntCounter joins;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        joins = HuntCounter.metricOnly(getRuntimeContext(), HuntCounter.CAMPAIGN_EMAIL_JOINS);
    }

    /** Keeps this task's counters on the reporters for a while, if the job asked for it. */
    @Override
    public void close() {
        HuntCounter.holdForReporters(getRuntimeContext());
    }

    @Override
    public void processMatch(Map<String, List<CampaignHit>> match, Context context, Collector<CampaignHit> out) {
        CampaignHit lure = match.get(CampaignLurePattern.LURE).get(0);
        CampaignHit deviceHit = match.get(CampaignLurePattern.DEVICE_HIT).get(0);
        joins.inc();
        out.collect(lure.joinedTo(deviceHit));
    }
}

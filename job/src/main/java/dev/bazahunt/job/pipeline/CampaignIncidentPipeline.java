package dev.bazahunt.job.pipeline;

import dev.bazahunt.campaign.CampaignHit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The campaign part of the hunt, from campaign hits to incidents: lure emails are joined to devices
 * through their recipient's account (CEP keyed by account), then every device's hits and joined
 * emails become its incidents (keyed by device).
 */
public final class CampaignIncidentPipeline {
    private CampaignIncidentPipeline() {}

    public static DataStream<AlertRecord> attach(DataStream<CampaignHit> hits, HuntSettings settings) {
        DataStream<CampaignHit> withAccount = hits
                .filter(hit -> hit.account != null)
                .name("campaign hits that name an account")
                .uid("campaign-hits-with-account");
        SingleOutputStreamOperator<CampaignHit> joinedLures = CEP
                .pattern(withAccount.keyBy(hit -> hit.account, Types.STRING),
                        CampaignLurePattern.within(settings.campaignWindow()))
                // A hit behind the watermark is left out of the join; Flink's numLateRecordsDropped counts it.
                .inEventTime()
                .process(new JoinLureToDevice())
                .name("cep: lure email -> device hit per account")
                .uid("campaign-lure-cep");
        DataStream<CampaignHit> onDevices = hits
                .filter(hit -> hit.deviceId != null)
                .name("campaign hits on devices")
                .uid("campaign-device-hits");
        return onDevices.union(joinedLures)
                .keyBy(hit -> hit.deviceId, Types.STRING)
                .process(new CampaignIncidentFunction(
                        settings.campaignWindow(), settings.revisionPolicy(), settings.alertRetention(),
                        settings.revisionMemory()))
                .name("campaign incidents per device")
                .uid("campaign-incidents");
    }
}

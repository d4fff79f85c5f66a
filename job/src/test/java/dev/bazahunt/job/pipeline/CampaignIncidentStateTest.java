package dev.bazahunt.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.campaign.CampaignHit;
import dev.bazahunt.rules.CampaignStage;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CampaignIncidentStateTest {

    @Test
    void keepsEachRowOfEachAlertOnce() {
        CampaignIncidentState state = new CampaignIncidentState();

        assertThat(state.addHit(hit("a1", 18342L), 10L)).isTrue();
        assertThat(state.addHit(hit("a1", 18343L), 11L)).isTrue();
        assertThat(state.addHit(hit("a1", 18342L), 12L)).as("the same row re-delivered").isFalse();
        assertThat(state.addHit(hit("a2", 18342L), 12L)).isTrue();

        assertThat(state.hits).hasSize(3);
        assertThat(state.arrivedAtMillis).containsExactly(10L, 11L, 12L);
    }

    @Test
    void forgettingClosedIncidentsDropsTheHitsOfTheirAlerts() {
        CampaignIncidentState state = new CampaignIncidentState();
        state.addHit(hit("a1", 1L), 10L);
        state.addHit(hit("a2", 2L), 20L);
        state.addHit(hit("a1", 3L), 30L);

        state.forget(java.util.Set.of("a1"));

        assertThat(state.hits).extracting(h -> h.alertId).containsExactly("a2");
        assertThat(state.arrivedAtMillis).containsExactly(20L);
    }

    @Test
    void isAFlinkPojoThatRoundTripsWithoutKryo() throws Exception {
        TypeInformation<CampaignIncidentState> type = TypeInformation.of(CampaignIncidentState.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // a Kryo fallback anywhere inside throws here
        TypeSerializer<CampaignIncidentState> serializer = type.createSerializer(config);

        CampaignIncidentState state = new CampaignIncidentState();
        state.addHit(hit("a1", 18342L), 10L);
        state.cleanupAtMillis = 1234L;
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(state, out);
        CampaignIncidentState copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(copy.hits).containsExactly(state.hits);
        assertThat(copy.hits[0].stage).isEqualTo(CampaignStage.CERTUTIL_DOWNLOAD);
        assertThat(copy.arrivedAtMillis).containsExactly(10L);
        assertThat(copy.cleanupAtMillis).isEqualTo(1234L);
        assertThat(TypeInformation.of(CampaignHit.class)).isInstanceOf(PojoTypeInfo.class);
    }

    private static CampaignHit hit(String alertId, long reportId) {
        CampaignHit hit = new CampaignHit();
        hit.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        hit.stage = CampaignStage.CERTUTIL_DOWNLOAD;
        hit.ruleId = "f5ff5b00-a90e-40b8-b241-9427a8ec5189";
        hit.alertId = alertId;
        hit.timestamp = 1_626_789_778_103_456_700L;
        hit.reportId = reportId;
        hit.account = "j.doe@contoso.com";
        return hit;
    }
}

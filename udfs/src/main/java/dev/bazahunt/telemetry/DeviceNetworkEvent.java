package dev.bazahunt.telemetry;

import java.util.List;

/**
 * One row of Defender's {@code DeviceNetworkEvents} table: a network connection or related event,
 * attributed to the process that made it (the {@code InitiatingProcess*} columns). The shared file
 * columns ({@code FileName}, {@code FolderPath}, hashes) are absent from this table and stay null.
 */
public class DeviceNetworkEvent extends DeviceEvent {
    public String remoteIP;
    public Long remotePort;
    public String remoteUrl;
    public String localIP;
    public Long localPort;
    public String protocol;
    public String localIPType;
    public String remoteIPType;

    /** The Defender column names only this table carries, in wire spelling. */
    public static final List<String> OWN_COLUMNS = List.of(
            "RemoteIP",
            "RemotePort",
            "RemoteUrl",
            "LocalIP",
            "LocalPort",
            "Protocol",
            "LocalIPType",
            "RemoteIPType");

    public DeviceNetworkEvent() {}

    @Override
    public DefenderTable table() {
        return DefenderTable.DEVICE_NETWORK_EVENTS;
    }

    @Override
    public String toString() {
        return "DeviceNetworkEvent{" + deviceId + " @" + timestamp + " report=" + reportId + " "
                + initiatingProcessFileName + " -> " + remoteUrl + " " + remoteIP + ":" + remotePort + "}";
    }
}

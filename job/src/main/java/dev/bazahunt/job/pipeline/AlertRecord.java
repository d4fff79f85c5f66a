package dev.bazahunt.job.pipeline;

/**
 * One alert revision on its way to a sink: the JSON the SIEM receives, plus the fields sinks key,
 * order and de-duplicate by. Alerts travel as JSON text so their nested lists never need a Flink
 * serializer. A Flink POJO.
 */
public class AlertRecord {
    public String alertId;
    public int revision;
    public String ruleId;
    public String deviceId;
    /** The alert's Timestamp (ISO-8601 UTC, 7 fractional digits): sorts chronologically as text. */
    public String timestamp;
    public boolean correlated;
    /** Event time of the download in epoch millis, the time suppression decides on. */
    public long eventTimeMillis;
    /** Rule, device and normalised command line: repeats of one key can be suppressed. */
    public String suppressionKey;
    public String json;

    public AlertRecord() {}

    public AlertRecord(String alertId, int revision, String ruleId, String deviceId, String timestamp,
            boolean correlated, long eventTimeMillis, String suppressionKey, String json) {
        this.alertId = alertId;
        this.revision = revision;
        this.ruleId = ruleId;
        this.deviceId = deviceId;
        this.timestamp = timestamp;
        this.correlated = correlated;
        this.eventTimeMillis = eventTimeMillis;
        this.suppressionKey = suppressionKey;
        this.json = json;
    }

    @Override
    public String toString() {
        return json;
    }
}

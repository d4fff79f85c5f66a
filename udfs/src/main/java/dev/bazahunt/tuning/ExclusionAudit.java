package dev.bazahunt.tuning;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.telemetry.DefenderTimestamps;
import dev.bazahunt.telemetry.DeviceEvent;
import java.io.Serializable;

/**
 * The record of a rule match that an exclusion suppressed. Exclusions are where a hunt goes blind, so
 * every suppressed match is written out with enough to find the row again in Advanced Hunting
 * (DeviceId, ReportId, Timestamp) and to judge the exclusion (its name and the command line).
 * Column names follow Defender's spelling, as alerts do.
 */
@JsonPropertyOrder({"ExclusionName", "RuleId", "DeviceId", "ReportId", "Timestamp", "InitiatingProcessCommandLine"})
public record ExclusionAudit(
        @JsonProperty("ExclusionName") String exclusionName,
        @JsonProperty("RuleId") String ruleId,
        @JsonProperty("DeviceId") String deviceId,
        @JsonProperty("ReportId") Long reportId,
        @JsonProperty("Timestamp") String timestamp,
        @JsonProperty("InitiatingProcessCommandLine") String commandLine) implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ExclusionAudit of(Exclusion exclusion, String ruleId, DeviceEvent event) {
        return new ExclusionAudit(exclusion.name(), ruleId, event.deviceId, event.reportId,
                DefenderTimestamps.format(event.timestamp), event.initiatingProcessCommandLine);
    }

    /** One line of JSON, no trailing newline. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ExclusionAudit always serialises", e);
        }
    }
}

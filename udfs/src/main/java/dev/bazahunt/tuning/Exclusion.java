package dev.bazahunt.tuning;

import dev.bazahunt.telemetry.DeviceEvent;
import java.io.Serializable;
import java.util.Set;

/**
 * One named, justified exception to one or more rules: when {@link #conditions} hold for an event a listed
 * rule matched, the match is excluded from alerting and written to the audit output instead.
 *
 * @param line where the entry starts in its file, so an audit record can be traced to the text
 */
public record Exclusion(String name, String reason, Set<String> ruleIds, ExclusionCondition conditions,
        String sourceName, int line) implements Serializable {

    public boolean appliesTo(String ruleId) {
        return ruleIds.contains(ruleId);
    }

    public boolean matches(DeviceEvent event) {
        return conditions.test(event);
    }
}

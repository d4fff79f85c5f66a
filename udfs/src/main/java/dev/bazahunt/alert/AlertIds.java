package dev.bazahunt.alert;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic alert ids: a name-based UUID of the rule id and the download's process instance. The
 * same evidence therefore gets the same id whatever the input order, parallelism or restart history,
 * and an upserting SIEM overwrites a revised alert instead of duplicating it.
 */
public final class AlertIds {
    private AlertIds() {}

    public static String of(String ruleId, String processInstanceKey) {
        byte[] name = (ruleId + '\n' + processInstanceKey).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString();
    }
}

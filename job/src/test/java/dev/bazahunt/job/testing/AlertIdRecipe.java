package dev.bazahunt.job.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * README's AlertId recipe ("How the correlation works"), computed from its text and not from the
 * project's code: the RFC 4122 version 3 UUID (MD5, no namespace) of the UTF-8 text
 * {@code <RuleId>\n<instance>}. The instance is {@code <DeviceId>|pid|<InitiatingProcessId>|<creation>},
 * or {@code <DeviceId>|row|<ReportId>|<Timestamp>} when the process id or creation time is missing;
 * times are nanoseconds since 1970-01-01T00:00Z.
 */
public final class AlertIdRecipe {
    private AlertIdRecipe() {}

    /** The id of an alert on the download by process {@code processId}, created at {@code created}. */
    public static String forProcess(String ruleId, String deviceId, long processId, Instant created) {
        return nameBasedUuid(ruleId + "\n" + deviceId + "|pid|" + processId + "|" + nanosSinceEpoch(created));
    }

    /** The id of an alert on a download row that names no process instance. */
    public static String forRow(String ruleId, String deviceId, long reportId, Instant timestamp) {
        return nameBasedUuid(ruleId + "\n" + deviceId + "|row|" + reportId + "|" + nanosSinceEpoch(timestamp));
    }

    /** The id of a campaign incident on {@code deviceId} whose earliest device alert was first seen at {@code firstSeen}. */
    public static String forIncident(String ruleId, String deviceId, Instant firstSeen) {
        return nameBasedUuid(ruleId + "\n" + deviceId + "|campaign|" + nanosSinceEpoch(firstSeen));
    }

    private static long nanosSinceEpoch(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static String nameBasedUuid(String name) {
        byte[] md5;
        try {
            md5 = MessageDigest.getInstance("MD5").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md5[6] = (byte) ((md5[6] & 0x0f) | 0x30); // version 3
        md5[8] = (byte) ((md5[8] & 0x3f) | 0x80); // the RFC 4122 variant
        String hex = HexFormat.of().formatHex(md5);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}

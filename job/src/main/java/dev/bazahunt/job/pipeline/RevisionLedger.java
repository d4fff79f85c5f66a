package dev.bazahunt.job.pipeline;

import dev.bazahunt.alert.Alert;
import dev.bazahunt.alert.AlertJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Revisions that never go back and never repeat with other content, however late a row arrives. An
 * alert function clears its working state once no more evidence is expected; a row that arrives
 * after that (a laptop offline over a weekend) starts the alert afresh. The ledger remembers, per
 * AlertId, the last revision written and a digest of its content, for much longer (a state TTL in
 * processing time, 30 days by default): the fresh alert then continues at the next revision, and an
 * alert whose content equals what was last written is not written again. Alerts are rare, so the
 * ledger is small: one number and one digest per alert. Any keyed function that writes revisable
 * alerts can hold one (the key must determine the AlertIds it writes).
 */
public final class RevisionLedger {
    private final MapState<String, RevisionMark> marks;

    private RevisionLedger(MapState<String, RevisionMark> marks) {
        this.marks = marks;
    }

    /** Opens the ledger of the calling keyed function; {@code name} must be unique in that function. */
    public static RevisionLedger open(RuntimeContext context, String name, Duration memory) {
        MapStateDescriptor<String, RevisionMark> descriptor = new MapStateDescriptor<>(name, Types.STRING,
                TypeInformation.of(RevisionMark.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(memory)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return new RevisionLedger(context.getMapState(descriptor));
    }

    /**
     * The revision to write {@code alert} with, or 0 when its content is what was last written for
     * its AlertId. {@code localRevision} is the last revision the caller's working state knows of
     * (0 after the state was cleared). The alert's own revision field is ignored and left as it was.
     */
    public int next(Alert alert, int localRevision) throws Exception {
        long digest = digest(alert);
        RevisionMark last = marks.get(alert.alertId);
        if (last != null && last.digest == digest) {
            return 0;
        }
        int revision = Math.max(localRevision, last == null ? 0 : last.revision) + 1;
        marks.put(alert.alertId, new RevisionMark(revision, digest));
        return revision;
    }

    /** 64 bits of SHA-256 over the alert's JSON with the revision left out. */
    static long digest(Alert alert) {
        int revision = alert.revision;
        alert.revision = 0;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(AlertJson.write(alert).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        } finally {
            alert.revision = revision;
        }
    }
}

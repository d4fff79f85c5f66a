package dev.bazahunt.job.stream;

import dev.bazahunt.job.cli.UsageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** {@code --starting-offsets earliest|latest|committed|timestamp:ISO-8601}. */
public final class StartingOffsets {
    private StartingOffsets() {}

    @SuppressWarnings("deprecation") // OffsetResetStrategy is what the 5.0 connector's API takes
    public static OffsetsInitializer parse(String text) throws UsageException {
        switch (text) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            case "committed":
                // A new group has no committed offsets: start from the beginning rather than skip history.
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default:
                if (text.startsWith("timestamp:")) {
                    return OffsetsInitializer.timestamp(epochMillis(text.substring("timestamp:".length())));
                }
                throw new UsageException("--starting-offsets must be earliest, latest, committed or "
                        + "timestamp:<ISO-8601>, got '" + text + "'");
        }
    }

    static long epochMillis(String iso) throws UsageException {
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(iso).toEpochMilli();
            } catch (DateTimeParseException again) {
                throw new UsageException("--starting-offsets timestamp:" + iso
                        + " is not an ISO-8601 date-time such as 2021-07-20T14:00:00Z");
            }
        }
    }
}

package dev.bazahunt.telemetry;

/** A datetime column held text that is not an ISO-8601 datetime Defender could have written. */
public class MalformedTimestampException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedTimestampException(String message) {
        super(message);
    }
}

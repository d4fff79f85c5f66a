package dev.bazahunt.telemetry;

import java.nio.charset.StandardCharsets;

/**
 * The newest row Timestamp in a message, read from its raw bytes without parsing the JSON. A live
 * source whose pre-filter skips a message still needs that message's event time: watermarks come from
 * the rows the source emits, and most rows are skipped, so without it event time would stand still
 * between the rare rows that matter, and no correlation window would ever close.
 *
 * <p>It looks for the key {@code "Timestamp"}, JSON whitespace, {@code :}, whitespace and a string
 * value, as in a flat row, a Storage line's or an Event Hubs record's {@code properties}. A key spelled
 * with escapes, or one inside a JSON string ({@code \"Timestamp\"}), is not seen, and a value that is no
 * datetime is passed over: then the message gives no time, as a skipped message always did.
 */
public final class RawTimestamps {
    private static final byte[] KEY = "\"Timestamp\"".getBytes(StandardCharsets.US_ASCII);
    /** Longer than any datetime Defender writes (seven fractional digits and an offset). */
    private static final int MAX_VALUE_LENGTH = 40;

    private RawTimestamps() {}

    /** The newest row Timestamp in {@code bytes}, in epoch millis; Long.MIN_VALUE when there is none. */
    public static long newestMillis(byte[] bytes) {
        long newest = Long.MIN_VALUE;
        int from = 0;
        while (true) {
            int key = indexOf(bytes, from);
            if (key < 0) {
                return newest;
            }
            // The next search starts at this key's closing quote, which may open another key.
            from = key + KEY.length - 1;
            int at = skipWhitespace(bytes, key + KEY.length);
            if (at >= bytes.length || bytes[at] != ':') {
                continue;
            }
            at = skipWhitespace(bytes, at + 1);
            if (at >= bytes.length || bytes[at] != '"') {
                continue;
            }
            int end = at + 1;
            while (end < bytes.length && end - at <= MAX_VALUE_LENGTH && bytes[end] != '"' && bytes[end] != '\\') {
                end++;
            }
            if (end >= bytes.length || bytes[end] != '"') {
                continue;
            }
            try {
                long nanos = DefenderTimestamps.parseNanos(new String(bytes, at + 1, end - at - 1, StandardCharsets.US_ASCII));
                newest = Math.max(newest, Math.floorDiv(nanos, 1_000_000L));
            } catch (MalformedTimestampException e) {
                // Not a datetime: this occurrence tells nothing.
            }
            from = end + 1;
        }
    }

    /**
     * Horspool's search: the key's last byte is compared first, and a mismatch skips ahead by how far
     * the byte under it is from the key's end (its full length for a byte the key lacks). On JSON text
     * that is several bytes a step, where a byte-by-byte search stops at every quote.
     */
    private static final int[] SHIFT = shiftTable();

    private static int[] shiftTable() {
        int[] shift = new int[256];
        java.util.Arrays.fill(shift, KEY.length);
        for (int i = 0; i < KEY.length - 1; i++) {
            shift[KEY[i] & 0xff] = KEY.length - 1 - i;
        }
        return shift;
    }

    private static int indexOf(byte[] bytes, int from) {
        int last = KEY.length - 1;
        int i = from;
        while (i <= bytes.length - KEY.length) {
            byte tail = bytes[i + last];
            if (tail == KEY[last] && matchesAt(bytes, i)) {
                return i;
            }
            i += SHIFT[tail & 0xff];
        }
        return -1;
    }

    private static boolean matchesAt(byte[] bytes, int at) {
        for (int j = 0; j < KEY.length - 1; j++) {
            if (bytes[at + j] != KEY[j]) {
                return false;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] bytes, int at) {
        while (at < bytes.length && (bytes[at] == ' ' || bytes[at] == '\t' || bytes[at] == '\n' || bytes[at] == '\r')) {
            at++;
        }
        return at;
    }
}

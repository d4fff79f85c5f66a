package dev.bazahunt.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The bytes of one input unit (a Kafka message or a file line) without a leading UTF-8 byte order
 * mark and without surrounding JSON whitespace, so a blob line's CR LF and a BOM written by Windows
 * tools neither break parsing nor show up in excerpts. Offsets are relative to {@link #start}, which
 * is how Jackson reports byte offsets for a parser over an array slice.
 */
final class InputUnit {
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** A UTF-16 char never takes more than three UTF-8 bytes, so this many bytes fill any excerpt. */
    private static final int EXCERPT_BYTES = (DeadLetter.MAX_EXCERPT_CHARS + 1) * 3;

    final byte[] bytes;
    final int start;
    final int end;

    private InputUnit(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.start = start;
        this.end = end;
    }

    static InputUnit of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int start = offset;
        int end = offset + length;
        if (length >= UTF8_BOM.length && bytes[start] == UTF8_BOM[0] && bytes[start + 1] == UTF8_BOM[1]
                && bytes[start + 2] == UTF8_BOM[2]) {
            start += UTF8_BOM.length;
        }
        while (start < end && isJsonWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && isJsonWhitespace(bytes[end - 1])) {
            end--;
        }
        return new InputUnit(bytes, start, end);
    }

    boolean isBlank() {
        return start == end;
    }

    int length() {
        return end - start;
    }

    /**
     * The text between two offsets relative to {@link #start}, decoding no more than an excerpt can
     * show, so that a 100 KB bad record costs no more than a small one. Invalid UTF-8 shows as U+FFFD.
     */
    String excerpt(long from, long to) {
        int first = (int) Math.max(0, Math.min(from, length()));
        int last = (int) Math.max(first, Math.min(to, length()));
        int byteCount = Math.min(last - first, EXCERPT_BYTES);
        return new String(bytes, start + first, byteCount, StandardCharsets.UTF_8);
    }

    /** The whole unit, as far as an excerpt reaches. */
    String excerpt() {
        return excerpt(0, length());
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}

package dev.bazahunt.telemetry;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Raw-byte findings a rule needs, stated by the rule so that a pre-filter can union them with its own:
 * a unit without any of them cannot match the rule and may be skipped unparsed. Stated as data
 * (literal needles and two kinds of byte pattern) so that a pre-filter built from several rules can
 * merge them into one table; {@link #foundIn} is the reference scan, used on its own where no merged
 * scan exists.
 *
 * <ul>
 *   <li>{@link #literals}: ASCII strings that, ignoring ASCII case, must occur in the unit's bytes;
 *   <li>{@link #nonAsciiBytes}: any byte of 0x80 or above is a finding (a rule that reads text through
 *       compatibility normalisation, Unicode dashes or ignorable characters cannot bound which
 *       non-ASCII characters turn into its needles);
 *   <li>{@link #quotesInsideWords}: a quote ({@code '}, or {@code "} escaped as JSON writes it inside a
 *       string, {@code \"}), or a run of them, between two ASCII letters or digits is a finding (a rule
 *       that drops quotes, as the C runtime's argument parser does, sees the two sides joined).
 * </ul>
 * JSON escapes ({@code \}{@code u}, {@code \/}) are findings for every rule, as in {@link RawPrefilter}:
 * they can spell any character, so they are always included here too.
 */
public record RawNeedles(List<String> literals, boolean nonAsciiBytes, boolean quotesInsideWords) implements Serializable {

    public RawNeedles {
        literals = List.copyOf(literals);
        for (String literal : literals) {
            if (literal.isEmpty() || !StandardCharsets.US_ASCII.newEncoder().canEncode(literal)) {
                throw new IllegalArgumentException("a raw needle must be non-empty ASCII: " + literal);
            }
        }
    }

    /**
     * Whether the unit {@code [offset, offset + length)} holds a finding: a literal, a JSON escape, and
     * per the flags a non-ASCII byte or a quote inside a word. One pass, no allocation.
     */
    public boolean foundIn(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int b = bytes[i];
            if (b < 0) {
                if (nonAsciiBytes) {
                    return true;
                }
                continue;
            }
            if (b == '\\' && i + 1 < end && (bytes[i + 1] == 'u' || bytes[i + 1] == '/' || bytes[i + 1] == '"')) {
                if (bytes[i + 1] != '"' && isOddBackslashRunEndingAt(bytes, offset, i)) {
                    return true;
                }
                if (bytes[i + 1] == '"' && quotesInsideWords && isQuoteRunInsideWord(bytes, offset, i, end)) {
                    return true;
                }
            } else if (b == '\'' && quotesInsideWords && isQuoteRunInsideWord(bytes, offset, i, end)) {
                return true;
            }
            for (int k = 0; k < literals.size(); k++) {
                if (matchesFolded(bytes, i, end, literals.get(k))) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean foundIn(byte[] bytes) {
        return foundIn(bytes, 0, bytes.length);
    }

    /**
     * Whether the quote starting at {@code at} ({@code '} or {@code \"}) belongs to a run of quotes with
     * an ASCII letter or digit on both sides. Over-approximates on purpose: a {@code \"} is taken as a
     * quote whatever backslashes precede it.
     */
    private static boolean isQuoteRunInsideWord(byte[] bytes, int offset, int at, int end) {
        int before = at - 1;
        while (before >= offset) {
            if (bytes[before] == '\'') {
                before--;
            } else if (bytes[before] == '"' && before - 1 >= offset && bytes[before - 1] == '\\') {
                before -= 2;
            } else {
                break;
            }
        }
        int after = at;
        while (after < end) {
            if (bytes[after] == '\'') {
                after++;
            } else if (bytes[after] == '\\' && after + 1 < end && bytes[after + 1] == '"') {
                after += 2;
            } else {
                break;
            }
        }
        return before >= offset && after < end && isAsciiAlphanumeric(bytes[before]) && isAsciiAlphanumeric(bytes[after]);
    }

    private static boolean isOddBackslashRunEndingAt(byte[] bytes, int offset, int at) {
        int first = at;
        while (first > offset && bytes[first - 1] == '\\') {
            first--;
        }
        return ((at - first) & 1) == 0;
    }

    private static boolean matchesFolded(byte[] bytes, int at, int end, String literal) {
        int length = literal.length();
        if (end - at < length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            int expected = literal.charAt(k);
            int actual = bytes[at + k];
            if (actual != expected && !(isAsciiLetter(expected) && (actual ^ expected) == 0x20)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(int c) {
        int lower = c | 0x20;
        return lower >= 'a' && lower <= 'z';
    }

    private static boolean isAsciiAlphanumeric(byte b) {
        return isAsciiLetter(b) || (b >= '0' && b <= '9');
    }
}

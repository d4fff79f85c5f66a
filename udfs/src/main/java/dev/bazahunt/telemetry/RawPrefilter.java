package dev.bazahunt.telemetry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decides from the raw UTF-8 bytes of one input unit (a file line or a Kafka message), before any
 * String is built or any JSON is parsed, whether the unit can possibly matter to the hunt. Almost all
 * of a fleet's telemetry cannot, and parsing it is what makes a naive job slow.
 *
 * <p>A row matters only if the certutil rule can match it or if Excel spawned it:
 * <ul>
 *   <li>the rule needs {@code InitiatingProcessCommandLine has "-urlcache"}, so the decoded text
 *       contains {@code urlcache} in some case;
 *   <li>an Excel child needs {@code InitiatingProcessFileName =~ "excel.exe"}, so the decoded text
 *       contains {@code excel.exe} in some case.
 * </ul>
 * The bytes are searched for these needles with ASCII case folding only. That is safe because the
 * KQL operators fold case per character ({@link String#equalsIgnoreCase}, {@code regionMatches}), no
 * non-ASCII character folds onto an ASCII letter of a needle (proved over every code point by
 * {@code RawPrefilterCaseFoldingTest}), and in UTF-8 an ASCII byte only ever encodes that ASCII
 * character.
 *
 * <p><b>Escapes.</b> A JSON escape {@code \}{@code u0075} or {@code \/} can spell a character without its
 * byte, so {@code \}{@code u0075rlcache} decodes to {@code urlcache} without containing it. A unit with such an
 * escape is always parsed. Windows paths escape every backslash as {@code \\}, so only a backslash
 * run of <em>odd</em> length before {@code u} or {@code /} is an escape; {@code C:\\users} is not.
 * The other escapes ({@code \" \\ \b \f \n \r \t}) cannot produce a needle letter.
 *
 * <p><b>Trade-off: skipped lines are not validated.</b> A unit is skipped only when it has no needle,
 * no such escape, and looks like one complete JSON object (first non-blank byte {@code '{'}, last
 * {@code '}'}); anything else is parsed, so truncated lines and non-JSON garbage are still
 * dead-lettered. But a well-delimited unit that is semantically broken (a row without DeviceId, a bad
 * Timestamp, invalid JSON inside the braces) and contains no needle is counted as skipped by the
 * pre-filter, not dead-lettered: it could not have produced an alert either way. Turn the pre-filter
 * off to validate every record.
 *
 * <p>Stateless and allocation-free: one pass over the bytes, no regex. The pass reads eight bytes at
 * a time and stops only at bytes that can start a finding: a backslash, a {@code u} or an {@code x}
 * (the anchor of {@code excel.exe} is its rarer second letter; {@code e} is everywhere in JSON).
 */
public final class RawPrefilter {
    private static final byte[] URLCACHE = needle("urlcache");
    private static final byte[] EXCEL_EXE = needle("excel.exe");
    /** OR-ing this bit maps an ASCII upper-case letter to its lower case and leaves lower case alone. */
    private static final int ASCII_CASE_BIT = 0x20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long FOLD_CASE = LOW_BITS * ASCII_CASE_BIT;
    private static final long BACKSLASHES = LOW_BITS * '\\';
    private static final long U_LETTERS = LOW_BITS * 'u';
    private static final long X_LETTERS = LOW_BITS * 'x';

    private RawPrefilter() {}

    /** The lower-case ASCII letters and punctuation the pre-filter searches for, for tests. */
    static String[] needles() {
        return new String[] {"urlcache", "excel.exe"};
    }

    /**
     * True when the unit must be parsed: it contains a needle, or an escape that could hide one, or it
     * does not look like one complete JSON object. False only when the hunt provably ignores it.
     */
    public static boolean mayMatter(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        while (start < end && isJsonWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && isJsonWhitespace(bytes[end - 1])) {
            end--;
        }
        if (end - start < 2 || bytes[start] != '{' || bytes[end - 1] != '}') {
            return true;
        }
        int i = start;
        // Eight bytes at a time, looking only for the bytes that can start a finding: a backslash, or the
        // 'u' of urlcache or the 'x' of excel.exe in either case. Most words of a row hold none of them.
        while (i + Long.BYTES <= end) {
            long word = (long) LONGS.get(bytes, i);
            long folded = word | FOLD_CASE;
            if ((hasZeroByte(word ^ BACKSLASHES) | hasZeroByte(folded ^ U_LETTERS) | hasZeroByte(folded ^ X_LETTERS))
                    == 0) {
                i += Long.BYTES;
                continue;
            }
            int next = examine(bytes, start, i, i + Long.BYTES, end);
            if (next < 0) {
                return true;
            }
            i = next;
        }
        return examine(bytes, start, i, end, end) < 0;
    }

    /**
     * Checks each byte of {@code [from, to)} that can start a finding. Returns -1 on a finding (a needle
     * or an escape that could hide one), else where scanning resumes: {@code to}, or past a run of
     * backslashes that went beyond it.
     */
    private static int examine(byte[] bytes, int unitStart, int from, int to, int end) {
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b == '\\') {
                int run = i;
                while (run < end && bytes[run] == '\\') {
                    run++;
                }
                // An odd run ends in an escaping backslash, which applies to the byte after the run.
                if (((run - i) & 1) == 1 && run < end && (bytes[run] == 'u' || bytes[run] == '/')) {
                    return -1;
                }
                i = run;
                continue;
            }
            int folded = b | ASCII_CASE_BIT;
            if (folded == 'u' && startsAt(bytes, i, end, URLCACHE)) {
                return -1;
            }
            if (folded == 'x' && i > unitStart && startsAt(bytes, i - 1, end, EXCEL_EXE)) {
                return -1;
            }
            i++;
        }
        return i;
    }

    /** Non-zero iff some byte of {@code word} is zero (the classic SWAR test; exact as a yes/no). */
    private static long hasZeroByte(long word) {
        return (word - LOW_BITS) & ~word & HIGH_BITS;
    }

    public static boolean mayMatter(byte[] bytes) {
        return mayMatter(bytes, 0, bytes.length);
    }

    /** Whether {@code needle} (lower case) occurs at {@code at}, letters compared ASCII case-insensitively. */
    private static boolean startsAt(byte[] bytes, int at, int end, byte[] needle) {
        if (end - at < needle.length) {
            return false;
        }
        for (int k = 1; k < needle.length; k++) {
            int expected = needle[k];
            int actual = bytes[at + k];
            if (isAsciiLetter(expected) ? (actual | ASCII_CASE_BIT) != expected : actual != expected) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(int b) {
        return b >= 'a' && b <= 'z';
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static byte[] needle(String lowerCase) {
        return lowerCase.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}

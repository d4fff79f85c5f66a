package dev.bazahunt.telemetry;

import static dev.bazahunt.telemetry.ByteWords.clearFirst;
import static dev.bazahunt.telemetry.ByteWords.equalBytes;
import static dev.bazahunt.telemetry.ByteWords.firstFlagged;
import static dev.bazahunt.telemetry.ByteWords.load;
import static dev.bazahunt.telemetry.ByteWords.repeat;
import static dev.bazahunt.telemetry.ByteWords.zeroBytes;

import dev.bazahunt.rules.RuleNeedles;
import java.nio.charset.StandardCharsets;

/**
 * Decides from the raw UTF-8 bytes of one input unit (a file line or a Kafka message), before any
 * String is built or any JSON is parsed, whether the unit can possibly matter to the hunt. Almost all
 * of a fleet's telemetry cannot, and parsing it is what makes a naive job slow.
 *
 * <p>A row matters only if a rule can match it or if Excel spawned it. Each leaves a literal trace in
 * the bytes, a <em>finding</em>:
 * <ul>
 *   <li>a rule's needles, derived from its compiled query ({@link dev.bazahunt.rules.RuleNeedles}): a
 *       row the rule matches holds one of them. The faithful rule needs
 *       {@code InitiatingProcessCommandLine has "-urlcache"}, and {@code has} with a punctuated needle
 *       needs the needle literally, so its needle is {@code -urlcache}. (CryptoAPI's
 *       {@code CryptnetUrlCache} folders, common in real telemetry, do not hold it.) The needles of
 *       every rule file in the catalog are scanned for, whichever rules a hunt selects.
 *   <li>an Excel child needs {@code InitiatingProcessFileName =~ "excel.exe"}: whole-value equality, and
 *       the parser matches column names exactly, so the bytes hold {@code "InitiatingProcessFileName"},
 *       JSON whitespace, a colon, whitespace and {@code "excel.exe"} in some case. Rows that merely name
 *       Excel (Explorer starting it, its version info, its path) do not.
 * </ul>
 * Letters are compared with ASCII case folding only. That is exact because the KQL operators fold the
 * ASCII letters only ({@link dev.bazahunt.kql.KqlOperators#equalIgnoringCase}: no non-ASCII character
 * equals an ASCII one, checked over every code point by {@code RawPrefilterCaseFoldingTest}), and in
 * UTF-8 an ASCII byte only ever encodes that ASCII character.
 *
 * <p><b>Escapes.</b> A JSON escape {@code \}{@code u0075} or {@code \/} can spell a character without its
 * byte, so {@code -\}{@code u0075rlcache} decodes to {@code -urlcache} without containing it. An escape of
 * either kind is a finding too, so such a unit is always parsed. Windows paths escape every backslash as
 * {@code \\}, so only a backslash run of <em>odd</em> length before {@code u} or {@code /} is an escape;
 * {@code C:\\users} is not. The other escapes ({@code \" \\ \b \f \n \r \t}) cannot produce a needle's
 * character.
 *
 * <p><b>Trade-off: skipped lines are not validated.</b> A unit is skipped only when it has no finding
 * and looks like one complete JSON object (first non-blank byte {@code '{'}, last {@code '}'}); anything
 * else is parsed, so truncated lines and non-JSON garbage are still dead-lettered. But a well-delimited
 * unit that is semantically broken (a row without DeviceId, a bad Timestamp, invalid JSON inside the
 * braces) and has no finding is counted as skipped, not dead-lettered: it could not have produced an
 * alert either way. Turn the pre-filter off to validate every record. The hardened rule looks for
 * obfuscated command lines that these needles do not cover; it states its own findings as
 * {@link RawNeedles} ({@code HardenedCertutilRule.PREFILTER_NEEDLES}), which the readers check on a unit
 * this filter would skip.
 *
 * <p><b>How it scans.</b> One pass, no regex, no allocation. {@link #scan} finds line ends and findings
 * in the same pass, for a file reader's buffer. It runs the {@link VectorRawScan vector scan} when the
 * JVM has the vector module, else the word scan here: eight bytes at a time in a {@code long}, flagging
 * newlines and escapes arithmetically and looking the byte pairs at the word's first and fifth byte up
 * in a table of the needles' byte pairs (so every needle of five bytes or more covers a looked-up pair).
 * Ordinary JSON rarely holds these, so most steps are passed over with no branch taken; each flag is
 * then confirmed exactly.
 */
public final class RawPrefilter {
    /** The rules' needles, lower case, longest first. */
    private static final byte[][] RULE_NEEDLES = ruleNeedles();
    static final byte[] EXCEL_EXE = ascii("excel.exe");
    private static final byte[] EXCEL_KEY = ascii("InitiatingProcessFileName");
    private static final byte[] PROCESS_TABLE = ascii("deviceprocessevents");
    private static final int ASCII_CASE_BIT = 0x20;
    /** Where the 'p' of {@link #PROCESS_TABLE} lies, and the words that find it and its 'd' in either case. */
    private static final int PROCESS_P_OFFSET = 6;
    private static final long CASE_BITS = repeat((char) ASCII_CASE_BIT);
    private static final long FOLDED_D = repeat('d');
    private static final long FOLDED_P = repeat('p');

    private static final long NEWLINES = repeat('\n');
    private static final long BACKSLASHES = repeat('\\');
    private static final long U_LETTERS = repeat('u');
    private static final long SLASHES = repeat('/');

    /**
     * For each pair of bytes, the offsets j (bit j) at which it occurs, case folded, in a needle: the
     * pair at array index {@code i} and {@code i + 1} is read as {@code bytes[i] | bytes[i + 1] << 8}.
     */
    private static final byte[] NEEDLE_PAIRS = needlePairs(RULE_NEEDLES, EXCEL_EXE);

    /** The longest needle, which bounds how far a confirmation reads past a flagged position. */
    static final int LONGEST_NEEDLE = longest(RULE_NEEDLES, EXCEL_EXE);

    /**
     * How far past the start of its word a flagged position's confirmation may read: a needle whose pair
     * is looked up at the word's fifth byte may end, with {@code "excel.exe"}'s closing quote, this far on.
     */
    private static final int WORD_LOOP_MARGIN = Long.BYTES + LONGEST_NEEDLE + 3;

    /** {@link #scan} stopped at a {@code '\n'} before any finding. */
    public static final int NEWLINE = 0;
    /** {@link #scan} stopped at a finding, which lies before any {@code '\n'}. */
    public static final int FINDING = 1;
    /**
     * {@link #scan} reached the end of what it may read: the end of the unit when that end is final, else
     * the position from which the caller must resume once more bytes follow.
     */
    public static final int END = 2;
    /**
     * {@link #scan} stopped at an Excel child's value ({@code "InitiatingProcessFileName":"excel.exe"}),
     * before any {@code '\n'}, with no other finding at or before that position. Only a DeviceProcessEvents
     * row can be an Excel child, so this is a finding only in a unit that {@link #mayHoldProcessRows may hold
     * one}: the caller scans on from the next position (which may report the same value again, a few
     * times at most) and decides at the unit's end. Most such values are in Excel's own file, network and
     * registry events, which need no parsing.
     */
    public static final int EXCEL_VALUE = 3;

    /**
     * Whether the vector scan runs: the JVM was started with the incubating vector module
     * ({@code --add-modules jdk.incubator.vector}) and its vectors are wide enough to pay. Otherwise the
     * word scan, which needs nothing, runs. Both find the same things on any input.
     */
    private static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && VectorRawScan.worthwhile();

    private RawPrefilter() {}

    /** The characters the pre-filter compares with case folding, as lower-case needles, for tests. */
    static String[] needles() {
        String[] needles = new String[RULE_NEEDLES.length + 1];
        for (int i = 0; i < RULE_NEEDLES.length; i++) {
            needles[i] = new String(RULE_NEEDLES[i], StandardCharsets.UTF_8);
        }
        needles[RULE_NEEDLES.length] = new String(EXCEL_EXE, StandardCharsets.US_ASCII);
        return needles;
    }

    /** The rules' needles alone (no Excel needle), as byte arrays, for the vector scan's anchors. */
    static byte[][] ruleNeedleBytes() {
        return RULE_NEEDLES.clone();
    }

    /**
     * Whether a file of rows that do not name their own table, whose path names {@code hint}, can go
     * through the pre-filter: not when a rule on that table is covered only by the table's name.
     */
    public static boolean filtersRowsHintedAs(DefenderTable hint) {
        return !RuleNeedles.standard().parsesWholeFilesOf(hint);
    }

    /**
     * True when the unit must be parsed: it has a finding (a needle, or an escape that could hide one, or
     * an Excel child's value in a unit that may hold DeviceProcessEvents rows), or it does not look like
     * one complete JSON object. False only when the hunt provably ignores it. {@code tableHint} is the
     * table the parser is told for rows that do not name their own (from the file's path), or null.
     *
     * <p>This is the live path (one Kafka message at a time), so it runs the word scan: with the vector
     * scan, the live job's p99 alert latency at 50,000 rows/s was 1.6-2.2 s here against 0.55-0.72 s
     * (alternating runs, warm broker), while a message is scanned in well under a microsecond either way.
     */
    public static boolean mayMatter(byte[] bytes, int offset, int length, DefenderTable tableHint) {
        int end = offset + length;
        if (!looksLikeOneObject(bytes, offset, end)) {
            return true;
        }
        int from = offset;
        boolean excelValue = false;
        while (true) {
            long stop = scanWords(bytes, offset, from, end, true);
            switch (kind(stop)) {
                case FINDING:
                    return true;
                case EXCEL_VALUE:
                    excelValue = true;
                    from = position(stop) + 1;
                    break;
                case NEWLINE:
                    from = position(stop) + 1; // a line break inside a message is JSON whitespace
                    break;
                default:
                    return excelValue && mayHoldProcessRows(bytes, offset, end, tableHint);
            }
        }
    }

    /** {@link #mayMatter(byte[], int, int, DefenderTable)} for a whole unit that comes with no table hint (a Kafka message). */
    public static boolean mayMatter(byte[] bytes) {
        return mayMatter(bytes, 0, bytes.length, null);
    }

    public static boolean mayMatter(byte[] bytes, DefenderTable tableHint) {
        return mayMatter(bytes, 0, bytes.length, tableHint);
    }

    /**
     * Whether the parser can read a DeviceProcessEvents row from this unit: the table is hinted, or the
     * unit spells its name, as a {@code category} ({@code AdvancedHunting-DeviceProcessEvents}) or a
     * {@code Type} must, in some ASCII case ({@link DefenderTable#fromNameOrCategory}). A name spelt with
     * escapes has an escape, which is a finding of its own.
     */
    public static boolean mayHoldProcessRows(byte[] bytes, int start, int end, DefenderTable tableHint) {
        if (tableHint == DefenderTable.DEVICE_PROCESS_EVENTS) {
            return true;
        }
        // Eight positions at a time: where a folded 'd' has a folded 'p' six bytes on ("Device" ... "Process"),
        // which is rare anywhere else; byte by byte, Excel's rows cost well over a microsecond each here.
        int at = start;
        for (; at + PROCESS_P_OFFSET + Long.BYTES <= end; at += Long.BYTES) {
            long candidates = equalBytes(load(bytes, at) | CASE_BITS, FOLDED_D)
                    & equalBytes(load(bytes, at + PROCESS_P_OFFSET) | CASE_BITS, FOLDED_P);
            for (; candidates != 0; candidates = clearFirst(candidates)) {
                if (matchesFolded(bytes, firstFlagged(at, candidates), end, PROCESS_TABLE)) {
                    return true;
                }
            }
        }
        for (; at + PROCESS_TABLE.length <= end; at++) {
            if (matchesFolded(bytes, at, end, PROCESS_TABLE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Scans the unit that starts at {@code unitStart}, from {@code from}, up to the first {@code '\n'},
     * the first finding, or the end of what may be read. Returns the stop as a {@link #kind} and a
     * {@link #position}: the newline's index, an index inside the finding, or for {@link #END} where to
     * resume. {@code finalEnd} says whether {@code end} ends the unit; if not, the scan stops short of it
     * so that confirming a finding never needs bytes that have not arrived, and the caller resumes at the
     * returned position once they have. A finding's confirmation may look back to {@code unitStart}, never
     * before it.
     */
    public static long scan(byte[] bytes, int unitStart, int from, int end, boolean finalEnd) {
        return VECTORS ? VectorRawScan.scan(bytes, unitStart, from, end, finalEnd)
                : scanWords(bytes, unitStart, from, end, finalEnd);
    }

    /** Which scan runs here, e.g. {@code "vector, 32 bytes per step"}; the commands print it. */
    public static String scanKind() {
        return VECTORS ? "vector, " + VectorRawScan.lanes() + " bytes per step" : "word, 8 bytes per step";
    }

    /**
     * {@link #scan}, eight bytes at a time, for JVMs without the vector module and for single messages.
     * Newlines and escapes are flagged byte by byte. The needles are longer than a word, so each
     * occurrence covers a word start and the byte after it; the scan looks only at that pair, in a table
     * of the needles' pairs, and confirms the occurrences it allows.
     */
    static long scanWords(byte[] bytes, int unitStart, int from, int end, boolean finalEnd) {
        int i = from;
        for (; i + WORD_LOOP_MARGIN <= end; i += Long.BYTES) {
            long word = load(bytes, i);
            long next = load(bytes, i + 1);
            int needleOffsets = NEEDLE_PAIRS[(int) word & 0xFFFF] & 0xFF;
            int middleOffsets = NEEDLE_PAIRS[(int) (word >>> 32) & 0xFFFF] & 0xFF;
            // Zero where a backslash precedes 'u' or '/', and at a few other bytes after a backslash
            // (the AND of two differences can vanish elsewhere); each flagged byte is confirmed.
            long escape = (word ^ BACKSLASHES) | ((next ^ U_LETTERS) & (next ^ SLASHES));
            long flags = zeroBytes(word ^ NEWLINES, escape);
            if ((flags | needleOffsets | middleOffsets) == 0) {
                continue;
            }
            // A confirmed needle covers byte i, which comes before any newline this word holds.
            int covering = needleOffsets == 0 ? NO_NEEDLE : needleCovering(bytes, unitStart, i, needleOffsets, end);
            if (covering != NO_NEEDLE) {
                return stop(covering, i);
            }
            // A needle covering byte i + 4 holds no newline, so a newline before i + 4 comes first.
            int middle = i + Long.BYTES / 2;
            while (flags != 0) {
                int at = firstFlagged(i, flags);
                if (middleOffsets != 0 && at >= middle) {
                    int inMiddle = needleCovering(bytes, unitStart, middle, middleOffsets, end);
                    if (inMiddle != NO_NEEDLE) {
                        return stop(inMiddle, middle);
                    }
                    middleOffsets = 0;
                }
                if (bytes[at] == '\n') {
                    return stop(NEWLINE, at);
                }
                if (isEscapeAt(bytes, unitStart, at, end)) {
                    return stop(FINDING, at);
                }
                flags = clearFirst(flags);
            }
            int inMiddle = middleOffsets == 0 ? NO_NEEDLE : needleCovering(bytes, unitStart, middle, middleOffsets, end);
            if (inMiddle != NO_NEEDLE) {
                return stop(inMiddle, middle);
            }
        }
        if (!finalEnd) {
            return stop(END, i);
        }
        // Needles that start in the last word scanned and reach past it cover no scanned word start.
        // A stop is never before from: a caller resumes past an Excel value, and meets it again at most
        // a word's width of times.
        for (int start = Math.max(Math.max(i - Long.BYTES + 1, unitStart), from - Long.BYTES + 1); start < i; start++) {
            int kind = needleAt(bytes, unitStart, start, end);
            if (kind != NO_NEEDLE) {
                return stop(kind, Math.max(start, from));
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n') {
                return stop(NEWLINE, i);
            }
            if (isEscapeAt(bytes, unitStart, i, end)) {
                return stop(FINDING, i);
            }
            int kind = needleAt(bytes, unitStart, i, end);
            if (kind != NO_NEEDLE) {
                return stop(kind, i);
            }
        }
        return stop(END, end);
    }

    /** {@link #NEWLINE}, {@link #FINDING}, {@link #EXCEL_VALUE} or {@link #END}. */
    public static int kind(long stop) {
        return (int) (stop >>> 32);
    }

    public static int position(long stop) {
        return (int) stop;
    }

    static long stop(int kind, int position) {
        return (long) kind << 32 | position;
    }

    /**
     * Whether {@code [start, end)} is one JSON object as far as its delimiters show: the first and last
     * non-blank bytes are braces. Anything else is parsed, so that it can be dead-lettered.
     */
    public static boolean looksLikeOneObject(byte[] bytes, int start, int end) {
        while (start < end && isJsonWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && isJsonWhitespace(bytes[end - 1])) {
            end--;
        }
        return end - start >= 2 && bytes[start] == '{' && bytes[end - 1] == '}';
    }

    /** {@link #needleAt} found neither a rule's needle nor an Excel value. */
    static final int NO_NEEDLE = -1;

    /**
     * What starts at {@code at - j} for the offsets j whose bits are set in {@code offsets}: a rule's
     * needle ({@link #FINDING}) at any of them, else an Excel value ({@link #EXCEL_VALUE}), else {@link #NO_NEEDLE}.
     */
    private static int needleCovering(byte[] bytes, int unitStart, int at, int offsets, int end) {
        int found = NO_NEEDLE;
        for (int bits = offsets; bits != 0; bits &= bits - 1) {
            int start = at - Integer.numberOfTrailingZeros(bits);
            if (start >= unitStart) {
                int kind = needleAt(bytes, unitStart, start, end);
                if (kind == FINDING) {
                    return FINDING;
                }
                found = Math.max(found, kind);
            }
        }
        return found;
    }

    /**
     * Confirms exactly what occurs at {@code start}, reading no further than {@code end}: a rule's needle
     * ({@link #FINDING}), an Excel child's value ({@link #EXCEL_VALUE}), or neither ({@link #NO_NEEDLE}).
     */
    static int needleAt(byte[] bytes, int unitStart, int start, int end) {
        for (byte[] needle : RULE_NEEDLES) {
            if (matchesFolded(bytes, start, end, needle)) {
                return FINDING;
            }
        }
        return isExcelValueAt(bytes, unitStart, start, end) ? EXCEL_VALUE : NO_NEEDLE;
    }

    /** Whether {@code "excel.exe"}, in some case, starts at {@code start} as the value of {@code InitiatingProcessFileName}. */
    static boolean isExcelValueAt(byte[] bytes, int unitStart, int start, int end) {
        int valueQuote = start - 1;
        int closingQuote = start + EXCEL_EXE.length;
        return valueQuote >= unitStart && closingQuote < end && bytes[valueQuote] == '"' && bytes[closingQuote] == '"'
                && matchesFolded(bytes, start, end, EXCEL_EXE) && isExcelKeyBefore(bytes, unitStart, valueQuote);
    }

    /**
     * Whether an escape that could hide a needle character starts at {@code at}: {@code \/}, or
     * {@code \}{@code u} and a hex digit. A {@code \}{@code u} without one is no escape, so the line is not
     * JSON and gives no alert either way; in {@code c:\\users}, common in folder paths, the second
     * backslash is escaped anyway.
     */
    static boolean isEscapeAt(byte[] bytes, int unitStart, int at, int end) {
        if (bytes[at] != '\\' || at + 1 >= end) {
            return false;
        }
        byte escaped = bytes[at + 1];
        boolean hidesCharacter = escaped == '/' || (escaped == 'u' && at + 2 < end && isHexDigit(bytes[at + 2]));
        return hidesCharacter && isOddBackslashRunEndingAt(bytes, unitStart, at);
    }

    /** An ASCII hex digit, in either case. */
    static boolean isHexDigit(byte b) {
        return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'f');
    }

    /** Whether the backslash at {@code at} ends a run of odd length: it is an escape, not an escaped backslash. */
    private static boolean isOddBackslashRunEndingAt(byte[] bytes, int unitStart, int at) {
        int first = at;
        while (first > unitStart && bytes[first - 1] == '\\') {
            first--;
        }
        return ((at - first) & 1) == 0;
    }

    /** Whether {@code "InitiatingProcessFileName"}, whitespace, a colon and whitespace end just before {@code valueQuote}. */
    private static boolean isExcelKeyBefore(byte[] bytes, int unitStart, int valueQuote) {
        int i = skipWhitespaceBackwards(bytes, unitStart, valueQuote - 1);
        if (i < unitStart || bytes[i] != ':') {
            return false;
        }
        i = skipWhitespaceBackwards(bytes, unitStart, i - 1);
        int keyStart = i - EXCEL_KEY.length;
        if (keyStart - 1 < unitStart || bytes[i] != '"' || bytes[keyStart - 1] != '"') {
            return false;
        }
        for (int k = 0; k < EXCEL_KEY.length; k++) {
            if (bytes[keyStart + k] != EXCEL_KEY[k]) {
                return false;
            }
        }
        return true;
    }

    private static int skipWhitespaceBackwards(byte[] bytes, int unitStart, int from) {
        int i = from;
        while (i >= unitStart && isJsonWhitespace(bytes[i])) {
            i--;
        }
        return i;
    }

    /** Whether {@code needle} (lower case) occurs at {@code at}, letters compared ASCII case-insensitively. */
    static boolean matchesFolded(byte[] bytes, int at, int end, byte[] needle) {
        if (end - at < needle.length) {
            return false;
        }
        for (int k = 0; k < needle.length; k++) {
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

    /**
     * The word scan looks pairs up every four bytes, so a needle's occurrence always puts one of its
     * pairs at offset 0 to 3 at a looked-up position: only those offsets go into the table.
     */
    private static byte[] needlePairs(byte[][] ruleNeedles, byte[] excelNeedle) {
        byte[][] needles = new byte[ruleNeedles.length + 1][];
        System.arraycopy(ruleNeedles, 0, needles, 0, ruleNeedles.length);
        needles[ruleNeedles.length] = excelNeedle;
        byte[] table = new byte[1 << 16];
        for (byte[] needle : needles) {
            if (needle.length < RuleNeedles.MIN_NEEDLE_BYTES) {
                throw new IllegalStateException("needle '" + new String(needle, StandardCharsets.UTF_8)
                        + "' is shorter than " + RuleNeedles.MIN_NEEDLE_BYTES + " bytes");
            }
            for (int j = 0; j + 1 < needle.length && j < Long.BYTES / 2; j++) {
                for (int first : spellings(needle[j])) {
                    for (int second : spellings(needle[j + 1])) {
                        table[(first & 0xFF) | (second & 0xFF) << 8] |= (byte) (1 << j);
                    }
                }
            }
        }
        return table;
    }

    /** The bytes that match a needle's (lower-case) byte: both cases of a letter. */
    private static int[] spellings(byte lowerCase) {
        return isAsciiLetter(lowerCase) ? new int[] {lowerCase, lowerCase & ~ASCII_CASE_BIT} : new int[] {lowerCase};
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The needles of every rule file, read once when this class loads. Longest first, so the most
     * selective needle is confirmed first.
     */
    private static byte[][] ruleNeedles() {
        return RuleNeedles.standard().needles().stream()
                .map(needle -> needle.getBytes(StandardCharsets.UTF_8))
                .sorted((a, b) -> Integer.compare(b.length, a.length))
                .toArray(byte[][]::new);
    }

    private static int longest(byte[][] needles, byte[] other) {
        int longest = other.length;
        for (byte[] needle : needles) {
            longest = Math.max(longest, needle.length);
        }
        return longest;
    }
}

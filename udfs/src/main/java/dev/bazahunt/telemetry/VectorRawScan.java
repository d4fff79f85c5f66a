package dev.bazahunt.telemetry;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RawPrefilter#scan} with the JDK's vector API: 32 bytes per step on AVX2. Each step flags every
 * position that holds a newline, an escape start ({@code \}{@code u}, {@code \/}) or a needle's anchor:
 * for each rule needle, the three consecutive bytes in it that ordinary JSON holds least often (by a
 * fixed ranking of byte frequency; three bytes, because every pair of letters is common somewhere in
 * telemetry, e.g. {@code ex} in each {@code .exe}), and {@code xce} of {@code excel.exe}. Each flag is then
 * confirmed exactly by {@link RawPrefilter}, so both scans stop at the same place on any input.
 *
 * <p>The vector API is an incubator module in JDK 17: this class is loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} ({@link RawPrefilter} checks), as {@code ./bazahunt}, the
 * local cluster and the Kubernetes manifest arrange.
 */
final class VectorRawScan {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final byte CASE_BIT = 0x20;

    /**
     * Per anchor: its three bytes (lower case), and for each the bits OR-ed into the input before the
     * comparison: the case bit for a letter, compared case-folded, else nothing. No branch per anchor.
     */
    private static final byte[] FIRST;
    private static final byte[] SECOND;
    private static final byte[] THIRD;
    private static final byte[] FOLD_FIRST;
    private static final byte[] FOLD_SECOND;
    private static final byte[] FOLD_THIRD;
    /** The distinct offsets of anchors inside their needles: where a flagged needle may start. */
    private static final int[] OFFSETS;

    static {
        byte[][] needles = RawPrefilter.ruleNeedleBytes();
        int anchors = needles.length + 1;
        FIRST = new byte[anchors];
        SECOND = new byte[anchors];
        THIRD = new byte[anchors];
        FOLD_FIRST = new byte[anchors];
        FOLD_SECOND = new byte[anchors];
        FOLD_THIRD = new byte[anchors];
        java.util.TreeSet<Integer> offsets = new java.util.TreeSet<>();
        for (int n = 0; n <= needles.length; n++) {
            byte[] needle = n < needles.length ? needles[n] : "excel.exe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int offset = n < needles.length ? rarestTriple(needle) : 1;
            FIRST[n] = needle[offset];
            SECOND[n] = needle[offset + 1];
            THIRD[n] = needle[offset + 2];
            FOLD_FIRST[n] = isLetter(FIRST[n]) ? CASE_BIT : 0;
            FOLD_SECOND[n] = isLetter(SECOND[n]) ? CASE_BIT : 0;
            FOLD_THIRD[n] = isLetter(THIRD[n]) ? CASE_BIT : 0;
            offsets.add(offset);
        }
        OFFSETS = offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A step reads its lanes and two bytes more; a confirmation reads the longest needle and a quote past a flag. */
    private static final int MARGIN = LANES + 2 + RawPrefilter.LONGEST_NEEDLE + 3;

    /** {@link #confirm} found nothing at a flag. */
    private static final long NONE = -1;

    private VectorRawScan() {}

    static int lanes() {
        return LANES;
    }

    /** Whether vectors are wide enough here to beat the word scan: 16 lanes or more. */
    static boolean worthwhile() {
        return LANES >= 16;
    }

    static long scan(byte[] bytes, int unitStart, int from, int end, boolean finalEnd) {
        int i = from;
        while (i + MARGIN <= end) {
            ByteVector here = ByteVector.fromArray(SPECIES, bytes, i);
            ByteVector next = ByteVector.fromArray(SPECIES, bytes, i + 1);
            ByteVector after = ByteVector.fromArray(SPECIES, bytes, i + 2);
            VectorMask<Byte> flags = here.eq((byte) '\n')
                    .or(here.eq((byte) '\\').and(next.eq((byte) 'u').or(next.eq((byte) '/'))));
            for (int a = 0; a < FIRST.length; a++) {
                flags = flags.or(here.or(FOLD_FIRST[a]).eq(FIRST[a])
                        .and(next.or(FOLD_SECOND[a]).eq(SECOND[a]))
                        .and(after.or(FOLD_THIRD[a]).eq(THIRD[a])));
            }
            if (!flags.anyTrue()) {
                i += LANES;
                continue;
            }
            // Flags are rare: take the first, and scan on just past it (JDK 17 has no fast mask-to-bits).
            int at = i + flags.firstTrue();
            long stop = confirm(bytes, unitStart, at, end);
            if (stop != NONE) {
                return stop;
            }
            i = at + 1;
        }
        if (!finalEnd) {
            return RawPrefilter.stop(RawPrefilter.END, i);
        }
        // The last bytes of a unit, with the word scan: every flag before i was confirmed above, and the
        // word scan also looks at needles that start up to a word before where it begins.
        return RawPrefilter.scanWords(bytes, unitStart, i, end, true);
    }

    /** What a flagged position holds: a newline, a confirmed finding, or (a false anchor) nothing. */
    private static long confirm(byte[] bytes, int unitStart, int at, int end) {
        byte b = bytes[at];
        if (b == '\n') {
            return RawPrefilter.stop(RawPrefilter.NEWLINE, at);
        }
        if (b == '\\' && RawPrefilter.isEscapeAt(bytes, unitStart, at, end)) {
            return RawPrefilter.stop(RawPrefilter.FINDING, at);
        }
        for (int offset : OFFSETS) {
            int start = at - offset;
            if (start >= unitStart && RawPrefilter.isNeedleAt(bytes, unitStart, start, end)) {
                return RawPrefilter.stop(RawPrefilter.FINDING, at);
            }
        }
        return NONE;
    }

    /**
     * The offset of the needle's three bytes least likely in JSON telemetry: letters and punctuation that
     * column names, paths and GUIDs are full of rank as common, so bytes rarer there win.
     */
    static int rarestTriple(byte[] needle) {
        int best = 0;
        int bestScore = Integer.MAX_VALUE;
        for (int j = 0; j + 2 < needle.length; j++) {
            int score = commonness(needle[j]) + commonness(needle[j + 1]) + commonness(needle[j + 2]);
            if (score < bestScore) {
                best = j;
                bestScore = score;
            }
        }
        return best;
    }

    private static int commonness(byte b) {
        if ("etaoinsrcd\"\\:.0123456789abcdef".indexOf(b) >= 0) {
            return 2; // JSON syntax, column names, hex ids, timestamps, paths
        }
        return "lumhpgwyv-_/ ,".indexOf(b) >= 0 ? 1 : 0;
    }

    private static boolean isLetter(byte b) {
        return b >= 'a' && b <= 'z';
    }
}

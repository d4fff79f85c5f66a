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
     * Rank of each frequent byte triple in Defender telemetry ({@code telemetry/common-trigrams.txt},
     * most frequent first); a triple not listed is rarer than all of them.
     */
    private static final java.util.Map<String, Integer> TRIPLE_RANKS = readTripleRanks();

    /** Per anchor: its three bytes with the case bit set, compared with input bytes that have it set too. */
    private static final byte[] FIRST;
    private static final byte[] SECOND;
    private static final byte[] THIRD;
    /** The distinct offsets of anchors inside their needles: where a flagged needle may start. */
    private static final int[] OFFSETS;

    static {
        byte[][] needles = RawPrefilter.ruleNeedleBytes();
        java.util.List<byte[]> anchors = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.TreeSet<Integer> offsets = new java.util.TreeSet<>();
        for (int n = 0; n <= needles.length; n++) {
            byte[] needle = n < needles.length ? needles[n] : "excel.exe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int offset = n < needles.length ? rarestTriple(needle) : 1;
            offsets.add(offset);
            byte[] anchor = {needle[offset], needle[offset + 1], needle[offset + 2]};
            // Needles that share an anchor (.php in three URLs) share its vector operations too: a flag
            // is confirmed against every needle at every anchor offset.
            if (seen.add(new String(anchor, java.nio.charset.StandardCharsets.ISO_8859_1))) {
                anchors.add(anchor);
            }
        }
        int count = anchors.size();
        FIRST = new byte[count];
        SECOND = new byte[count];
        THIRD = new byte[count];
        for (int a = 0; a < count; a++) {
            byte[] anchor = anchors.get(a);
            FIRST[a] = (byte) (anchor[0] | CASE_BIT);
            SECOND[a] = (byte) (anchor[1] | CASE_BIT);
            THIRD[a] = (byte) (anchor[2] | CASE_BIT);
        }
        OFFSETS = offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The anchors, as text, for tests and the README. */
    static java.util.List<String> anchors() {
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (int a = 0; a < FIRST.length; a++) {
            texts.add(new String(new byte[] {FIRST[a], SECOND[a], THIRD[a]}, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return texts;
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
            // Every anchor byte is compared with the case bit set on both sides: a letter in either case
            // matches, and any other byte matches itself and at most one other byte, whose flag the
            // exact confirmation drops. Folding once serves every anchor.
            ByteVector hereFolded = here.or(CASE_BIT);
            ByteVector nextFolded = next.or(CASE_BIT);
            ByteVector afterFolded = after.or(CASE_BIT);
            for (int a = 0; a < FIRST.length; a++) {
                flags = flags.or(hereFolded.eq(FIRST[a]).and(nextFolded.eq(SECOND[a])).and(afterFolded.eq(THIRD[a])));
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
     * The offset of the needle's three bytes least likely in JSON telemetry: the triple that is not
     * among the frequent ones, or else the least frequent. Every triple of {@code certutil.exe} is in
     * some path, but {@code .ex} is in every one, so ranks matter.
     */
    static int rarestTriple(byte[] needle) {
        int best = 0;
        int bestScore = Integer.MIN_VALUE;
        for (int j = 0; j + 2 < needle.length; j++) {
            String triple = new String(needle, j, 3, java.nio.charset.StandardCharsets.ISO_8859_1);
            int score = TRIPLE_RANKS.getOrDefault(triple, Integer.MAX_VALUE);
            if (score > bestScore) {
                best = j;
                bestScore = score;
            }
        }
        return best;
    }

    private static java.util.Map<String, Integer> readTripleRanks() {
        java.util.Map<String, Integer> ranks = new java.util.HashMap<>();
        try (java.io.InputStream in = VectorRawScan.class.getResourceAsStream("/telemetry/common-trigrams.txt")) {
            if (in == null) {
                return ranks; // no ranking: the first triple of each needle
            }
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).split("\n", -1);
            for (String line : lines) {
                if (line.length() == 3) {
                    ranks.putIfAbsent(line, ranks.size());
                }
            }
        } catch (java.io.IOException unreadable) {
            return ranks;
        }
        return ranks;
    }
}

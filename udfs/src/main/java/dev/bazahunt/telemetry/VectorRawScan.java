package dev.bazahunt.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RawPrefilter#scan} with the JDK's vector API, 64 bytes per step on AVX-512 (32 on AVX2), at a
 * cost per step that does not grow with the number of needles.
 *
 * <p>Each needle is anchored on three consecutive bytes in it, the triple that ordinary JSON holds
 * least often (by a fixed ranking of byte frequency; three bytes, because every pair of letters is
 * common somewhere in telemetry, e.g. {@code ex} in each {@code .exe}). {@code xce} anchors
 * {@code excel.exe}, and the JSON escapes {@code \/} and {@code \}{@code u} with a hex digit are
 * anchors too. The anchors are put into at most eight buckets, and a step finds every position where
 * some bucket's anchor may start, for all buckets at once, with table lookups (Hyperscan's and
 * ripgrep's "Teddy" algorithm): for each of the three bytes at a position, the low and the high half
 * of the byte each look up, in a 16-entry table, the buckets that allow it there; a position is
 * flagged where one bucket allows all six halves. Letters are looked up in either case. Newlines are
 * flagged by a plain comparison. Each flag is then confirmed exactly by {@link RawPrefilter}, so this
 * scan and the word scan stop at the same place on any input; a flag that confirms nothing only costs
 * time.
 *
 * <p>The vector API is an incubator module in JDK 17: this class is loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} ({@link RawPrefilter} checks), as {@code ./bazahunt}, the
 * local cluster and the Kubernetes manifest arrange. Steps take 64 bytes where the CPU looks bytes up in
 * 64-byte tables (AVX-512 VBMI), else 32 (AVX2); with narrower vectors the word scan runs. Those JVMs also
 * turn off the vector API's index checks, which JDK 17 makes with a vector compare and a branch at every
 * table lookup (a third of this scan's time): the lookups' indexes are half-bytes, always in range, and
 * {@link #scan} checks its own reads once where it starts.
 */
final class VectorRawScan {
    private static final VectorSpecies<Byte> SPECIES = chooseSpecies();
    private static final int LANES = SPECIES.length();
    private static final int BUCKETS = 8;

    /**
     * Rank of each frequent byte triple in Defender telemetry ({@code telemetry/common-trigrams.txt},
     * most frequent first); a triple not listed is rarer than all of them.
     */
    private static final Map<String, Integer> TRIPLE_RANKS = readTripleRanks();

    /** The bytes that may follow {@code \}{@code u} in a JSON escape ({@link RawPrefilter#isHexDigit}). */
    private static final byte[] HEX_DIGITS = hexDigits();

    /**
     * An anchor: for each of its three positions the bytes allowed there ({@code null} for any byte), and
     * the needles it anchors, each with the offset inside it at which the anchor lies ({@code excel.exe}
     * as {@link #EXCEL_NEEDLE}). A needle's letters match in either case; an escape's do
     * not ({@code \U} is no JSON escape, and {@code C:\\Users} is in every path). The escape
     * {@code \}{@code u} takes a hex digit third, so the lower-case {@code c:\\users} of Defender's
     * folder paths, in nearly every row, raises no flag.
     */
    private static final class Anchor {
        final byte[][] choices;
        final List<byte[]> needles = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        final boolean escape;

        Anchor(byte[][] choices, boolean escape) {
            this.choices = choices;
            this.escape = escape;
        }

        static Anchor of(byte[] triple) {
            return new Anchor(new byte[][] {{triple[0]}, {triple[1]}, {triple[2]}}, false);
        }

        String text() {
            StringBuilder text = new StringBuilder();
            for (byte[] choice : choices) {
                if (choice == null) {
                    text.append('?');
                } else if (choice.length == 1) {
                    text.append((char) (choice[0] & 0xFF));
                } else {
                    text.append('[').append(new String(choice, StandardCharsets.ISO_8859_1)).append(']');
                }
            }
            return text.toString();
        }
    }

    /** Per bucket, its anchors. */
    private static final List<List<Anchor>> BUCKET_ANCHORS;
    /** Per position 0..2 of an anchor, the buckets that allow each low half (bits 0-3) of a byte there. */
    private static final byte[][] LOW_HALF = new byte[3][16];
    /** Likewise for the high half (bits 4-7), the same for both cases of a letter. */
    private static final byte[][] HIGH_HALF = new byte[3][16];
    /** The Excel child's value, which {@code xce} anchors at offset 1. */
    private static final byte[] EXCEL_NEEDLE = RawPrefilter.EXCEL_EXE;
    /**
     * Per bucket: whether it holds an escape anchor, whether it anchors {@link #EXCEL_NEEDLE}, and the rule
     * needles its anchors anchor, each with its anchor's offset in it. A flag confirms only these: any
     * other needle that occurs raises a flag of its own, at its own anchor.
     */
    private static final boolean[] BUCKET_HAS_ESCAPE = new boolean[BUCKETS];
    private static final boolean[] BUCKET_HAS_EXCEL = new boolean[BUCKETS];
    private static final byte[][][] BUCKET_NEEDLES = new byte[BUCKETS][][];
    private static final int[][] BUCKET_NEEDLE_OFFSETS = new int[BUCKETS][];
    private static final int EXCEL_ANCHOR_OFFSET = 1;

    private static final ByteVector LOW_0;
    private static final ByteVector LOW_1;
    private static final ByteVector LOW_2;
    private static final ByteVector HIGH_0;
    private static final ByteVector HIGH_1;
    private static final ByteVector HIGH_2;

    static {
        List<Anchor> anchors = anchorsOf(RawPrefilter.ruleNeedleBytes());
        BUCKET_ANCHORS = assignBuckets(anchors);
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            List<byte[]> needles = new ArrayList<>();
            List<Integer> offsets = new ArrayList<>();
            for (Anchor anchor : bucket < BUCKET_ANCHORS.size() ? BUCKET_ANCHORS.get(bucket) : List.<Anchor>of()) {
                addToTables(anchor, bucket);
                BUCKET_HAS_ESCAPE[bucket] |= anchor.escape;
                for (int k = 0; k < anchor.needles.size(); k++) {
                    if (anchor.needles.get(k) == EXCEL_NEEDLE) {
                        BUCKET_HAS_EXCEL[bucket] = true;
                    } else {
                        needles.add(anchor.needles.get(k));
                        offsets.add(anchor.offsets.get(k));
                    }
                }
            }
            BUCKET_NEEDLES[bucket] = needles.toArray(new byte[0][]);
            BUCKET_NEEDLE_OFFSETS[bucket] = offsets.stream().mapToInt(Integer::intValue).toArray();
        }
        LOW_0 = replicated(LOW_HALF[0]);
        LOW_1 = replicated(LOW_HALF[1]);
        LOW_2 = replicated(LOW_HALF[2]);
        HIGH_0 = replicated(HIGH_HALF[0]);
        HIGH_1 = replicated(HIGH_HALF[1]);
        HIGH_2 = replicated(HIGH_HALF[2]);
    }

    /** A step reads its lanes and two bytes more; a confirmation reads the longest needle and a quote past a flag. */
    private static final int MARGIN = LANES + 2 + RawPrefilter.LONGEST_NEEDLE + 3;

    private VectorRawScan() {}

    static int lanes() {
        return LANES;
    }

    /** Whether this CPU does the byte lookups in one instruction, so the vector scan beats the word scan. */
    static boolean worthwhile() {
        return LANES >= 32;
    }

    /** The anchors by bucket, as text ({@code ?} for any byte), for tests and the README. */
    static List<List<String>> buckets() {
        List<List<String>> texts = new ArrayList<>();
        for (List<Anchor> bucket : BUCKET_ANCHORS) {
            List<String> names = new ArrayList<>();
            for (Anchor anchor : bucket) {
                names.add(anchor.text());
            }
            texts.add(names);
        }
        return texts;
    }

    static long scan(byte[] bytes, int unitStart, int from, int end, boolean finalEnd) {
        // The job's JVMs run without the vector API's own index checks (deploy/local/common.sh): this one
        // check proves every load below in bounds, as each reads [i, i + LANES + 2) with i + MARGIN <= end.
        Objects.checkFromToIndex(from, end, bytes.length);
        int i = from;
        while (true) {
            int flag = nextFlag(bytes, i, end);
            if (flag < 0) {
                i = ~flag;
                break;
            }
            long stop = confirm(bytes, unitStart, flag, end);
            if (stop != NONE) {
                return stop;
            }
            i = flag + 1; // the flags after this one are found again from here, in order
        }
        if (!finalEnd) {
            return RawPrefilter.stop(RawPrefilter.END, i);
        }
        // The last bytes of a unit, with the word scan: every flag before i was confirmed above, and the
        // word scan also looks at needles that start up to a word before where it begins.
        return RawPrefilter.scanWords(bytes, unitStart, i, end, true);
    }

    /**
     * The first flagged position from {@code i} on, or, where fewer than {@link #MARGIN} bytes are left
     * before one turns up, the complement of the position up to which none is ({@code ~i}, negative).
     * The loop confirms nothing itself. The job's JVMs keep this method out of line
     * ({@code -XX:CompileCommand=dontinline}, in {@code JOB_JVM_VECTOR_FLAGS}): compiled on its own, the
     * reader's pass over bytes in cache ran at 8.2 GB/s here in every JVM start; inlined into its caller
     * with the confirmation, at 5.6 GB/s in two starts of three, depending on what C2 compiled first.
     */
    private static int nextFlag(byte[] bytes, int i, int end) {
        while (i + MARGIN <= end) {
            ByteVector here = ByteVector.fromArray(SPECIES, bytes, i);
            ByteVector next = ByteVector.fromArray(SPECIES, bytes, i + 1);
            ByteVector after = ByteVector.fromArray(SPECIES, bytes, i + 2);
            // Each byte's low half and high half look up the buckets that allow it (the high half shifted as
            // shorts: no byte shift exists). Written out, not in a helper method that takes and returns
            // vectors: C2 may compile such a helper on its own first and then not inline it, and then every
            // vector is boxed. Calling this scan in a bare loop, one JVM start in six did so, at 0.65 GB/s and
            // 8 bytes allocated per byte scanned; written out, none did. The bench reports the allocation.
            ByteVector buckets = here.and((byte) 0x0F).selectFrom(LOW_0)
                    .and(here.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .and((byte) 0x0F).selectFrom(HIGH_0))
                    .and(next.and((byte) 0x0F).selectFrom(LOW_1))
                    .and(next.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .and((byte) 0x0F).selectFrom(HIGH_1))
                    .and(after.and((byte) 0x0F).selectFrom(LOW_2))
                    .and(after.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .and((byte) 0x0F).selectFrom(HIGH_2));
            VectorMask<Byte> flags = buckets.compare(VectorOperators.NE, (byte) 0).or(here.eq((byte) '\n'));
            // Flags are rare: most steps end here.
            if (flags.anyTrue()) {
                return i + flags.firstTrue();
            }
            i += LANES;
        }
        return ~i;
    }

    /** {@link #confirm} found nothing at a flag. */
    private static final long NONE = -1;

    /**
     * What a flagged position holds: a newline, a confirmed finding, an Excel value (when no finding is
     * anchored here as well), or (a false flag) nothing. Only the needles that the flagged buckets anchor
     * are compared, at their anchors' offsets: most flags are {@code xce} in Excel's paths and names, and
     * comparing every needle at every offset there cost a seventh of the scan's time.
     */
    private static long confirm(byte[] bytes, int unitStart, int at, int end) {
        if (bytes[at] == '\n') {
            return RawPrefilter.stop(RawPrefilter.NEWLINE, at);
        }
        boolean excelValue = false;
        int buckets = bucketsAt(bytes, at);
        for (int bits = buckets; bits != 0; bits &= bits - 1) {
            int bucket = Integer.numberOfTrailingZeros(bits);
            if (BUCKET_HAS_ESCAPE[bucket] && RawPrefilter.isEscapeAt(bytes, unitStart, at, end)) {
                return RawPrefilter.stop(RawPrefilter.FINDING, at);
            }
            byte[][] needles = BUCKET_NEEDLES[bucket];
            int[] offsets = BUCKET_NEEDLE_OFFSETS[bucket];
            for (int k = 0; k < needles.length; k++) {
                int start = at - offsets[k];
                if (start >= unitStart && RawPrefilter.matchesFolded(bytes, start, end, needles[k])) {
                    return RawPrefilter.stop(RawPrefilter.FINDING, at);
                }
            }
            int excelStart = at - EXCEL_ANCHOR_OFFSET;
            excelValue |= BUCKET_HAS_EXCEL[bucket] && excelStart >= unitStart
                    && RawPrefilter.isExcelValueAt(bytes, unitStart, excelStart, end);
        }
        return excelValue ? RawPrefilter.stop(RawPrefilter.EXCEL_VALUE, at) : NONE;
    }

    /** The step's lookups for one position, in scalar form. */
    private static int bucketsAt(byte[] bytes, int at) {
        int buckets = 0xFF;
        for (int k = 0; k < 3; k++) {
            int b = bytes[at + k] & 0xFF;
            buckets &= LOW_HALF[k][b & 0x0F] & HIGH_HALF[k][b >>> 4];
        }
        return buckets & 0xFF;
    }

    /**
     * One anchor per needle (its rarest triple), one per escape start; needles that share an anchor
     * share its lookups, and a flag is confirmed for each of them.
     */
    private static List<Anchor> anchorsOf(byte[][] needles) {
        Map<String, Anchor> anchors = new LinkedHashMap<>();
        anchors.put("\\u", new Anchor(new byte[][] {{'\\'}, {'u'}, HEX_DIGITS}, true));
        anchors.put("\\/", new Anchor(new byte[][] {{'\\'}, {'/'}, null}, true));
        for (int n = 0; n <= needles.length; n++) {
            byte[] needle = n < needles.length ? needles[n] : EXCEL_NEEDLE;
            int offset = n < needles.length ? rarestTriple(needle) : EXCEL_ANCHOR_OFFSET;
            byte[] triple = {needle[offset], needle[offset + 1], needle[offset + 2]};
            Anchor anchor = anchors.computeIfAbsent(new String(triple, StandardCharsets.ISO_8859_1),
                    text -> Anchor.of(triple));
            anchor.needles.add(needle);
            anchor.offsets.add(offset);
        }
        return new ArrayList<>(anchors.values());
    }

    /**
     * Puts the anchors into at most {@value #BUCKETS} buckets. While there are too many, the two buckets
     * whose union lets through the fewest likely triples are merged: a bucket also lets through every
     * mix of its anchors' bytes and byte halves, and merging the escapes with each other costs nothing.
     */
    private static List<List<Anchor>> assignBuckets(List<Anchor> anchors) {
        List<List<Anchor>> buckets = new ArrayList<>();
        for (Anchor anchor : anchors) {
            buckets.add(new ArrayList<>(List.of(anchor)));
        }
        while (buckets.size() > BUCKETS) {
            int bestA = 0;
            int bestB = 1;
            double bestCost = Double.MAX_VALUE;
            for (int a = 0; a < buckets.size(); a++) {
                for (int b = a + 1; b < buckets.size(); b++) {
                    List<Anchor> union = new ArrayList<>(buckets.get(a));
                    union.addAll(buckets.get(b));
                    double cost = likelyFlags(union) - likelyFlags(buckets.get(a)) - likelyFlags(buckets.get(b));
                    if (cost < bestCost) {
                        bestCost = cost;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            buckets.get(bestA).addAll(buckets.remove(bestB));
        }
        return buckets;
    }

    /**
     * How often a bucket's lookups would flag ordinary telemetry: the summed frequency (by rank) of the
     * case-folded triples they let through. Triples not ranked count a little, so fewer is better, except
     * triples of hex digits: hashes and ids spread over all of them, so none is ranked, yet together they
     * are about a tenth of a row's bytes.
     */
    private static double likelyFlags(List<Anchor> bucket) {
        byte[][] low = new byte[3][16];
        byte[][] high = new byte[3][16];
        for (Anchor anchor : bucket) {
            for (int k = 0; k < 3; k++) {
                addChoices(low[k], high[k], anchor, k, (byte) 1);
            }
        }
        List<Set<Character>> allowed = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Set<Character> folded = new LinkedHashSet<>();
            for (int b = 0; b < 256; b++) {
                if ((low[k][b & 0x0F] & high[k][b >>> 4]) != 0) {
                    folded.add((char) (isUpperAscii(b) ? b | 0x20 : b));
                }
            }
            allowed.add(folded);
        }
        double cost = 0;
        for (char x : allowed.get(0)) {
            for (char y : allowed.get(1)) {
                for (char z : allowed.get(2)) {
                    Integer rank = TRIPLE_RANKS.get(new String(new char[] {x, y, z}));
                    if (rank != null) {
                        cost += 1.0 / (rank + 1);
                    } else {
                        cost += isHexTriple(x, y, z) ? HEX_TRIPLE_WEIGHT : 1e-4;
                    }
                }
            }
        }
        return cost;
    }

    private static void addToTables(Anchor anchor, int bucket) {
        for (int k = 0; k < 3; k++) {
            addChoices(LOW_HALF[k], HIGH_HALF[k], anchor, k, (byte) (1 << bucket));
        }
    }

    /** Lets the bytes an anchor allows at one position through, for the given bucket bits. */
    private static void addChoices(byte[] low, byte[] high, Anchor anchor, int position, byte bits) {
        byte[] choice = anchor.choices[position];
        if (choice == null) {
            for (int half = 0; half < 16; half++) {
                low[half] |= bits;
                high[half] |= bits;
            }
            return;
        }
        for (byte value : choice) {
            addByte(low, high, value, bits, !anchor.escape);
        }
    }

    /**
     * Lets a byte through at one position for the given bucket bits, a letter in either case if
     * {@code foldCase}. The case bit lies in the high half, so only that table needs both spellings.
     */
    private static void addByte(byte[] low, byte[] high, byte value, byte bits, boolean foldCase) {
        int b = value & 0xFF;
        low[b & 0x0F] |= bits;
        high[b >>> 4] |= bits;
        if (foldCase && (isLowerAscii(b) || isUpperAscii(b))) {
            high[(b ^ 0x20) >>> 4] |= bits;
        }
    }

    /** As often as a triple ranked about 300th: a tenth of the bytes, spread over 4,096 triples. */
    private static final double HEX_TRIPLE_WEIGHT = 1.0 / 300;

    private static boolean isHexTriple(char x, char y, char z) {
        return RawPrefilter.isHexDigit((byte) x) && RawPrefilter.isHexDigit((byte) y)
                && RawPrefilter.isHexDigit((byte) z);
    }

    private static byte[] hexDigits() {
        StringBuilder digits = new StringBuilder();
        for (int b = 0; b < 128; b++) {
            if (RawPrefilter.isHexDigit((byte) b)) {
                digits.append((char) b);
            }
        }
        return digits.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isLowerAscii(int b) {
        return b >= 'a' && b <= 'z';
    }

    private static boolean isUpperAscii(int b) {
        return b >= 'A' && b <= 'Z';
    }

    /** A 16-entry table repeated in every 16-byte lane, so that a lookup never crosses lanes. */
    private static ByteVector replicated(byte[] table) {
        byte[] lanes = new byte[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            lanes[lane] = table[lane & 0x0F];
        }
        return ByteVector.fromArray(SPECIES, lanes, 0);
    }

    /**
     * 64 bytes per step where the CPU looks up bytes in 64-byte tables in one instruction (AVX-512 VBMI),
     * else 32 (AVX2), else the preferred width, which {@link #worthwhile} turns down when it is narrow.
     * Without VBMI the JIT has no instruction for a 64-byte lookup and would run it lane by lane.
     */
    private static VectorSpecies<Byte> chooseSpecies() {
        VectorSpecies<Byte> preferred = ByteVector.SPECIES_PREFERRED;
        if (preferred.length() < 64) {
            return preferred;
        }
        String flags = cpuFlags();
        if (flags.contains(" avx512vbmi ") && flags.contains(" avx512bw ")) {
            return preferred;
        }
        return ByteVector.SPECIES_256;
    }

    private static String cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("flags")) {
                    return " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or no access: assume no VBMI
        }
        return " ";
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
            String triple = new String(needle, j, 3, StandardCharsets.ISO_8859_1);
            int score = TRIPLE_RANKS.getOrDefault(triple, Integer.MAX_VALUE);
            if (score > bestScore) {
                best = j;
                bestScore = score;
            }
        }
        return best;
    }

    private static Map<String, Integer> readTripleRanks() {
        Map<String, Integer> ranks = new HashMap<>();
        try (InputStream in = VectorRawScan.class.getResourceAsStream("/telemetry/common-trigrams.txt")) {
            if (in == null) {
                return ranks; // no ranking: the first triple of each needle
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n", -1)) {
                if (line.length() == 3) {
                    ranks.putIfAbsent(line, ranks.size());
                }
            }
        } catch (IOException unreadable) {
            return ranks;
        }
        return ranks;
    }
}

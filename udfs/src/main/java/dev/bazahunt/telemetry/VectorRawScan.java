package dev.bazahunt.telemetry;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RawPrefilter#scan} with the JDK's vector API: 32 bytes per step on AVX2, about three times the
 * eight-byte word scan. Each step flags every position that holds a newline, an escape start
 * ({@code \}{@code u}, {@code \/}) or a needle's anchor: {@code -u} opens {@code -urlcache}, and {@code xc}
 * is the second and third byte of {@code excel.exe}. Each flag is then confirmed exactly by
 * {@link RawPrefilter}, so both scans stop at the same place on any input.
 *
 * <p>The vector API is an incubator module in JDK 17: this class is loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} ({@link RawPrefilter} checks), as {@code ./bazahunt}, the
 * local cluster and the Kubernetes manifest arrange.
 */
final class VectorRawScan {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final byte CASE_BIT = 0x20;
    /** A step reads its lanes and one byte more; a confirmation reads up to 10 bytes past a flag. */
    private static final int MARGIN = LANES + 1 + 11;

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
            ByteVector nextFolded = next.or(CASE_BIT);
            VectorMask<Byte> flags = here.eq((byte) '\n')
                    .or(here.eq((byte) '\\').and(next.eq((byte) 'u').or(next.eq((byte) '/'))))
                    .or(here.eq((byte) '-').and(nextFolded.eq((byte) 'u')))
                    .or(here.or(CASE_BIT).eq((byte) 'x').and(nextFolded.eq((byte) 'c')));
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
        boolean finding = b == '\\' ? RawPrefilter.isEscapeAt(bytes, unitStart, at, end)
                : b == '-' ? RawPrefilter.isNeedleAt(bytes, unitStart, at, end)
                : at - 1 >= unitStart && RawPrefilter.isNeedleAt(bytes, unitStart, at - 1, end);
        return finding ? RawPrefilter.stop(RawPrefilter.FINDING, at) : NONE;
    }
}

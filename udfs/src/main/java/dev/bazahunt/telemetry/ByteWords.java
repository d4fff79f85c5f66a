package dev.bazahunt.telemetry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte search eight bytes at a time ("SWAR"): one long holds eight bytes, and a few arithmetic
 * operations flag which of them equal a given byte. The raw-byte scans use it so that the bytes no
 * finding can start at cost a fraction of a cycle each, with no per-byte branch.
 *
 * <p>Words are little-endian: byte {@code i + k} of the array is byte {@code k} of the word, so the
 * lowest flagged byte of a word is the first in the array.
 */
public final class ByteWords {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private ByteWords() {}

    /** The eight bytes at {@code index}, which may be unaligned. */
    public static long load(byte[] bytes, int index) {
        return (long) LONGS.get(bytes, index);
    }

    /** A word with {@code value} in each of its eight bytes. */
    public static long repeat(char value) {
        return LOW_BITS * (value & 0xFF);
    }

    /**
     * Sets the high bit of every byte of {@code word} that equals the corresponding byte of
     * {@code pattern}. It may also flag a byte just above a flagged one (the borrow of the subtraction
     * runs on), never misses one: callers confirm each flagged byte.
     */
    public static long equalBytes(long word, long pattern) {
        return zeroBytes(word ^ pattern);
    }

    /** Sets the high bit of every zero byte of {@code word} (and, like {@link #equalBytes}, maybe of a byte above one). */
    public static long zeroBytes(long word) {
        return (word - LOW_BITS) & ~word & HIGH_BITS;
    }

    /** {@code zeroBytes(first) | zeroBytes(second)}, one operation shorter, for hot loops. */
    public static long zeroBytes(long first, long second) {
        return ((first - LOW_BITS) & ~first | (second - LOW_BITS) & ~second) & HIGH_BITS;
    }

    /** The array offset, within the word loaded at {@code index}, of the lowest flagged byte of {@code flags}. */
    public static int firstFlagged(int index, long flags) {
        return index + (Long.numberOfTrailingZeros(flags) >>> 3);
    }

    /** Clears the lowest flagged byte of {@code flags}. */
    public static long clearFirst(long flags) {
        return flags & (flags - 1);
    }

    /** The first index of {@code value} in {@code [from, to)}, or {@code to} if there is none. */
    public static int indexOf(byte[] bytes, byte value, int from, int to) {
        long pattern = repeat((char) value);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long flags = equalBytes(load(bytes, i), pattern);
            while (flags != 0) {
                int at = firstFlagged(i, flags);
                if (bytes[at] == value) {
                    return at;
                }
                flags = clearFirst(flags);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return to;
    }
}

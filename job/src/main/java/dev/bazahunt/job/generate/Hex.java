package dev.bazahunt.job.generate;

import java.util.SplittableRandom;

/** Random lower-case hex strings, as Defender writes hashes and device ids. */
final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    static String of(SplittableRandom random, int length) {
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = DIGITS[random.nextInt(16)];
        }
        return new String(text);
    }
}

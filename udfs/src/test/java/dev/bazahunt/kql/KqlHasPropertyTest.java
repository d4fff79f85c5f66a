package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code has} and {@code has_cs} against a slow reference that shares no character definition
 * with {@link KqlOperators}: the term characters and the case folding are spelled out below as
 * Microsoft's documentation gives them (runs of ASCII letters and digits; ASCII-only case folding), and
 * the matching is a different formulation. Both strings become token lists, where a token is a whole
 * term or a single other character, and {@code X} is found when its token list is a contiguous run of the
 * text's tokens. For a plain term that is "equals a whole term"; for a needle with punctuation such as
 * {@code -urlcache}, {@code && copy} or {@code ,GlobalOut} it is "literal, with term boundaries at its
 * alphanumeric ends".
 *
 * <p>The random strings mix ASCII letters and digits with characters that Java's Unicode rules would
 * call letters or fold onto ASCII (é, ß, Ж, ı, İ, ſ, the Kelvin sign, fullwidth letters, Greek sigma),
 * with ASCII punctuation, dashes and a zero-width space.
 */
class KqlHasPropertyTest {

    private static final long SEED = 20210729L;
    private static final int SAMPLES = 20_000;

    /** The documented term characters. */
    private static final String TERM_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";

    private static final String ASCII_ALPHANUMERIC = "aBcsPlItXyZkKuU019";
    private static final String NON_ASCII = "\u00e9\u00c9\u00df\u0416\u0436\u0131\u0130\u017f\u212a\uff53\uff33\u03a3\u03c3\u03c2";
    private static final String SEPARATORS = "-/ .:\\&,\u2013\u200b";
    private static final String ALPHABET = ASCII_ALPHANUMERIC + NON_ASCII + SEPARATORS;

    @Test
    void hasAgreesWithATokenListReferenceOnRandomStrings() {
        Random random = new Random(SEED);
        int positives = 0;
        int punctuatedPositives = 0;
        for (int sample = 0; sample < SAMPLES; sample++) {
            String text = randomString(random, ALPHABET, random.nextInt(40));
            String needle = needleFor(random, text);
            boolean expected = referenceHas(text, needle, true);
            assertThat(KqlOperators.has(text, needle))
                    .as("\"%s\" has \"%s\" (tokens %s)", text, needle, tokens(text, true))
                    .isEqualTo(expected);
            assertThat(KqlOperators.hasCs(text, needle))
                    .as("\"%s\" has_cs \"%s\"", text, needle)
                    .isEqualTo(referenceHas(text, needle, false));
            positives += expected ? 1 : 0;
            punctuatedPositives += expected && !isTerm(needle) ? 1 : 0;
        }
        assertThat(positives).as("positive samples").isBetween(SAMPLES / 4, SAMPLES * 3 / 4);
        assertThat(punctuatedPositives).as("positives with punctuation in the needle").isGreaterThan(SAMPLES / 20);
    }

    @Test
    void theReferenceReadsTheBazaCallNeedlesAsDocumented() {
        assertThat(referenceHas("x.exe --URLCACHE -split", "-urlcache", true)).isTrue();
        assertThat(referenceHas("x.exe -urlcachex", "-urlcache", true)).isFalse();
        assertThat(referenceHas("mkdir x && copy y", "&& COPY", true)).isTrue();
        assertThat(referenceHas("mkdir x &&copy y", "&& copy", true)).isFalse();
        assertThat(referenceHas("a.dll,GlobalOut", ",globalout", true)).isTrue();
        assertThat(referenceHas("a.dll,GlobalOutput", ",GlobalOut", true)).isFalse();
        assertThat(referenceHas("certut\u0131l.exe", "certutil", true)).isFalse();
    }

    /**
     * A needle drawn from the text (a run of its tokens, case flipped), a BazaCall-style punctuated
     * needle, or random characters.
     */
    private static String needleFor(Random random, String text) {
        List<String> tokens = tokens(text, false);
        switch (random.nextInt(4)) {
            case 0, 1:
                if (!tokens.isEmpty()) {
                    int from = random.nextInt(tokens.size());
                    int to = Math.min(tokens.size(), from + 1 + random.nextInt(3));
                    return flipCase(random, String.join("", tokens.subList(from, to)));
                }
                return randomString(random, ASCII_ALPHANUMERIC, 1 + random.nextInt(4));
            case 2:
                String[] punctuated = {"-", "&& ", ",", "/", "-" + randomString(random, ASCII_ALPHANUMERIC, 2)};
                return punctuated[random.nextInt(punctuated.length)] + randomString(random, ALPHABET, random.nextInt(3));
            default:
                return randomString(random, ALPHABET, 1 + random.nextInt(4));
        }
    }

    private static boolean referenceHas(String text, String needle, boolean ignoreCase) {
        if (needle.isEmpty()) {
            return false;
        }
        List<String> haystack = tokens(text, ignoreCase);
        List<String> wanted = tokens(needle, ignoreCase);
        return Collections.indexOfSubList(haystack, wanted) >= 0;
    }

    /** Whole terms and single other characters, in order, folded when {@code fold}. */
    private static List<String> tokens(String text, boolean fold) {
        List<String> tokens = new ArrayList<>();
        StringBuilder term = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = fold ? fold(text.charAt(i)) : text.charAt(i);
            if (TERM_CHARACTERS.indexOf(c) >= 0) {
                term.append(c);
                continue;
            }
            if (term.length() > 0) {
                tokens.add(term.toString());
                term.setLength(0);
            }
            tokens.add(String.valueOf(c));
        }
        if (term.length() > 0) {
            tokens.add(term.toString());
        }
        return tokens;
    }

    private static char fold(char c) {
        int at = UPPER.indexOf(c);
        return at >= 0 ? LOWER.charAt(at) : c;
    }

    private static boolean isTerm(String needle) {
        return needle.chars().allMatch(c -> TERM_CHARACTERS.indexOf(c) >= 0);
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Flips only the documented ASCII letters, so the flipped needle still names the same text. */
    private static String flipCase(Random random, String text) {
        StringBuilder flipped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            int upper = UPPER.indexOf(c);
            int lower = LOWER.indexOf(c);
            if (random.nextBoolean() && upper >= 0) {
                flipped.append(LOWER.charAt(upper));
            } else if (random.nextBoolean() && lower >= 0) {
                flipped.append(UPPER.charAt(lower));
            } else {
                flipped.append(c);
            }
        }
        return flipped.toString();
    }
}

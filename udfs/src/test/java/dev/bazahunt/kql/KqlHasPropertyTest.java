package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code has} against a slow reference: split the string into maximal alphanumeric runs, then
 * compare each run with the term ignoring case. Random strings mix ASCII and non-ASCII letters, digits,
 * ASCII punctuation, an en dash and a zero-width space, so every kind of boundary gets exercised.
 */
class KqlHasPropertyTest {

    private static final long SEED = 20210729L;
    private static final int SAMPLES = 12_000;
    private static final String ALPHANUMERIC = "aBcsPlItXyZ\u00e9\u00c9\u00df\u0416\u0436019";
    private static final String SEPARATORS = "-/ .:\\\u2013\u200b";
    private static final String ALPHABET = ALPHANUMERIC + SEPARATORS;

    @Test
    void hasAgreesWithAReferenceTokenizerOnRandomStrings() {
        Random random = new Random(SEED);
        int positives = 0;
        for (int sample = 0; sample < SAMPLES; sample++) {
            String text = randomString(random, ALPHABET, random.nextInt(40));
            List<String> terms = referenceTerms(text);
            String term = !terms.isEmpty() && random.nextBoolean()
                    ? flipCase(random, terms.get(random.nextInt(terms.size())))
                    : randomString(random, ALPHANUMERIC, 1 + random.nextInt(4));

            boolean expected = terms.stream().anyMatch(term::equalsIgnoreCase);
            assertThat(KqlOperators.has(text, term))
                    .as("\"%s\" has \"%s\" (terms %s)", text, term, terms)
                    .isEqualTo(expected);
            assertThat(KqlOperators.hasCs(text, term))
                    .as("\"%s\" has_cs \"%s\" (terms %s)", text, term, terms)
                    .isEqualTo(terms.contains(term));
            positives += expected ? 1 : 0;
        }
        assertThat(positives).as("positive samples").isBetween(SAMPLES / 4, SAMPLES * 3 / 4);
    }

    /** The slow, obvious definition: maximal runs of letters and digits. */
    private static List<String> referenceTerms(String text) {
        List<String> terms = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        text.codePoints().forEach(codePoint -> {
            if (Character.isLetterOrDigit(codePoint)) {
                current.appendCodePoint(codePoint);
            } else if (current.length() > 0) {
                terms.add(current.toString());
                current.setLength(0);
            }
        });
        if (current.length() > 0) {
            terms.add(current.toString());
        }
        return terms;
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String flipCase(Random random, String term) {
        StringBuilder flipped = new StringBuilder(term.length());
        for (char c : term.toCharArray()) {
            flipped.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return flipped.toString();
    }
}

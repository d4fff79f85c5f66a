package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.kql.KqlOperators;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pre-filter searches bytes with ASCII case folding only. That is sound only if no non-ASCII
 * character compares equal, ignoring case, to a character of a needle under the folding the KQL
 * operators use. Java's own folding would break it (the dotless ı equals 'i' under equalsIgnoreCase,
 * the long ſ 's', the Kelvin sign 'k'), so this test checks every code point against the operators.
 */
class RawPrefilterCaseFoldingTest {
    @Test
    void noNonAsciiCodePointFoldsOntoANeedleCharacter() {
        List<String> folding = new ArrayList<>();
        for (String needle : RawPrefilter.needles()) {
            for (char target : needle.toCharArray()) {
                String ascii = String.valueOf(target);
                for (int codePoint = 0x80; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
                    String other = Character.toString(codePoint);
                    if (KqlOperators.equalsCi(other, ascii) || KqlOperators.contains(other, ascii)
                            || KqlOperators.equalsCi(other, ascii.toUpperCase(java.util.Locale.ROOT))) {
                        folding.add(String.format("U+%04X -> '%s'", codePoint, ascii));
                    }
                }
            }
        }
        assertThat(folding).isEmpty();
    }

    @Test
    void javaFoldingWouldHaveBeenUnsoundForOtherNeedles() {
        assertThat("\u0131".equalsIgnoreCase("i")).isTrue();
        assertThat("\u017F".equalsIgnoreCase("s")).isTrue();
        assertThat("\u212A".equalsIgnoreCase("k")).isTrue();
        assertThat(KqlOperators.equalsCi("\u0131", "i")).isFalse();
        assertThat(KqlOperators.equalsCi("\u017F", "s")).isFalse();
        assertThat(KqlOperators.equalsCi("\u212A", "k")).isFalse();
    }
}

package dev.bazahunt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pre-filter searches bytes with ASCII case folding only. That is sound only if no non-ASCII
 * character compares equal, ignoring case, to a character of a needle under the folding the KQL
 * operators use (String.equalsIgnoreCase and regionMatches(ignoreCase)). The dotless ı (U+0131) folds
 * onto 'i' and the long ſ (U+017F) onto 's', so this is a real risk for other needles: this test
 * checks every code point against these needles.
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
                    if (other.equalsIgnoreCase(ascii) || other.regionMatches(true, 0, ascii, 0, 1)
                            || ascii.regionMatches(true, 0, other, 0, other.length())) {
                        folding.add(String.format("U+%04X -> '%s'", codePoint, ascii));
                    }
                }
            }
        }
        assertThat(folding).isEmpty();
    }

    @Test
    void theCheckWouldSeeAFoldingCharacter() {
        // The dotless i folds onto 'I' under equalsIgnoreCase: the check above would catch such a needle.
        assertThat("\u0131".equalsIgnoreCase("i")).isTrue();
        assertThat("\u017F".equalsIgnoreCase("s")).isTrue();
    }
}

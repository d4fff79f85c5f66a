package dev.bazahunt.rules;

import dev.bazahunt.kql.KqlOperators;
import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.List;

/**
 * The certutil download hunt without the blind spots of the Sentinel query
 * ({@link RuleIds#CERTUTIL_DOWNLOAD_HARDENED}; the faithful port stays in {@link CertutilDownloadRule}).
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
 *       {@code --app-url=https://...} and {@code has "-verify"} gpg's {@code --verify}.</li>
 *   <li>Decides who the writer is, trusting the PE header's original file name over the file name:
 *       <ul>
 *         <li>named {@code certutil.exe}: genuine when it runs from {@code X:\Windows\System32} or
 *             {@code X:\Windows\SysWOW64} and its original name is certutil's (or unknown). A genuine
 *             binary alerts only when it drops the download into a user-writable folder other than
 *             certutil's own {@code CryptnetUrlCache}, so CRL and OCSP fetches stay quiet. Any other
 *             {@code certutil.exe} is a relocated copy and alerts.</li>
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

    /** Where the genuine certutil keeps what it fetches: a download landing here is a cache entry. */
    private static final String URL_CACHE_FOLDER = "\\CryptnetUrlCache\\";

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
                if (word.length() == end - start && KqlOperators.regionMatches(text, start, word, true)) {
                    return true;
                }
            }
            start = end + 1;
        }
        return false;
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
        return KqlOperators.notContains(writtenPath, URL_CACHE_FOLDER)
                && containsAny(writtenPath, USER_WRITABLE_FOLDERS);
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

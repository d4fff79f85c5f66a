package dev.bazahunt.rules;

import dev.bazahunt.kql.KqlOperators;
import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.List;

/**
 * The test oracle for the compiled faithful rule: Sentinel's "Dropping payload via certutil"
 * ({@link RuleIds#CERTUTIL_DOWNLOAD}) hand-written operator for operator. The job runs the rule file's
 * query, compiled; tests hold the two equal, and the JMH benchmark compares their cost.
 *
 * <pre>
 * DeviceFileEvents
 * | where InitiatingProcessFileName !~ "certutil.exe"
 * | where InitiatingProcessFileName !~ "cmd.exe"
 * | where InitiatingProcessCommandLine has_all("-urlcache", "split", "http")
 * </pre>
 *
 * The file-name filters are what make it a BazaCall query: the macro runs a renamed copy of certutil, so
 * certutil under its own name (and the cmd.exe that launched it) is left out. A row without a file name
 * passes both filters, as it does in Kusto, where a missing string is the empty string.
 */
public final class CertutilDownloadRule {

    /** The columns {@link #matches} reads: key columns of a lenient parse ({@link RuleColumns}). */
    public static final List<String> COLUMNS_READ = List.of("InitiatingProcessFileName", "InitiatingProcessCommandLine");

    /** Passed as one array so the hot path allocates nothing per event. */
    private static final String[] DOWNLOAD_TERMS = {"-urlcache", "split", "http"};

    private CertutilDownloadRule() {}

    public static boolean matches(DeviceFileEvent event) {
        return matches(event.initiatingProcessFileName, event.initiatingProcessCommandLine);
    }

    public static boolean matches(String initiatingProcessFileName, String initiatingProcessCommandLine) {
        return KqlOperators.notEqualsCi(initiatingProcessFileName, "certutil.exe")
                && KqlOperators.notEqualsCi(initiatingProcessFileName, "cmd.exe")
                && KqlOperators.hasAll(initiatingProcessCommandLine, DOWNLOAD_TERMS);
    }
}

package dev.bazahunt.rules;

import dev.bazahunt.kql.KqlOperators;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import java.util.List;

/**
 * The BazaCall macro's process activity, from Sentinel's companion hunting queries: the Excel child that
 * stages a certutil copy ("Excel Macro Execution") and the rundll32 call that starts the downloaded DLL
 * ("RunDLL Suspicious Network Connection"). These are the stages the correlation rule ties to the
 * certutil download.
 */
public final class ExcelMacroActivity {

    /** The columns these predicates read: key columns of a lenient parse ({@link RuleColumns}). */
    public static final List<String> COLUMNS_READ = List.of("InitiatingProcessFileName", "ProcessCommandLine", "FileName");

    private static final String[] STAGING_TERMS = {"mkdir", "&& copy", "certutil.exe"};

    private ExcelMacroActivity() {}

    /** {@code InitiatingProcessFileName =~ "excel.exe"}: the process was started by Excel. */
    public static boolean isExcelChild(DeviceProcessEvent event) {
        return KqlOperators.equalsCi(event.initiatingProcessFileName, "excel.exe");
    }

    /**
     * {@code ProcessCommandLine has_all('mkdir', '&& copy', 'certutil.exe')}: one shell line creates a
     * folder and copies certutil into it, which is how the macro gets its renamed downloader.
     */
    public static boolean copiesCertutil(String processCommandLine) {
        return KqlOperators.hasAll(processCommandLine, STAGING_TERMS);
    }

    /**
     * {@code FileName =~ "rundll32.exe" and ProcessCommandLine has ",GlobalOut"}: rundll32 runs the
     * payload DLL's {@code GlobalOut} export.
     *
     * <p>Some process rows arrive without {@code FileName}; for those the command line itself must name
     * {@code rundll32} as a term, so a missing column neither hides the stage nor lets any process that
     * mentions {@code ,GlobalOut} stand in for rundll32.
     */
    public static boolean runsRundll32GlobalOut(String fileName, String processCommandLine) {
        boolean isRundll32 = fileName == null || fileName.isEmpty()
                ? KqlOperators.has(processCommandLine, "rundll32")
                : KqlOperators.equalsCi(fileName, "rundll32.exe");
        return isRundll32 && KqlOperators.has(processCommandLine, ",GlobalOut");
    }
}

package dev.bazahunt.correlation;

import dev.bazahunt.kql.KqlOperators;
import dev.bazahunt.rules.ExcelMacroActivity;
import java.util.Collection;

/** Which step of the BazaCall macro an Excel-spawned process is. */
public enum EvidenceStage {
    /** Microsoft's "Excel Macro Execution" query: mkdir && copy certutil.exe into a new folder. */
    CERTUTIL_COPIED("certutil-copied"),
    /** The macro runs what the renamed certutil downloaded, or rundll32 with the ",GlobalOut" export. */
    PAYLOAD_EXECUTED("payload-executed"),
    /** Any other process Excel spawned near the download. */
    EXCEL_CHILD("excel-child");

    private final String label;

    EvidenceStage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Classifies an Excel child against the file names the download wrote. A command line "names" a
     * dropped file when it {@code has} the file name, so {@code tmp1834.dll} is found in
     * {@code rundll32.exe C:\Users\Public\x8k2\tmp1834.dll,GlobalOut} but not in {@code xtmp1834.dll}.
     */
    public static EvidenceStage classify(ExcelChildEvent child, Collection<String> droppedFileNames) {
        if (ExcelMacroActivity.copiesCertutil(child.processCommandLine)) {
            return CERTUTIL_COPIED;
        }
        if (ExcelMacroActivity.runsRundll32GlobalOut(child.fileName, child.processCommandLine)) {
            return PAYLOAD_EXECUTED;
        }
        for (String dropped : droppedFileNames) {
            if (dropped != null && !dropped.isEmpty() && KqlOperators.has(child.processCommandLine, dropped)) {
                return PAYLOAD_EXECUTED;
            }
        }
        return EXCEL_CHILD;
    }
}

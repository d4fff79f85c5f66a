package dev.bazahunt.correlation;

import java.util.Objects;

/** How firmly an Excel-spawned process is tied to a download. */
public enum LinkStrength {
    /**
     * Process lineage proves it: the download's parent is the Excel child (same ProcessId and
     * ProcessCreationTime), or the download's parent is the Excel process itself.
     */
    LINEAGE("lineage"),
    /** Only the device and the time window tie them together. */
    DEVICE_WINDOW("device-window");

    private final String label;

    LinkStrength(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static LinkStrength of(DownloadRow download, ExcelChildEvent excelChild) {
        Long parentId = download.initiatingProcessParentId;
        Long parentCreated = download.initiatingProcessParentCreationTime;
        // PIDs are recycled, so both the id and the creation time must agree; a missing one proves nothing.
        if (parentId == null || parentCreated == null) {
            return DEVICE_WINDOW;
        }
        boolean parentIsExcelChild = Objects.equals(parentId, excelChild.processId)
                && Objects.equals(parentCreated, excelChild.processCreationTime);
        boolean parentIsExcel = Objects.equals(parentId, excelChild.initiatingProcessId)
                && Objects.equals(parentCreated, excelChild.initiatingProcessCreationTime);
        return parentIsExcelChild || parentIsExcel ? LINEAGE : DEVICE_WINDOW;
    }

    /** The stronger of two strengths. */
    public LinkStrength strongest(LinkStrength other) {
        return this == LINEAGE || other == LINEAGE ? LINEAGE : DEVICE_WINDOW;
    }
}

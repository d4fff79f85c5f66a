package dev.bazahunt.correlation;

import java.util.Collection;

/**
 * What correlation holds of a busy host's Excel children. On VDI, Citrix, RPA or print-heavy hosts
 * Excel spawns thousands of processes an hour, and each one held for correlation costs CEP a partial
 * match that every later event is checked against. So per device and window bucket (consecutive
 * event-time intervals of one window each) correlation holds every stage-bearing child (it copies
 * certutil, runs rundll32 with ",GlobalOut", or names a file a download on the device wrote) and at
 * most {@code budget} others, the first ones in event-time order; the rest are counted as omitted.
 */
public final class ExcelChildBudget {
    private ExcelChildBudget() {}

    /** Whether the child is a step of the BazaCall macro, given the files the device's downloads wrote. */
    public static boolean stageBearing(ExcelChildEvent child, Collection<String> droppedFileNames) {
        return EvidenceStage.classify(child, droppedFileNames) != EvidenceStage.EXCEL_CHILD;
    }

    /** The window bucket an event-time instant falls in. */
    public static long bucket(long eventTimeMillis, long windowMillis) {
        return Math.floorDiv(eventTimeMillis, windowMillis);
    }

    /**
     * Whether a download's window (its time plus or minus the window, both in millis) touches a
     * bucket: the children omitted there count as omitted near that download.
     */
    public static boolean windowTouches(long downloadMillis, long windowMillis, long bucket) {
        long start = bucket * windowMillis;
        long end = start + windowMillis;
        return downloadMillis - windowMillis < end && downloadMillis + windowMillis >= start;
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import java.util.Arrays;
import java.util.function.Function;

/**
 * All that {@link DownloadAlertFunction} keeps per download process instance, as one value: its rows,
 * its Excel evidence, the revisions written so far and the pending cleanup timer. One value rather
 * than two map states and a progress value, because on the heap backend every state of a key costs a
 * table entry, and every map a hash table and a row-identity string per element. The arrays stay
 * short (a download writes a few files, Excel spawns a few processes), so a linear scan de-duplicates.
 * A Flink POJO (the arrays are POJO arrays, not generic collections).
 */
public class DownloadAlertState {
    public int baseRevision;
    public int correlatedRevision;
    /** Excel children near the download that the device's budget left out of correlation. */
    public int excelChildrenOmitted;
    /** Event time (millis) at which the correlation window of the latest row has closed. */
    public long cleanupAtMillis = Long.MIN_VALUE;
    public DownloadRow[] rows = {};
    public ExcelChildEvent[] excelChildren = {};

    public DownloadAlertState() {}

    /** Adds the row unless the same telemetry row is already here; true if it was added. */
    boolean addRow(DownloadRow row) {
        DownloadRow[] grown = appendIfNew(rows, row, DownloadRow::rowKey);
        boolean added = grown != rows;
        rows = grown;
        return added;
    }

    /** Adds the Excel child unless the same telemetry row is already here; true if it was added. */
    boolean addExcelChild(ExcelChildEvent child) {
        ExcelChildEvent[] grown = appendIfNew(excelChildren, child, ExcelChildEvent::rowKey);
        boolean added = grown != excelChildren;
        excelChildren = grown;
        return added;
    }

    /** {@code kept} itself if it holds an element of the same identity, else a copy with {@code item} added. */
    private static <T> T[] appendIfNew(T[] kept, T item, Function<T, String> identity) {
        String key = identity.apply(item);
        for (T element : kept) {
            if (identity.apply(element).equals(key)) {
                return kept;
            }
        }
        T[] grown = Arrays.copyOf(kept, kept.length + 1);
        grown[kept.length] = item;
        return grown;
    }
}

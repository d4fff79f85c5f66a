package dev.bazahunt.job.storage;

import dev.bazahunt.job.pipeline.HuntTuning;
import dev.bazahunt.rules.HuntRules;
import dev.bazahunt.rules.RuleCatalog;

import dev.bazahunt.telemetry.DefenderTable;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which parts of a Defender export a hunt need not open.
 *
 * <p>A blob (or folder) whose path hour says Defender received its rows in {@code [start, end)} holds
 * rows whose Timestamp lies in {@code [start - maxIngestionDelay, end)}: a row is never received
 * before it happened, nor later than the ingestion delay. The rows that matter to a hunt of
 * {@code [from, until)} are those in {@code [from - window, until + window)}: the downloads in the range
 * and the Excel activity that may correlate with them. Anything else is not opened. A container of a
 * table that no loaded rule reads is not listed at all.
 *
 * @param tablesRead lower-case names of the tables the loaded rules read
 * @param from start of the hunted event-time range, inclusive; null for no start
 * @param until end of the range, exclusive; null for no end
 */
public record ExportPruning(Set<String> tablesRead, Instant from, Instant until, Duration window,
        Duration maxIngestionDelay) implements Serializable {
    public static final Duration DEFAULT_MAX_INGESTION_DELAY = Duration.ofDays(7);

    /** The tables the default hunt (the whole pack) reads, lower case. */
    public static Set<String> tablesReadByLoadedRules() {
        return tablesReadBy(HuntTuning.NONE);
    }

    /**
     * The tables the hunt {@code tuning} selects reads, lower case: the one place pruning learns them,
     * from the compiled rule set ({@code --rules}, and the hardened rule when it runs).
     */
    public static Set<String> tablesReadBy(HuntTuning tuning) {
        Set<String> tables = new TreeSet<>();
        for (DefenderTable table : HuntRules.select(RuleCatalog.standard(), tuning.rules())
                .tablesRead(tuning.hardenedRule())) {
            tables.add(table.tableName().toLowerCase(Locale.ROOT));
        }
        return tables;
    }

    /** No time range: only the containers of unread tables are left closed. */
    public static ExportPruning tablesOnly() {
        return new ExportPruning(tablesReadByLoadedRules(), null, null, Duration.ZERO, DEFAULT_MAX_INGESTION_DELAY);
    }

    /** The table of a container in {@code path} that no loaded rule reads; null when the path is not in one. */
    public String unreadTable(String path) {
        String table = DefenderExportLayout.containerTable(path);
        return table != null && !tablesRead.contains(table) ? table : null;
    }

    /** Whether the rows under {@code path} (a blob or a folder) all lie outside what the hunt needs. */
    public boolean outsideRange(String path) {
        if (from == null && until == null) {
            return false;
        }
        DefenderExportLayout.ReceiptSpan span = DefenderExportLayout.receiptSpan(path);
        if (span == null) {
            return false;
        }
        Instant earliestRow = span.start().minus(maxIngestionDelay);
        Instant endOfRows = span.end();
        boolean beforeRange = from != null && !endOfRows.isAfter(from.minus(window));
        boolean afterRange = until != null && !earliestRow.isBefore(until.plus(window));
        return beforeRange || afterRange;
    }
}

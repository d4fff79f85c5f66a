package dev.bazahunt.job.replay;

import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.replay.ReplayCommand.ReplaySettings;
import dev.bazahunt.job.storage.ExportPruning;
import dev.bazahunt.job.storage.StoragePaths;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.RawPrefilter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The replay's counts, read from the job's accumulators, as the stderr summary shows them. */
public record ReplaySummary(Map<String, Long> counts, long elapsedNanos) {

    static ReplaySummary of(Map<String, Object> accumulators, long elapsedNanos) {
        Map<String, Long> counts = new LinkedHashMap<>();
        accumulators.forEach((name, value) -> {
            if (value instanceof Number number) {
                counts.put(name, number.longValue());
            }
        });
        return new ReplaySummary(counts, elapsedNanos);
    }

    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    public long recordsIn(DefenderTable table) {
        return count(HuntCounter.RECORDS_IN_PREFIX + table.tableName());
    }

    double seconds() {
        return elapsedNanos / 1e9;
    }

    long eventsPerSecond() {
        long events = count(HuntCounter.SKIPPED) + count(HuntCounter.DEAD_LETTERED) + count(HuntCounter.PREFILTER_SKIPPED);
        for (DefenderTable table : DefenderTable.values()) {
            events += recordsIn(table);
        }
        return seconds() > 0 ? Math.round(events / seconds()) : events;
    }

    String progressLine() {
        return String.format("bazahunt replay: %.0f s, %,d lines read, %,d rows matched so far",
                seconds(), count(HuntCounter.INPUT_UNITS), count(HuntCounter.MATCHED_ROWS));
    }

    String render(ReplaySettings settings) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("bazahunt replay finished in %.1f s%n", seconds()));
        InputFiles.Resolved inputs = settings.inputs();
        line(text, "input files", inputs.files().size()
                + (inputs.ignored() > 0 ? " (" + inputs.ignored() + " other files ignored)" : ""));
        ExportPruning pruning = settings.pruning();
        if (pruning.from() != null || pruning.until() != null) {
            line(text, "event-time range", (pruning.from() == null ? "-" : pruning.from()) + " to "
                    + (pruning.until() == null ? "-" : pruning.until()) + " (alerts only for downloads inside; rows "
                    + settings.hunt().window().toMinutes() + " min around it correlate; ingestion delay up to "
                    + pruning.maxIngestionDelay().toHours() + " h)");
        }
        line(text, "blobs", String.format("%,d listed, %,d pruned (outside the range), %,d read%s",
                inputs.blobsListed(), inputs.blobsPruned(), inputs.files().size(),
                inputs.foldersPruned() > 0 ? String.format("; %,d date folders not listed", inputs.foldersPruned()) : ""));
        if (!inputs.unreadContainers().isEmpty()) {
            line(text, "containers not opened", "no loaded rule reads " + inputs.unreadContainers());
        }
        line(text, "lines read", String.format("%,d", count(HuntCounter.INPUT_UNITS)));
        for (DefenderTable table : DefenderTable.hunted()) {
            line(text, table.tableName(), String.format("%,d", recordsIn(table)));
        }
        line(text, "skipped unparsed", settings.prefilter()
                ? String.format("%,d lines (pre-filter: could not match or correlate; scan: %s; --validate-all parses"
                        + " them)", count(HuntCounter.PREFILTER_SKIPPED), RawPrefilter.scanKind())
                : "0 lines (every line parsed and validated: --validate-all)");
        line(text, "skipped (other tables)", String.format("%,d", count(HuntCounter.SKIPPED)));
        line(text, "dead-lettered", String.format("%,d -> %s", count(HuntCounter.DEAD_LETTERED),
                StoragePaths.display(settings.destinations().deadLetters())));
        line(text, "repaired rows", String.format("%,d (bad values in non-key columns set to null)",
                count(HuntCounter.REPAIRED_ROWS)));
        line(text, "rows matched by rule", String.format("%,d", count(HuntCounter.MATCHED_ROWS)));
        if (settings.hunt().tuning().exclusions() != null) {
            line(text, "excluded matches", String.format("%,d%s", count(HuntCounter.EXCLUDED),
                    settings.destinations().exclusionAudit() == null ? ""
                            : " -> " + StoragePaths.display(settings.destinations().exclusionAudit())));
        }
        line(text, "excel-spawned processes", String.format("%,d", count(HuntCounter.EXCEL_CHILDREN)));
        line(text, "base alerts", String.format("%,d", count(HuntCounter.BASE_ALERTS)));
        line(text, "correlated alerts", String.format("%,d", count(HuntCounter.CORRELATED_ALERTS)));
        line(text, "campaign incidents", String.format("%,d (from %,d campaign hits)",
                count(HuntCounter.CAMPAIGN_INCIDENTS), count(HuntCounter.CAMPAIGN_HITS)));
        if (settings.hunt().tuning().suppress() != null) {
            line(text, "suppressed repeats", String.format("%,d", count(HuntCounter.SUPPRESSED)));
        }
        line(text, "alerts written to", settings.destinations().alertsToStdout() ? "stdout"
                : StoragePaths.display(settings.destinations().alerts()));
        line(text, "throughput", String.format("%,d events/s (wall clock, including start-up)", eventsPerSecond()));
        return text.toString().stripTrailing();
    }

    private static void line(StringBuilder text, String label, Object value) {
        text.append(String.format("  %-24s %s%n", label, value));
    }
}

package dev.bazahunt.job.pipeline;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.metrics.Counter;

/**
 * A Flink metric counter that also feeds a job accumulator of the same name: the metric is what a
 * cluster's dashboards and reporters see, the accumulator is what the CLI's progress line and final
 * summary read back.
 */
public final class HuntCounter {
    /** Lines (replay) or messages (live) read, before parsing. */
    public static final String INPUT_UNITS = "inputUnits";
    public static final String RECORDS_IN_PREFIX = "recordsIn.";
    public static final String SKIPPED = "skippedOtherTables";
    /** Input units the raw-byte pre-filter proved irrelevant, so they were never parsed. */
    public static final String PREFILTER_SKIPPED = "prefilterSkipped";
    public static final String DEAD_LETTERED = "deadLettered";
    /** Rows kept with bad values in non-key columns set to null (see {@code KeyColumns}). */
    public static final String REPAIRED_ROWS = "repairedRows";
    public static final String MATCHED_ROWS = "matchedRows";
    public static final String EXCLUDED = "excludedMatches";
    public static final String SUPPRESSED = "suppressedAlerts";
    public static final String EXCEL_CHILDREN = "excelChildEvents";
    public static final String LINKS = "correlationLinks";
    public static final String LATE = "lateRecords";
    /** Rows further ahead of the wall clock than the allowed clock skew. */
    public static final String FUTURE_RECORDS = "futureRecords";
    /** Excel children a busy device's budget left out of correlation. */
    public static final String EXCEL_CHILDREN_OMITTED = "excelChildrenOmitted";
    public static final String BASE_ALERTS = "baseAlerts";
    public static final String CORRELATED_ALERTS = "correlatedAlerts";
    public static final String ALERT_REVISIONS = "alertRevisionsOut";
    public static final String CAMPAIGN_HITS = "campaignHits";
    public static final String CAMPAIGN_EMAIL_JOINS = "campaignEmailJoins";
    public static final String CAMPAIGN_INCIDENTS = "campaignIncidents";

    /** The global job parameter that holds {@link #holdForReporters}'s duration, in milliseconds. */
    public static final String HOLD_PARAMETER = "bazahunt.metrics.hold-millis";

    /** When the hold of the task running on this thread ends (System.nanoTime), once a close started it. */
    private static final ThreadLocal<Long> HELD_UNTIL = new ThreadLocal<>();

    private final Counter metric;
    private final LongCounter accumulator;

    private HuntCounter(Counter metric, LongCounter accumulator) {
        this.metric = metric;
        this.accumulator = accumulator;
    }

    /**
     * A counter without an accumulator, for functions whose context refuses accumulators (Flink CEP's
     * pattern functions do).
     */
    public static HuntCounter metricOnly(RuntimeContext context, String name) {
        return new HuntCounter(context.getMetricGroup().addGroup("bazahunt").counter(name), null);
    }

    public static HuntCounter register(RuntimeContext context, String name) {
        LongCounter accumulator = new LongCounter();
        context.addAccumulator(name, accumulator);
        return new HuntCounter(context.getMetricGroup().addGroup("bazahunt").counter(name), accumulator);
    }

    public void inc() {
        add(1L);
    }

    public void add(long count) {
        if (count == 0) {
            return;
        }
        metric.inc(count);
        if (accumulator != null) {
            accumulator.add(count);
        }
    }

    /**
     * Asks every task of the job to keep its counters on the metric reporters for {@code hold} after its
     * input has ended (see {@link #holdForReporters}). Flink drops a task's metrics when the task ends, and
     * in a BATCH job every stage ends before the job does, so a reporter that is pulled (Prometheus) would
     * otherwise seldom see a stage's final values.
     */
    public static void holdFinalValues(Configuration jobConfig, Duration hold) {
        Map<String, String> parameters = new HashMap<>(jobConfig.get(PipelineOptions.GLOBAL_JOB_PARAMETERS, Map.of()));
        parameters.put(HOLD_PARAMETER, String.valueOf(hold.toMillis()));
        jobConfig.set(PipelineOptions.GLOBAL_JOB_PARAMETERS, parameters);
    }

    /**
     * Called from {@code close()} of every function that registers counters: when the job asked for it
     * ({@link #holdFinalValues}), waits until the hold has passed since the first such close in this task.
     * A task's functions close on its own thread, after all of them have finished, so the task's counters
     * have their final values and stay registered while it waits; the functions of one chained task share
     * one wait. Flink stops interrupting a task once it closes its operators (and closes them after a
     * failure too), so a job cancelled or failing over during the hold waits for it: keep it short.
     */
    public static void holdForReporters(RuntimeContext context) {
        String millis = context.getGlobalJobParameters().get(HOLD_PARAMETER);
        if (millis == null) {
            return;
        }
        Long until = HELD_UNTIL.get();
        if (until == null) {
            until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(millis));
            HELD_UNTIL.set(until);
        }
        try {
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

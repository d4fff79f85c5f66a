package dev.bazahunt.job.pipeline;

import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.correlation.CorrelationLink;
import dev.bazahunt.correlation.DownloadRow;
import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * The hunt, from parsed telemetry to alerts. It does not know where the telemetry came from: replay
 * and live mode each build a source and sinks around this same code, so the two never fork. Every
 * stateful operator has a stable uid, so savepoints survive job upgrades.
 */
public final class HuntPipeline {
    public static final OutputTag<CorrelationEvent> LATE = new OutputTag<>("late-for-correlation") {};

    private HuntPipeline() {}

    /** {@code telemetry} must carry event timestamps (see {@link HuntWatermarks}). */
    public static HuntOutputs attach(DataStream<TelemetryRecord> telemetry, HuntSettings settings) {
        SingleOutputStreamOperator<CorrelationEvent> candidates = telemetry
                .process(new RouteTelemetry(settings.tuning(), settings.maxClockSkew()))
                .name("rule: dropping payload via certutil + excel children")
                .uid("route-telemetry");
        DataStream<DownloadRow> downloadRows = candidates.getSideOutput(RouteTelemetry.DOWNLOAD_ROWS);
        AlertRange range = settings.alertRange();
        if (!range.isAll()) {
            // Downloads outside the range raise nothing; the rows around them still correlate with the rest.
            downloadRows = downloadRows.filter(row -> range.contains(row.timestampMillis()))
                    .name("downloads inside --from/--until").uid("alert-range-downloads");
        }

        SingleOutputStreamOperator<CorrelationEvent> bounded = candidates
                .keyBy(event -> event.deviceId, Types.STRING)
                .process(new BoundExcelChildren(settings.window(), settings.excelChildBudget(),
                        isBatch(telemetry.getExecutionEnvironment())))
                .name("bound excel children per device and window")
                .uid("bound-excel-children");

        SingleOutputStreamOperator<CorrelationLink> links = CEP
                .pattern(DataStreamUtils.reinterpretAsKeyedStream(bounded, event -> event.deviceId, Types.STRING),
                        BazaCallPattern.within(settings.window()))
                .inEventTime()
                .sideOutputLateData(LATE)
                .process(new LinkDownloadToExcel())
                .name("cep: download <-> excel activity per device")
                .uid("bazacall-cep");

        // Rows from the future were counted where they were found; they join the late side output.
        DataStream<CorrelationEvent> late = links.getSideOutput(LATE)
                .map(new CountLateRecords())
                .name("count late records")
                .uid("count-late")
                .union(candidates.getSideOutput(RouteTelemetry.FUTURE));

        DataStream<CorrelationLink> allLinks = links.union(bounded.getSideOutput(BoundExcelChildren.OMISSIONS));
        DataStream<CorrelationLink> rangeLinks = range.isAll() ? allLinks
                : allLinks.filter(link -> range.contains(link.downloadTimestampMillis()))
                        .name("links of downloads inside --from/--until").uid("alert-range-links");
        DataStream<AlertRecord> alerts = downloadRows
                .keyBy(DownloadRow::alertKey, Types.STRING)
                .connect(rangeLinks.keyBy(link -> link.downloadKey, Types.STRING))
                .process(new DownloadAlertFunction(settings.window(), settings.revisionPolicy(),
                        settings.alertRetention(), settings.revisionMemory()))
                .name("alerts per download process instance")
                .uid("download-alerts");

        Duration suppress = settings.tuning().suppress();
        if (suppress != null) {
            alerts = alerts
                    .keyBy(alert -> alert.suppressionKey, Types.STRING)
                    .process(new SuppressRepeats(suppress, settings.window().plus(settings.alertRetention())))
                    .name("suppress repeats per rule, device and command line")
                    .uid("suppress-repeats");
        }
        // Incidents are not suppressed: there is one per device and campaign window already.
        alerts = alerts.union(CampaignIncidentPipeline.attach(
                candidates.getSideOutput(RouteTelemetry.CAMPAIGN_HITS), settings));
        return new HuntOutputs(alerts, candidates.getSideOutput(RouteTelemetry.DEAD_LETTERS), late,
                candidates.getSideOutput(RouteTelemetry.EXCLUSION_AUDIT));
    }

    /** BATCH mode sorts each keyed input and fires a key's timers only after all of its records. */
    private static boolean isBatch(StreamExecutionEnvironment env) {
        return env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
    }
}

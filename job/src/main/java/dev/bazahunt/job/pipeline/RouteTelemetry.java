package dev.bazahunt.job.pipeline;

import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.correlation.DownloadRow;
import dev.bazahunt.correlation.ExcelChildEvent;
import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.rules.ExcelMacroActivity;
import dev.bazahunt.telemetry.DeadLetter;
import dev.bazahunt.telemetry.DefenderTable;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The single-event part of the hunt. Rows that the faithful rule matches become download rows (side
 * output) and correlation events (main output); processes that Excel spawned become correlation
 * events; dead letters go to their side output. Everything else is counted and ends here: almost all
 * of a fleet's telemetry is irrelevant to this hunt.
 */
public final class RouteTelemetry extends ProcessFunction<TelemetryRecord, CorrelationEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DownloadRow> DOWNLOAD_ROWS = new OutputTag<>("download-rows") {};
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Map<DefenderTable, HuntCounter> recordsIn;
    private transient HuntCounter skipped;
    private transient HuntCounter deadLettered;
    private transient HuntCounter matchedRows;
    private transient HuntCounter excelChildren;

    @Override
    public void open(OpenContext openContext) {
        recordsIn = new EnumMap<>(DefenderTable.class);
        for (DefenderTable table : DefenderTable.values()) {
            recordsIn.put(table, HuntCounter.register(getRuntimeContext(), HuntCounter.RECORDS_IN_PREFIX + table.tableName()));
        }
        skipped = HuntCounter.register(getRuntimeContext(), HuntCounter.SKIPPED);
        deadLettered = HuntCounter.register(getRuntimeContext(), HuntCounter.DEAD_LETTERED);
        matchedRows = HuntCounter.register(getRuntimeContext(), HuntCounter.MATCHED_ROWS);
        excelChildren = HuntCounter.register(getRuntimeContext(), HuntCounter.EXCEL_CHILDREN);
    }

    @Override
    public void processElement(TelemetryRecord record, Context context, Collector<CorrelationEvent> out) {
        if (record.fileEvent != null) {
            recordsIn.get(DefenderTable.DEVICE_FILE_EVENTS).inc();
            if (CertutilDownloadRule.matches(record.fileEvent)) {
                matchedRows.inc();
                DownloadRow row = DownloadRow.from(record.fileEvent);
                context.output(DOWNLOAD_ROWS, row);
                out.collect(CorrelationEvent.of(row));
            }
        } else if (record.processEvent != null) {
            recordsIn.get(DefenderTable.DEVICE_PROCESS_EVENTS).inc();
            if (ExcelMacroActivity.isExcelChild(record.processEvent)) {
                excelChildren.inc();
                out.collect(CorrelationEvent.of(ExcelChildEvent.from(record.processEvent)));
            }
        } else if (record.deadLetter != null) {
            deadLettered.inc();
            context.output(DEAD_LETTERS, record.deadLetter);
        } else {
            skipped.inc();
        }
    }
}

package dev.bazahunt.job.pipeline;

import dev.bazahunt.correlation.CorrelationEvent;
import dev.bazahunt.correlation.CorrelationLink;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/** Turns each CEP match (a download and an Excel-spawned process, in either order) into a link. */
public final class LinkDownloadToExcel extends PatternProcessFunction<CorrelationEvent, CorrelationLink> {
    private static final long serialVersionUID = 1L;

    private transient HuntCounter links;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        links = HuntCounter.metricOnly(getRuntimeContext(), HuntCounter.LINKS);
    }

    /** Keeps this task's counters on the reporters for a while, if the job asked for it. */
    @Override
    public void close() {
        HuntCounter.holdForReporters(getRuntimeContext());
    }

    @Override
    public void processMatch(Map<String, List<CorrelationEvent>> match, Context context, Collector<CorrelationLink> out) {
        CorrelationEvent first = match.get(BazaCallPattern.FIRST).get(0);
        CorrelationEvent second = match.get(BazaCallPattern.SECOND).get(0);
        CorrelationEvent download = first.isDownload() ? first : second;
        CorrelationEvent excel = first.isDownload() ? second : first;
        links.inc();
        out.collect(CorrelationLink.of(download, excel.excelChild));
    }
}

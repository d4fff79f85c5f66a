package dev.bazahunt.job.replay;

import java.time.Duration;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.watermark.Watermark;
import org.apache.flink.api.common.watermark.WatermarkDeclaration;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A {@link FileSource} whose readers keep {@value #SPLITS_IN_FLIGHT} splits asked for at a time instead
 * of one. Flink's file reader asks for its next split only once the current one is finished, and the
 * answer travels through the enumerator and back (two RPCs and two mailboxes): measured here, readers of
 * 64 MB ranges sat idle 20-280 ms between splits that took about 15 ms to scan, so the cores were busy
 * under half the time. With one split queued behind the one being read, the next is there when it is
 * needed. A reader still asks once per finished split, so it never holds more than this many; at the end
 * of the input a reader can hold one split more than another, which is the price of the queue.
 */
final class SplitAheadFileSource
        implements Source<SourceLine, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
                ResultTypeQueryable<SourceLine> {
    private static final long serialVersionUID = 1L;

    /** Splits a reader holds or has asked for: the one it reads and one queued behind it. */
    static final int SPLITS_IN_FLIGHT = 2;

    /**
     * How long a reader's close waits for its split fetchers, unless the job's configuration says
     * otherwise. Flink's default is 30 s. A fetcher that the reader closed as idle between two splits
     * sometimes never exits (about one job in fifty in the bench's warm cluster), and the reader's close
     * then waited the whole 30 s before the source could finish. At close every split has been read, so
     * an idle fetcher has nothing left to hand over and is stopped after this.
     */
    static final Duration READER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final FileSource<SourceLine> files;

    SplitAheadFileSource(FileSource<SourceLine> files) {
        this.files = files;
    }

    @Override
    public SourceReader<SourceLine, FileSourceSplit> createReader(SourceReaderContext context) throws Exception {
        return files.createReader(new AskingAhead(context));
    }

    @Override
    public Boundedness getBoundedness() {
        return files.getBoundedness();
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> createEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context) throws Exception {
        return files.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>> restoreEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context, PendingSplitsCheckpoint<FileSourceSplit> checkpoint)
            throws Exception {
        return files.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
        return files.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>> getEnumeratorCheckpointSerializer() {
        return files.getEnumeratorCheckpointSerializer();
    }

    @Override
    public Set<? extends WatermarkDeclaration> declareWatermarks() {
        return files.declareWatermarks();
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
        return files.getProducedType();
    }

    /**
     * The reader's context, with its first split request sent {@value #SPLITS_IN_FLIGHT} times: the file
     * reader asks once at start (or, restored with splits, once its first one is finished) and once per
     * finished split after that, so the surplus stays in flight. The enumerator answers a request it has
     * no split for with "no more splits", as often as it is asked.
     */
    static final class AskingAhead implements SourceReaderContext {
        private final SourceReaderContext context;
        private boolean askedAhead;

        AskingAhead(SourceReaderContext context) {
            this.context = context;
        }

        @Override
        public void sendSplitRequest() {
            int requests = askedAhead ? 1 : SPLITS_IN_FLIGHT;
            askedAhead = true;
            for (int i = 0; i < requests; i++) {
                context.sendSplitRequest();
            }
        }

        @Override
        public SourceReaderMetricGroup metricGroup() {
            return context.metricGroup();
        }

        /** The job's configuration, with {@link #READER_CLOSE_TIMEOUT} unless the job sets its own. */
        @Override
        public Configuration getConfiguration() {
            Configuration configuration = context.getConfiguration();
            if (configuration.contains(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT)) {
                return configuration;
            }
            Configuration bounded = new Configuration(configuration);
            bounded.set(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT, READER_CLOSE_TIMEOUT.toMillis());
            return bounded;
        }

        @Override
        public String getLocalHostName() {
            return context.getLocalHostName();
        }

        @Override
        public int getIndexOfSubtask() {
            return context.getIndexOfSubtask();
        }

        @Override
        public void sendSourceEventToCoordinator(SourceEvent event) {
            context.sendSourceEventToCoordinator(event);
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return context.getUserCodeClassLoader();
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            context.emitWatermark(watermark);
        }
    }
}

package dev.bazahunt.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

class SplitAheadFileSourceTest {
    /** A reader's context that counts the split requests that reach the enumerator. */
    private static final class CountingContext implements SourceReaderContext {
        final Configuration configuration = new Configuration();
        int requests;

        @Override
        public void sendSplitRequest() {
            requests++;
        }

        @Override
        public SourceReaderMetricGroup metricGroup() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Configuration getConfiguration() {
            return configuration;
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSourceEventToCoordinator(SourceEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theFirstRequestAsksAheadAndEachLaterOneReplacesAFinishedSplit() {
        CountingContext enumerator = new CountingContext();
        SplitAheadFileSource.AskingAhead context = new SplitAheadFileSource.AskingAhead(enumerator);

        context.sendSplitRequest(); // the file reader's request at start
        assertThat(enumerator.requests).isEqualTo(SplitAheadFileSource.SPLITS_IN_FLIGHT).isGreaterThan(1);
        for (int finished = 1; finished <= 5; finished++) {
            context.sendSplitRequest(); // one per finished split
            assertThat(enumerator.requests).isEqualTo(SplitAheadFileSource.SPLITS_IN_FLIGHT + finished);
        }
    }

    @Test
    void readersWaitAtMostFiveSecondsForTheirFetchersToCloseUnlessTheJobSaysOtherwise() {
        CountingContext job = new CountingContext();
        assertThat(new SplitAheadFileSource.AskingAhead(job).getConfiguration()
                .get(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT)).isEqualTo(5_000L);
        assertThat(job.configuration.contains(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT)).isFalse();

        job.configuration.set(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT, 60_000L);
        assertThat(new SplitAheadFileSource.AskingAhead(job).getConfiguration()
                .get(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT)).isEqualTo(60_000L);
    }
}

package dev.bazahunt.job.replay;

import java.io.IOException;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

/**
 * Cuts each large uncompressed telemetry file into byte ranges of about {@code rangeBytes}, so that
 * several readers share one file: a month of history often arrives as a few big exports. Flink's own
 * block-splitting enumerator cuts only where the file system reports blocks, and a local disk reports
 * one block per file. A range owns the lines that start inside it ({@link LineSplitter}); gzip files
 * cannot be entered in the middle and stay whole.
 */
final class ByteRangeEnumerator extends NonSplittingRecursiveEnumerator {
    private final long rangeBytes;

    ByteRangeEnumerator(long rangeBytes) {
        // Every file given is read: InputFiles has chosen them. Flink's default filter would silently
        // skip names that start with '.' or '_', which exports may well have.
        super(path -> true);
        this.rangeBytes = rangeBytes;
    }

    @Override
    protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target)
            throws IOException {
        long size = file.getLen();
        if (!TelemetryFileFormat.canStartMidFile(file.getPath()) || size <= rangeBytes) {
            super.convertToSourceSplits(file, fs, target);
            return;
        }
        int ranges = (int) Math.min(Integer.MAX_VALUE, (size + rangeBytes - 1) / rangeBytes);
        long start = 0;
        for (int k = 1; k <= ranges; k++) {
            // Even ranges: the last is not a sliver.
            long end = size * k / ranges;
            target.add(new FileSourceSplit(getNextId(), file.getPath(), start, end - start,
                    file.getModificationTime(), size));
            start = end;
        }
    }
}

package dev.bazahunt.job.replay;

import dev.bazahunt.telemetry.RawPrefilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The file reader's own ceiling: the bytes and lines per second that one core gets through the
 * reader's fused pass (line ends and the pre-filter's scan, {@link LineSplitter} over {@link RawPrefilter})
 * over bytes already in memory, with no file system, no Flink and no parsing. Times the cores, it is
 * the most a replay could reach on this machine, whatever the rest of the job did.
 */
public final class ReaderScanLimit {
    private ReaderScanLimit() {}

    /** Lines and bytes per second of the best pass on one thread. */
    public record Rate(double linesPerSecond, double bytesPerSecond, long lines, String scan) {}

    /** Scans {@code data} again and again for about {@code seconds} and reports the fastest pass. */
    public static Rate measure(byte[] data, double seconds) {
        long lines = 0;
        double best = Double.MAX_VALUE;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int passes = 0;
        while (passes < 3 || System.nanoTime() < deadline) {
            long started = System.nanoTime();
            lines = pass(data);
            best = Math.min(best, (System.nanoTime() - started) / 1e9);
            passes++;
        }
        return new Rate(lines / best, data.length / best, lines, RawPrefilter.scanKind());
    }

    /** One pass with the pre-filter on; returns the lines consumed, handed on or skipped. */
    private static long pass(byte[] data) {
        try (LineSplitter splitter = new LineSplitter(new ByteArrayInputStream(data),
                TelemetryFileFormat.DEFAULT_MAX_LINE_BYTES, true)) {
            long copied = 0;
            int outcome;
            while ((outcome = splitter.next(Long.MAX_VALUE)) != LineSplitter.END) {
                if (outcome == LineSplitter.LINE) {
                    copied += splitter.copyOfLine().length; // as the real reader copies a line it hands on
                }
            }
            return copied >= 0 ? splitter.linesConsumed() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

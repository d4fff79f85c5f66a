package dev.bazahunt.job.replay;

import dev.bazahunt.telemetry.RawPrefilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;

/**
 * The file reader's own ceiling: the bytes and lines per second that one core gets through the
 * reader's fused pass (line ends and the pre-filter's scan, {@link LineSplitter} over {@link RawPrefilter})
 * over bytes already in memory, with no file system, no Flink and no parsing. Times the cores, it is
 * the most a replay could reach on this machine, whatever the rest of the job did.
 */
public final class ReaderScanLimit {
    private ReaderScanLimit() {}

    /**
     * Lines and bytes per second of the best pass on one thread, and what that pass allocated per byte
     * scanned: the copies of the lines handed on, at most about one byte per byte. A vector scan that the
     * JIT did not turn into vector instructions boxes its vectors and allocates several bytes per byte.
     */
    public record Rate(double linesPerSecond, double bytesPerSecond, long lines, String scan,
            double allocatedPerByte) {
        public double allocatedBytesPerLine() {
            return linesPerSecond == 0 ? 0 : allocatedPerByte * bytesPerSecond / linesPerSecond;
        }
    }

    /** Scans {@code data} again and again for about {@code seconds} and reports the fastest pass. */
    public static Rate measure(byte[] data, double seconds) {
        long lines = 0;
        double best = Double.MAX_VALUE;
        long bestAllocated = 0;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int passes = 0;
        while (passes < 3 || System.nanoTime() < deadline) {
            long allocatedBefore = allocatedBytes();
            long started = System.nanoTime();
            lines = pass(data);
            double passSeconds = (System.nanoTime() - started) / 1e9;
            if (passSeconds < best) {
                best = passSeconds;
                bestAllocated = allocatedBytes() - allocatedBefore;
            }
            passes++;
        }
        return new Rate(lines / best, data.length / best, lines, RawPrefilter.scanKind(),
                (double) bestAllocated / data.length);
    }

    /** The bytes this thread has allocated so far, or 0 where the JVM does not tell. */
    private static long allocatedBytes() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                ? Math.max(0, threads.getCurrentThreadAllocatedBytes()) : 0;
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

package dev.bazahunt.job.bench;

import dev.bazahunt.job.replay.ReaderScanLimit;
import java.util.ArrayList;
import java.util.List;

/** The bench's table, ratios and verdict against the targets, as printed. */
final class BenchReport {
    private static final double TARGET_R = 3.0;
    private static final double TARGET_SPEED_UP = 4.0;
    /**
     * More than this per byte scanned is not the copies of lines handed on (one byte per byte at most,
     * and headers): it is a vector scan running with boxed vectors, as a failed JIT compilation leaves it.
     */
    private static final double BOXED_SCAN_BYTES_PER_BYTE = 2.0;

    private BenchReport() {}

    /**
     * What one bench run measured. {@code ripgrep} is null when it is not installed; {@code scanLimit}
     * is the reader's scan on one core, which the report multiplies by {@code cores}.
     */
    record Results(Measurement grep, Measurement ripgrep, Measurement naive, Measurement p1, Measurement p2,
            ReaderScanLimit.Rate scanLimit, int cores) {
        List<Measurement> contenders() {
            List<Measurement> all = new ArrayList<>();
            all.add(grep);
            if (ripgrep != null) {
                all.add(ripgrep);
            }
            all.addAll(List.of(naive, p1, p2));
            return all;
        }
    }

    static String render(Results results, BenchDataset small, BenchDataset large) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("bazahunt bench: %,d and %,d events (%,d and %,d bytes), %d files, %s lines%n%n",
                small.expected().events(), large.expected().events(), small.expected().bytes(),
                large.expected().bytes(), large.expected().files(), large.expected().format()));
        text.append(String.format("%-38s %10s %10s %16s %16s%n", "contender", "t small", "t large",
                "steady units/s", "end-to-end /s"));
        for (Measurement m : results.contenders()) {
            text.append(String.format("%-38s %9.2fs %9.2fs %,16.0f %,16.0f%n", m.name(), m.smallSeconds(),
                    m.largeSeconds(), m.steadyRate(), m.endToEndRate()));
        }
        text.append('\n').append(verdicts(results));
        text.append("Units: lines for grep and rg, events for the jobs; with Storage blob lines they are the same.\n");
        text.append("Steady rate = (N_large - N_small) / (t_large - t_small): start-up costs cancel.\n");
        text.append("The jobs run on one embedded cluster that stays up, as a session cluster does: their times run"
                + " from submission to result, without the cluster's start-up.");
        return text.toString();
    }

    /** The ratios, each against its target or contender. */
    static String verdicts(Results results) {
        for (Measurement m : results.contenders()) {
            if (!(m.steadyRate() > 0)) {
                // Other work made the large run no slower than the small one: no rate can be derived.
                return String.format("no ratios: %s took %.2f s on the small and %.2f s on the large dataset, so the"
                        + " machine was too busy for a steady rate; run the bench again on a quieter machine%n",
                        m.name(), m.smallSeconds(), m.largeSeconds());
            }
        }
        double grep = results.grep().steadyRate();
        double p1 = results.p1().steadyRate();
        double p2 = results.p2().steadyRate();
        StringBuilder text = new StringBuilder();
        text.append(String.format("R = bazahunt events/s / grep lines/s, default options:  p=1 %.2f, p=2 %.2f"
                + "  (target >= %.1f at p=2): %s%n", p1 / grep, p2 / grep, TARGET_R, p2 / grep >= TARGET_R ? "met" : "NOT met"));
        text.append(String.format("speed-up = bazahunt p=2 / naive p=2:  %.2fx  (target >= %.0fx): %s%n",
                p2 / results.naive().steadyRate(), TARGET_SPEED_UP,
                p2 / results.naive().steadyRate() >= TARGET_SPEED_UP ? "met" : "NOT met"));
        if (results.ripgrep() != null) {
            double rg = results.ripgrep().steadyRate();
            text.append(String.format("ripgrep: rg reads %,.0f lines/s; bazahunt p=2 reaches %.0f %% of it (%.2fx)%n",
                    rg, 100 * p2 / rg, p2 / rg));
        } else {
            text.append("ripgrep: not installed, not measured\n");
        }
        ReaderScanLimit.Rate scan = results.scanLimit();
        double limit = scan.linesPerSecond() * results.cores();
        text.append(String.format("scan limit (the reader's pass over bytes in memory; %s): %,.0f lines/s (%.2f GB/s)"
                        + " on one core x %d cores = %,.0f lines/s; bazahunt p=2 reaches %.0f %% of it%n", scan.scan(),
                scan.linesPerSecond(), scan.bytesPerSecond() / 1e9, results.cores(), limit, 100 * p2 / limit));
        text.append(String.format("scan allocation: %,.0f bytes per line (the copies of lines handed on)%s%n",
                scan.allocatedBytesPerLine(), scan.allocatedPerByte() > BOXED_SCAN_BYTES_PER_BYTE
                        ? "; the JIT boxed the vector scan's vectors, so this run's figures are far too low" : ""));
        return text.toString();
    }
}

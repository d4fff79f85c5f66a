package dev.bazahunt.job.bench;

import java.util.List;

/** The bench's table, ratios and verdict against the targets, as printed. */
final class BenchReport {
    private static final double TARGET_R = 1.0;
    private static final double TARGET_SPEED_UP = 4.0;

    private BenchReport() {}

    /** {@code results}: grep, naive, bazahunt p=1, bazahunt p=2, in that order. */
    static String render(List<Measurement> results, BenchDataset small, BenchDataset large) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("bazahunt bench: %,d and %,d events (%,d and %,d bytes), %d files, %s lines%n%n",
                small.expected().events(), large.expected().events(), small.expected().bytes(),
                large.expected().bytes(), large.expected().files(), large.expected().format()));
        text.append(String.format("%-38s %10s %10s %16s %16s%n", "contender", "t small", "t large",
                "steady units/s", "end-to-end /s"));
        for (Measurement m : results) {
            text.append(String.format("%-38s %9.2fs %9.2fs %,16.0f %,16.0f%n", m.name(), m.smallSeconds(),
                    m.largeSeconds(), m.steadyRate(), m.endToEndRate()));
        }
        double grep = results.get(0).steadyRate();
        double naive = results.get(1).steadyRate();
        double p1 = results.get(2).steadyRate();
        double p2 = results.get(3).steadyRate();
        text.append('\n');
        text.append(String.format("R = bazahunt events/s / grep lines/s:  p=1 %.2f, p=2 %.2f  (target >= %.1f at p=2): %s%n",
                p1 / grep, p2 / grep, TARGET_R, p2 / grep >= TARGET_R ? "met" : "NOT met"));
        text.append(String.format("speed-up = bazahunt p=2 / naive p=2:  %.2fx  (target >= %.0fx): %s%n",
                p2 / naive, TARGET_SPEED_UP, p2 / naive >= TARGET_SPEED_UP ? "met" : "NOT met"));
        text.append("Units: lines for grep, events for the jobs; with Storage blob lines they are the same.\n");
        text.append("Steady rate = (N_large - N_small) / (t_large - t_small): start-up costs cancel.");
        return text.toString();
    }
}

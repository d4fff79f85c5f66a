package dev.bazahunt.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.job.replay.ReaderScanLimit;
import org.junit.jupiter.api.Test;

/** The bench's verdicts: R against grep at the target of 3, ripgrep as a contender, the scan limit. */
class BenchReportTest {
    /** A contender that reads {@code rate} units per second after a start-up of one second. */
    private static Measurement steady(String name, double rate) {
        return new Measurement(name, 1_000_000, 1 + 1_000_000 / rate, 4_000_000, 1 + 4_000_000 / rate);
    }

    private static BenchReport.Results results(double p2Rate, Measurement ripgrep) {
        return new BenchReport.Results(steady("grep", 1_000_000), ripgrep, steady("naive", 250_000),
                steady("p1", 1_500_000), steady("p2", p2Rate),
                new ReaderScanLimit.Rate(2_000_000, 2.8e9, 200_000, "vector, 32 bytes per step", 0.01), 2);
    }

    @Test
    void rIsMetOnlyFromThreeTimesGrepAtParallelismTwo() {
        assertThat(BenchReport.verdicts(results(3_100_000, null))).contains("p=2 3.10", "(target >= 3.0 at p=2): met");
        assertThat(BenchReport.verdicts(results(2_900_000, null))).contains("p=2 2.90", "NOT met");
    }

    @Test
    void ripgrepIsReportedAsTheContenderToCloseInOnOrAsNotInstalled() {
        assertThat(BenchReport.verdicts(results(3_000_000, steady("rg", 10_000_000))))
                .contains("rg reads 10,000,000 lines/s; bazahunt p=2 reaches 30 % of it (0.30x)");
        assertThat(BenchReport.verdicts(results(3_000_000, null))).contains("ripgrep: not installed, not measured");
    }

    @Test
    void theScanLimitIsOneCoresRateTimesTheCores() {
        assertThat(BenchReport.verdicts(results(3_000_000, null)))
                .contains("2,000,000 lines/s (2.80 GB/s) on one core x 2 cores = 4,000,000 lines/s",
                        "bazahunt p=2 reaches 75 % of it");
    }

    @Test
    void aScanThatAllocatesSeveralBytesPerByteIsCalledOutAsBoxed() {
        BenchReport.Results boxed = new BenchReport.Results(steady("grep", 1_000_000), null, steady("naive", 250_000),
                steady("p1", 1_500_000), steady("p2", 3_000_000),
                new ReaderScanLimit.Rate(500_000, 0.7e9, 200_000, "vector, 32 bytes per step", 8.0), 2);
        assertThat(BenchReport.verdicts(boxed)).contains("scan allocation: 11,200 bytes per line",
                "the JIT boxed the vector scan's vectors");
        assertThat(BenchReport.verdicts(results(3_000_000, null))).contains("scan allocation: 14 bytes per line")
                .doesNotContain("boxed");
    }

    @Test
    void aRunWhoseLargeDatasetWasNotSlowerThanItsSmallOneGivesNoRatios() {
        BenchReport.Results busy = new BenchReport.Results(steady("grep", 1_000_000), null, steady("naive", 250_000),
                new Measurement("p1", 1_000_000, 13.0, 4_000_000, 5.3), steady("p2", 3_000_000),
                new ReaderScanLimit.Rate(2_000_000, 2.8e9, 200_000, "vector, 32 bytes per step", 0.01), 2);
        assertThat(BenchReport.verdicts(busy)).startsWith("no ratios: p1 took 13.00 s on the small and 5.30 s")
                .doesNotContain("R =");
    }
}

package dev.bazahunt.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineLoadTest {
    /** Hot enough to be compiled at both tiers. */
    private static long mix(long seed) {
        long x = seed;
        for (int i = 0; i < 1_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29;
        }
        return x;
    }

    @Test
    void theCompilerThreadsCpuTimeIsReadFromLinuxAndOnlyGrows() {
        double before = MachineLoad.compilerCpuSeconds();
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += mix(i);
        }
        double after = MachineLoad.compilerCpuSeconds();
        // This JVM has loaded and compiled JUnit, AssertJ and this class: its compilers have used CPU.
        assertThat(before).isPositive();
        assertThat(after).isGreaterThanOrEqualTo(before);
        assertThat(sink).isNotZero();
    }
}

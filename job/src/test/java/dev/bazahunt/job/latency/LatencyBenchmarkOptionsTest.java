package dev.bazahunt.job.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad options of bench-latency are a usage error (exit 2), caught before any broker is touched. */
class LatencyBenchmarkOptionsTest {
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return LatencyBenchmark.run(args, new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @Test
    void aBadRateOrDeliveryExitsWithTwo() throws Exception {
        assertThat(run("--bootstrap-servers", "127.0.0.1:1", "--rate", "fast")).isEqualTo(2);
        assertThat(run("--bootstrap-servers", "127.0.0.1:1", "--delivery", "exactly-twice")).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("--rate must be a positive integer")
                .contains("--delivery must be at-least-once, exactly-once or both")
                .contains("Run 'bazahunt bench-latency --help' for usage.");
    }
}

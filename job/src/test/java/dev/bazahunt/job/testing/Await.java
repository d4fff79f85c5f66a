package dev.bazahunt.job.testing;

import java.io.IOException;
import java.time.Duration;

/** Polls a condition on real servers until it holds or a deadline passes. */
public final class Await {
    private Await() {}

    public interface Condition {
        boolean holds() throws Exception;
    }

    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                // A REST API can briefly refuse while a job fails over or a server starts; ask again.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }
}

package dev.bazahunt.job.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrapes Prometheus endpoints at a short interval, as a Prometheus server would (more often), and
 * keeps the last value it saw of every series: a task's series vanish when the task ends, so what a
 * finished stage counted is its series' last scraped value. One thread per endpoint, so a slow endpoint
 * does not delay the others.
 */
public final class PrometheusWatch implements AutoCloseable {
    /** Labels that change when a subtask is restarted; the rest name the counter of one subtask. */
    private static final Set<String> ATTEMPT_LABELS = Set.of("task_attempt_num", "task_attempt_id");

    private final Map<String, PrometheusSamples.Sample> lastBySeries = new ConcurrentHashMap<>();
    private final Map<String, PrometheusSamples.Sample> highestBySeries = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger scrapes = new AtomicInteger();
    /** The longest time between two answered scrapes of one endpoint, in milliseconds. */
    private final AtomicLong longestGapMillis = new AtomicLong();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;

    private PrometheusWatch() {}

    public static PrometheusWatch start(List<Callable<String>> endpoints, Duration interval) {
        PrometheusWatch watch = new PrometheusWatch();
        for (Callable<String> endpoint : endpoints) {
            Thread thread = new Thread(() -> watch.scrapeUntilStopped(endpoint, interval), "prometheus-watch");
            thread.setDaemon(true);
            watch.threads.add(thread);
            thread.start();
        }
        return watch;
    }

    private void scrapeUntilStopped(Callable<String> endpoint, Duration interval) {
        long lastAnswer = System.nanoTime();
        while (!stopped) {
            try {
                for (PrometheusSamples.Sample sample : PrometheusSamples.parse(endpoint.call()).samples()) {
                    lastBySeries.put(sample.name() + sample.labels(), sample);
                    highestBySeries.merge(sample.name() + sample.labels(), sample, (a, b) -> a.value() >= b.value() ? a : b);
                }
                scrapes.incrementAndGet();
                long now = System.nanoTime();
                longestGapMillis.accumulateAndGet((now - lastAnswer) / 1_000_000, Math::max);
                lastAnswer = now;
            } catch (Exception e) {
                failures.add(e.toString());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How many scrapes answered, over all endpoints. */
    public int scrapes() {
        return scrapes.get();
    }

    /**
     * The longest time between two answered scrapes of one endpoint: a stage whose series were held for
     * less than this may have been missed.
     */
    public Duration longestGap() {
        return Duration.ofMillis(longestGapMillis.get());
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Every metric name seen. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        lastBySeries.values().forEach(sample -> names.add(sample.name()));
        return names;
    }

    /**
     * The last value seen of metric {@code name}, summed over its series whose label {@code label} equals
     * {@code value}: over the operators and subtasks that count it, each subtask's latest attempt only.
     * Null when no such series was ever seen.
     */
    public Long lastValue(String name, String label, String value) {
        Map<String, PrometheusSamples.Sample> latestAttempt = new TreeMap<>();
        for (PrometheusSamples.Sample sample : lastBySeries.values()) {
            if (!sample.name().equals(name) || !value.equals(sample.labels().get(label))) {
                continue;
            }
            Map<String, String> subtask = new TreeMap<>(sample.labels());
            subtask.keySet().removeAll(ATTEMPT_LABELS);
            latestAttempt.merge(subtask.toString(), sample, (a, b) -> attempt(a) >= attempt(b) ? a : b);
        }
        if (latestAttempt.isEmpty()) {
            return null;
        }
        return Math.round(latestAttempt.values().stream().mapToDouble(PrometheusSamples.Sample::value).sum());
    }

    /** The highest value seen of each series of gauge {@code name}, by the value of its label {@code label}. */
    public Map<String, Double> highest(String name, String label) {
        Map<String, Double> highest = new TreeMap<>();
        for (PrometheusSamples.Sample sample : highestBySeries.values()) {
            if (sample.name().equals(name)) {
                highest.merge(sample.labels().getOrDefault(label, ""), sample.value(), Math::max);
            }
        }
        return highest;
    }

    private static long attempt(PrometheusSamples.Sample sample) {
        return Long.parseLong(sample.labels().getOrDefault("task_attempt_num", "0"));
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(10_000);
        }
    }
}

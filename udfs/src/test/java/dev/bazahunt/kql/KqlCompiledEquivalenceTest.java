package dev.bazahunt.kql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import dev.bazahunt.kql.KqlCondition.And;
import dev.bazahunt.kql.KqlCondition.Compare;
import dev.bazahunt.kql.KqlCondition.IsEmpty;
import dev.bazahunt.kql.KqlCondition.Not;
import dev.bazahunt.kql.KqlCondition.Or;
import dev.bazahunt.kql.KqlCondition.Position;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.telemetry.DefenderColumnReader;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DefenderTable;
import dev.bazahunt.telemetry.DeviceProcessEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The compiler rewrites a query (flattened, merged per column, reordered by cost) and runs it on
 * prepared patterns ({@link FoldedPattern}) instead of {@link KqlOperators}. These tests hold the result
 * equal to a straightforward interpreter of the parsed tree, operator by operator on
 * {@link KqlOperators}, in text order: on random queries over random rows, and on every rule file.
 */
class KqlCompiledEquivalenceTest {

    private static final String[] COLUMNS = {"FileName", "ProcessCommandLine", "InitiatingProcessFileName"};
    private static final KqlOperator[] OPERATORS = KqlOperator.values();
    /** Right sides and row pieces: real BazaCall values, case variants, lookalikes, punctuation, empties. */
    private static final String[] VOCABULARY = {"certutil.exe", "CertUtil.EXE", "cmd.exe", "CMD.EXE", "-urlcache",
        "-URLCACHE", "urlcache", "split", "SPLIT", "splitter", "http", "https", "HTTP://a", "&& copy", ",GlobalOut",
        "globalout", "temp", "full", "fu", "Backup", "x8k2.exe", "a", "A", "", "\u0131", "certut\u0131l.exe",
        "\u017fplit", "\u212a", "k", "\u00e9", "\u2013urlcache", "-", ".", "\\", "C:\\Temp\\", "mkdir", "pshe0.xyz",
        "https://pshe0pxe339ab.xyz/config.php"};
    private static final String[] SEPARATORS = {" ", "", "-", "/", ",", ".", "\\", "\"", "\u00e9", "&&"};
    private static final String[] REGEXES = {"^c", "\\.exe$", "[A-Z]{2}", "(?i)split", "x[0-9]k", "^$", "a|b"};
    private static final Position AT = new Position(1, 1);

    @Test
    void randomQueriesAgreeWithTheReferenceInterpreterOnRandomRows() {
        Random random = new Random(20261201L);
        int queries = 0;
        int positives = 0;
        int evaluations = 0;
        for (int q = 0; q < 3_000; q++) {
            List<KqlCondition> filters = new ArrayList<>();
            int clauses = 1 + random.nextInt(3);
            for (int c = 0; c < clauses; c++) {
                filters.add(randomCondition(random, 3));
            }
            KqlQuery query = new KqlQuery("DeviceProcessEvents", AT, filters);
            CompiledQuery compiled;
            try {
                compiled = KqlCompiler.compile(query);
            } catch (KqlSyntaxException refused) {
                continue; // e.g. has_all over the empty string only; the reference would refuse too
            }
            queries++;
            for (int r = 0; r < 60; r++) {
                DeviceProcessEvent row = randomRow(random);
                boolean expected = Reference.matches(query.condition(), DefenderTable.DEVICE_PROCESS_EVENTS, row);
                assertThat(compiled.matches(row)).as("%s on %s | %s | %s", query.condition(), row.fileName,
                        row.processCommandLine, row.initiatingProcessFileName).isEqualTo(expected);
                positives += expected ? 1 : 0;
                evaluations++;
            }
        }
        assertThat(queries).isGreaterThan(2_500);
        assertThat(positives).as("both outcomes are reached").isBetween(evaluations / 10, evaluations * 9 / 10);
    }

    @Test
    void everyRuleFileCompilesToWhatItsTextSaysOnRandomRows() {
        Random random = new Random(20261202L);
        for (Map.Entry<String, CompiledQuery> rule : standardQueries().entrySet()) {
            CompiledQuery compiled = rule.getValue();
            List<String> pieces = valuesOf(compiled);
            int positives = 0;
            for (int r = 0; r < 20_000; r++) {
                DefenderEvent row = randomRow(compiled.table(), compiled.columns(), pieces, random);
                boolean expected = Reference.matches(compiled.query().condition(), compiled.table(), row);
                assertThat(compiled.matches(row)).as(rule.getKey() + " on " + describe(row, compiled))
                        .isEqualTo(expected);
                positives += expected ? 1 : 0;
            }
            assertThat(positives).as(rule.getKey() + ": random rows that match").isPositive();
        }
    }

    /**
     * The standard catalog is compiled once and shared by every operator of the JVM, so its compiled
     * queries must give the same answers when many threads use them at once.
     */
    @Test
    void theSharedCatalogAnswersAlikeOnManyThreadsAtOnce() throws Exception {
        assertThat(RuleCatalog.standard()).isSameAs(RuleCatalog.standard());
        Random random = new Random(20261203L);
        List<CompiledQuery> queries = new ArrayList<>();
        List<DefenderEvent> rows = new ArrayList<>();
        List<Boolean> expected = new ArrayList<>();
        for (CompiledQuery compiled : standardQueries().values()) {
            List<String> pieces = valuesOf(compiled);
            for (int r = 0; r < 2_000; r++) {
                DefenderEvent row = randomRow(compiled.table(), compiled.columns(), pieces, random);
                queries.add(compiled);
                rows.add(row);
                expected.add(Reference.matches(compiled.query().condition(), compiled.table(), row));
            }
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 997;
                wrong.add(pool.submit(() -> {
                    start.await();
                    int mismatches = 0;
                    for (int pass = 0; pass < 5; pass++) {
                        for (int k = 0; k < rows.size(); k++) {
                            int i = (k + offset) % rows.size();
                            mismatches += queries.get(i).matches(rows.get(i)) == expected.get(i) ? 0 : 1;
                        }
                    }
                    return mismatches;
                }));
            }
            start.countDown();
            for (Future<Integer> result : wrong) {
                assertThat(result.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expected).contains(true, false);
    }

    /** The compiled queries of the standard rule files that run one, by rule id and name. */
    private static Map<String, CompiledQuery> standardQueries() {
        RuleCatalog catalog = RuleCatalog.standard();
        Map<String, CompiledQuery> queries = new LinkedHashMap<>();
        for (RuleDefinition rule : catalog.all()) {
            if (rule.runsQuery()) {
                queries.put(rule.id() + " (" + rule.name() + ")", catalog.compiledQuery(rule.id()));
            }
        }
        return queries;
    }

    private static List<String> valuesOf(CompiledQuery compiled) {
        List<String> values = new ArrayList<>();
        collectValues(compiled.query().condition(), values);
        return values;
    }

    /** The rule's own values (regexes excepted) in both cases, so random rows often hold what it looks for. */
    private static void collectValues(KqlCondition condition, List<String> values) {
        if (condition instanceof And and) {
            and.parts().forEach(part -> collectValues(part, values));
        } else if (condition instanceof Or or) {
            or.parts().forEach(part -> collectValues(part, values));
        } else if (condition instanceof Not not) {
            collectValues(not.negated(), values);
        } else if (condition instanceof Compare compare && compare.operator() != KqlOperator.MATCHES_REGEX) {
            for (String value : compare.values()) {
                values.add(value);
                values.add(value.toUpperCase(java.util.Locale.ROOT));
            }
        }
    }

    /** A row of {@code table} with random values in {@code columns}, set through the model's public fields. */
    private static DefenderEvent randomRow(DefenderTable table, Iterable<String> columns, List<String> ruleValues,
            Random random) {
        DefenderEvent row = switch (table) {
            case DEVICE_FILE_EVENTS -> new dev.bazahunt.telemetry.DeviceFileEvent();
            case DEVICE_PROCESS_EVENTS -> new DeviceProcessEvent();
            case DEVICE_NETWORK_EVENTS -> new dev.bazahunt.telemetry.DeviceNetworkEvent();
            case EMAIL_EVENTS -> new dev.bazahunt.telemetry.EmailEvent();
            default -> throw new IllegalArgumentException(table.toString());
        };
        for (String column : columns) {
            String value = null;
            if (random.nextInt(15) != 0) {
                StringBuilder text = new StringBuilder();
                int count = random.nextInt(4) == 0 ? 1 : random.nextInt(7); // one piece: equality can hold
                for (int i = 0; i < count; i++) {
                    text.append(!ruleValues.isEmpty() && random.nextInt(10) < 7
                            ? ruleValues.get(random.nextInt(ruleValues.size()))
                            : VOCABULARY[random.nextInt(VOCABULARY.length)]);
                    if (random.nextInt(4) != 0) {
                        text.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
                    }
                }
                if (random.nextInt(4) == 0) {
                    text.append("KMR").append(100_000_000L + random.nextInt(900_000_000));
                }
                value = text.toString();
            }
            try {
                row.getClass().getField(Character.toLowerCase(column.charAt(0)) + column.substring(1)).set(row, value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(column, e);
            }
            assertThat(DefenderColumnReader.forColumn(table, column).readText(row)).as(column).isEqualTo(value);
        }
        return row;
    }

    private static String describe(DefenderEvent row, CompiledQuery compiled) {
        StringBuilder text = new StringBuilder();
        for (String column : compiled.columns()) {
            text.append(column).append('=').append(DefenderColumnReader.forColumn(compiled.table(), column).readText(row))
                    .append(" | ");
        }
        return text.toString();
    }

    @Test
    void eachCompiledQueryRunsInAHiddenClassOfItsOwn() {
        CompiledQuery first = KqlCompiler.compile("DeviceProcessEvents | where FileName =~ 'a.exe'");
        CompiledQuery second = KqlCompiler.compile("DeviceProcessEvents | where FileName =~ 'a.exe'");
        assertThat(first.predicate().getClass().isHidden()).isTrue();
        assertThat(first.predicate().getClass()).isNotSameAs(second.predicate().getClass());
        DeviceProcessEvent row = new DeviceProcessEvent();
        row.fileName = "A.EXE";
        assertThat(first.matches(row)).isTrue();
        assertThat(second.matches(row)).isTrue();
    }

    @Test
    void theFaithfulRuleBecomesOneFileNameTestThenOneHasAll() {
        KqlCondition simplified = KqlCompiler.simplify(KqlParser.parse("""
                DeviceFileEvents
                | where InitiatingProcessFileName !~ "certutil.exe"
                | where InitiatingProcessFileName !~ "cmd.exe"
                | where InitiatingProcessCommandLine has_all("-urlcache", "split", "http")""").condition());
        And and = (And) simplified;
        assertThat(and.parts()).hasSize(2);
        Compare names = (Compare) ((Not) and.parts().get(0)).negated();
        assertThat(names.operator()).isEqualTo(KqlOperator.IN_CI);
        assertThat(names.values()).containsExactly("certutil.exe", "cmd.exe");
        assertThat(names.position()).isEqualTo(new Position(2, 9));
        assertThat(((Compare) and.parts().get(1)).operator()).isEqualTo(KqlOperator.HAS_ALL);
    }

    @Test
    void cheapTestsMoveFirstAndMergeOnlyWhereLogicAllows() {
        KqlCondition simplified = KqlCompiler.simplify(KqlParser.parse("""
                DeviceProcessEvents
                | where ProcessCommandLine matches regex @"x\\d" and ProcessCommandLine has "a"
                | where not(not(FileName == "x")) and ProcessCommandLine has "b" and FileName !~ "y"
                    and (FileName =~ "p" or FileName in~ ("q", "p") or FileName !~ "r")""").condition());
        And and = (And) simplified;
        // FileName == "x" (2), FileName !~ "y" (2), the or (2 + 2), has_all(a, b) (12), the regex (100)
        assertThat(and.parts()).hasSize(5);
        assertThat(((Compare) and.parts().get(0)).operator()).isEqualTo(KqlOperator.EQUALS);
        assertThat(((Compare) ((Not) and.parts().get(1)).negated()).values()).containsExactly("y");
        Or or = (Or) and.parts().get(2);
        assertThat(or.parts()).hasSize(2);
        assertThat(((Compare) or.parts().get(0)).values()).containsExactly("p", "q");
        assertThat(((Not) or.parts().get(1)).negated()).isInstanceOf(Compare.class);
        Compare terms = (Compare) and.parts().get(3);
        assertThat(terms.operator()).isEqualTo(KqlOperator.HAS_ALL);
        assertThat(terms.values()).containsExactly("a", "b");
        assertThat(((Compare) and.parts().get(4)).operator()).isEqualTo(KqlOperator.MATCHES_REGEX);
    }

    @Test
    void theFirstFaultInTheTextIsReportedThoughTheCompilerReorders() {
        assertThatThrownBy(() -> KqlCompiler.compile("""
                DeviceProcessEvents
                | where ProcessCommandLine matches regex @"a(" and Bogus == "x"
                | where Nope has "y\""""))
                .isInstanceOf(KqlSyntaxException.class)
                .hasMessageStartingWith("query 2:9: not a valid RE2 regular expression");
    }

    @Test
    void preparedPatternsAgreeWithKqlOperatorsOnLongRandomStrings() {
        Random random = new Random(20261203L);
        String alphabet = "aAbBsSpPlLiItT019-/ .:\\&,\u00e9\u0131\u017f\u212a\u2013";
        for (int sample = 0; sample < 40_000; sample++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(120);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            int from = length == 0 ? 0 : random.nextInt(length);
            String needle = random.nextInt(3) == 0 // a piece of the text, so that searches often succeed
                    ? text.substring(from, Math.min(length, from + 1 + random.nextInt(6)))
                    : randomText(random, alphabet, random.nextInt(5));
            String lhs = text.toString();
            FoldedPattern ci = FoldedPattern.ignoringCase(needle);
            FoldedPattern cs = FoldedPattern.exact(needle);
            String as = "\"" + lhs + "\" vs \"" + needle + "\"";
            assertThat(ci.termOf(lhs)).as("has " + as).isEqualTo(KqlOperators.has(lhs, needle));
            assertThat(cs.termOf(lhs)).as("has_cs " + as).isEqualTo(KqlOperators.hasCs(lhs, needle));
            assertThat(ci.containedIn(lhs)).as("contains " + as).isEqualTo(KqlOperators.contains(lhs, needle));
            assertThat(cs.containedIn(lhs)).as("contains_cs " + as).isEqualTo(KqlOperators.containsCs(lhs, needle));
            assertThat(ci.prefixOf(lhs)).as("startswith " + as).isEqualTo(KqlOperators.startsWith(lhs, needle));
            assertThat(ci.suffixOf(lhs)).as("endswith " + as).isEqualTo(KqlOperators.endsWith(lhs, needle));
            assertThat(ci.equalTo(lhs)).as("=~ " + as).isEqualTo(KqlOperators.equalsCi(lhs, needle));
            assertThat(cs.equalTo(lhs)).as("== " + as).isEqualTo(KqlOperators.equalsCs(lhs, needle));
        }
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static KqlCondition randomCondition(Random random, int depth) {
        int shape = depth == 0 ? 3 : random.nextInt(8);
        switch (shape) {
            case 0:
                return new And(randomParts(random, depth));
            case 1:
                return new Or(randomParts(random, depth));
            case 2:
                return new Not(randomCondition(random, depth - 1));
            default:
                return randomLeaf(random);
        }
    }

    private static List<KqlCondition> randomParts(Random random, int depth) {
        List<KqlCondition> parts = new ArrayList<>();
        int count = 2 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            parts.add(randomCondition(random, depth - 1));
        }
        return parts;
    }

    private static KqlCondition randomLeaf(Random random) {
        String column = COLUMNS[random.nextInt(COLUMNS.length)];
        if (random.nextInt(12) == 0) {
            IsEmpty empty = new IsEmpty(column, AT);
            return random.nextBoolean() ? empty : new Not(empty);
        }
        KqlOperator operator = OPERATORS[random.nextInt(OPERATORS.length)];
        List<String> values = new ArrayList<>();
        if (operator == KqlOperator.MATCHES_REGEX) {
            values.add(REGEXES[random.nextInt(REGEXES.length)]);
        } else {
            int count = operator.takesList() ? 1 + random.nextInt(4) : 1;
            for (int i = 0; i < count; i++) {
                values.add(VOCABULARY[random.nextInt(VOCABULARY.length)]);
            }
        }
        Compare compare = new Compare(column, operator, values, AT);
        return random.nextInt(3) == 0 ? new Not(compare) : compare;
    }

    private static DeviceProcessEvent randomRow(Random random) {
        DeviceProcessEvent row = new DeviceProcessEvent();
        row.fileName = randomValue(random, 2);
        row.processCommandLine = randomValue(random, 8);
        row.initiatingProcessFileName = randomValue(random, 2);
        return row;
    }

    private static String randomValue(Random random, int maxPieces) {
        if (random.nextInt(15) == 0) {
            return null;
        }
        StringBuilder value = new StringBuilder();
        int pieces = random.nextInt(maxPieces + 1);
        for (int i = 0; i < pieces; i++) {
            value.append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
            if (random.nextBoolean()) {
                value.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
            }
        }
        return value.toString();
    }

    /**
     * The meaning of a condition tree, read off the text: each operator as {@link KqlOperators}
     * defines it, each part in order, no rewriting, nothing prepared.
     */
    static final class Reference {
        private Reference() {}

        static boolean matches(KqlCondition condition, DefenderTable table, DefenderEvent row) {
            if (condition instanceof And and) {
                return and.parts().stream().allMatch(part -> matches(part, table, row));
            }
            if (condition instanceof Or or) {
                return or.parts().stream().anyMatch(part -> matches(part, table, row));
            }
            if (condition instanceof Not not) {
                return !matches(not.negated(), table, row);
            }
            if (condition instanceof IsEmpty empty) {
                String value = DefenderColumnReader.forColumn(table, empty.column()).readText(row);
                return value == null || value.isEmpty();
            }
            Compare compare = (Compare) condition;
            String text = DefenderColumnReader.forColumn(table, compare.column()).readText(row);
            String value = compare.values().get(0);
            String[] values = compare.values().toArray(String[]::new);
            switch (compare.operator()) {
                case HAS:
                    return KqlOperators.has(text, value);
                case HAS_CS:
                    return KqlOperators.hasCs(text, value);
                case HAS_ANY:
                    return KqlOperators.hasAny(text, values);
                case HAS_ALL:
                    return KqlOperators.hasAll(text, values);
                case CONTAINS:
                    return KqlOperators.contains(text, value);
                case CONTAINS_CS:
                    return KqlOperators.containsCs(text, value);
                case STARTS_WITH:
                    return KqlOperators.startsWith(text, value);
                case ENDS_WITH:
                    return KqlOperators.endsWith(text, value);
                case EQUALS:
                    return KqlOperators.equalsCs(text, value);
                case EQUALS_CI:
                    return KqlOperators.equalsCi(text, value);
                case IN:
                    return KqlOperators.inCs(text, values);
                case IN_CI:
                    return KqlOperators.inCi(text, values);
                case MATCHES_REGEX:
                    return Pattern.compile(value).matcher(text == null ? "" : text).find();
                default:
                    throw new IllegalStateException(compare.operator().toString());
            }
        }
    }
}

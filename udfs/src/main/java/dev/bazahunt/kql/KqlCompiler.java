package dev.bazahunt.kql;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.bazahunt.telemetry.DefenderColumnReader;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DefenderTable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles a {@link KqlQuery} into a {@link CompiledQuery} over the telemetry model, checking what the
 * parser cannot: that the table is one the hunt reads, that each column exists in that table and holds
 * strings, and that each regex is valid RE2. Every refusal carries the line and column of the
 * construct.
 *
 * <p>Each operator runs on {@link KqlOperators}, the same methods the hand-written rules use, so a
 * compiled rule means what the hand-written one meant. {@code matches regex} runs on RE2/J, whose
 * matching time is linear in the input: a pattern from a rule file never backtracks over a command line
 * an attacker wrote. KQL's {@code matches regex} finds the pattern anywhere in the value, like
 * {@link com.google.re2j.Matcher#find()}; a missing value is the empty string, as everywhere in Kusto.
 */
public final class KqlCompiler {

    private KqlCompiler() {}

    /** Parses and compiles {@code query}. */
    public static CompiledQuery compile(String query) {
        return compile(KqlParser.parse(query));
    }

    public static CompiledQuery compile(KqlQuery query) {
        DefenderTable table = DefenderTable.fromNameOrCategory(query.table());
        if (table == null || !table.isHunted() || !query.table().equals(table.tableName())) {
            throw new KqlSyntaxException(query.tablePosition().line(), query.tablePosition().column(),
                    "table '" + query.table() + "' is not one the hunt reads; it reads " + DefenderTable.hunted()
                            + " (names are case-sensitive)");
        }
        Set<String> columns = new LinkedHashSet<>();
        RowPredicate predicate = compile(query.condition(), table, columns);
        return new CompiledQuery(query, table, columns, predicate);
    }

    private static RowPredicate compile(KqlCondition condition, DefenderTable table, Set<String> columns) {
        if (condition instanceof KqlCondition.And and) {
            RowPredicate[] parts = compileAll(and.parts(), table, columns);
            if (parts.length == 3) {
                // The seed's shape (three where clauses): no loop over an array on the hot path.
                RowPredicate first = parts[0];
                RowPredicate second = parts[1];
                RowPredicate third = parts[2];
                return row -> first.test(row) && second.test(row) && third.test(row);
            }
            return row -> {
                for (RowPredicate part : parts) {
                    if (!part.test(row)) {
                        return false;
                    }
                }
                return true;
            };
        }
        if (condition instanceof KqlCondition.Or or) {
            RowPredicate[] parts = compileAll(or.parts(), table, columns);
            return row -> {
                for (RowPredicate part : parts) {
                    if (part.test(row)) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (condition instanceof KqlCondition.Not not) {
            if (not.negated() instanceof KqlCondition.Compare compare) {
                // !~, !has, !in~ ...: one column test with the result inverted, no extra call per row.
                ColumnTest positive = (ColumnTest) compare(compare, table, columns);
                TextTest test = positive.test;
                return new ColumnTest(positive.column, text -> !test.test(text));
            }
            RowPredicate negated = compile(not.negated(), table, columns);
            return row -> !negated.test(row);
        }
        if (condition instanceof KqlCondition.IsEmpty empty) {
            DefenderColumnReader column = column(table, empty.column(), empty.position(), columns);
            return row -> {
                String value = column.readText(row);
                return value == null || value.isEmpty();
            };
        }
        return compare((KqlCondition.Compare) condition, table, columns);
    }

    private static RowPredicate[] compileAll(List<KqlCondition> parts, DefenderTable table, Set<String> columns) {
        RowPredicate[] compiled = new RowPredicate[parts.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = compile(parts.get(i), table, columns);
        }
        return compiled;
    }

    private static RowPredicate compare(KqlCondition.Compare compare, DefenderTable table, Set<String> columns) {
        DefenderColumnReader column = column(table, compare.column(), compare.position(), columns);
        String value = compare.values().get(0);
        String[] values = compare.values().toArray(String[]::new);
        try {
            switch (compare.operator()) {
                case HAS:
                    return new ColumnTest(column, text -> KqlOperators.has(text, value));
                case HAS_CS:
                    return new ColumnTest(column, text -> KqlOperators.hasCs(text, value));
                case HAS_ANY:
                    KqlOperators.hasAny("", values); // Kusto's limits, checked at load
                    return new ColumnTest(column, text -> KqlOperators.hasAny(text, values));
                case HAS_ALL:
                    KqlOperators.hasAll("", values);
                    return new ColumnTest(column, text -> KqlOperators.hasAll(text, values));
                case CONTAINS:
                    return new ColumnTest(column, text -> KqlOperators.contains(text, value));
                case CONTAINS_CS:
                    return new ColumnTest(column, text -> KqlOperators.containsCs(text, value));
                case STARTS_WITH:
                    return new ColumnTest(column, text -> KqlOperators.startsWith(text, value));
                case ENDS_WITH:
                    return new ColumnTest(column, text -> KqlOperators.endsWith(text, value));
                case EQUALS:
                    return new ColumnTest(column, text -> KqlOperators.equalsCs(text, value));
                case EQUALS_CI:
                    return new ColumnTest(column, text -> KqlOperators.equalsCi(text, value));
                case IN:
                    return new ColumnTest(column, text -> KqlOperators.inCs(text, values));
                case IN_CI:
                    return new ColumnTest(column, text -> KqlOperators.inCi(text, values));
                case MATCHES_REGEX:
                    Pattern pattern = regex(value, compare.position());
                    return new ColumnTest(column, text -> pattern.matcher(text == null ? "" : text).find());
                default:
                    throw new IllegalStateException("unhandled operator " + compare.operator());
            }
        } catch (IllegalArgumentException refused) {
            if (refused instanceof KqlSyntaxException) {
                throw refused;
            }
            throw new KqlSyntaxException(compare.position().line(), compare.position().column(),
                    refused.getMessage());
        }
    }

    private static Pattern regex(String pattern, KqlCondition.Position position) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException invalid) {
            throw new KqlSyntaxException(position.line(), position.column(),
                    "not a valid RE2 regular expression: " + invalid.getMessage());
        }
    }

    private static DefenderColumnReader column(DefenderTable table, String name, KqlCondition.Position position,
            Set<String> columns) {
        DefenderColumnReader reader = DefenderColumnReader.forColumn(table, name);
        if (reader == null) {
            throw new KqlSyntaxException(position.line(), position.column(),
                    "column '" + name + "' is not a column of " + table + " that the telemetry model carries"
                            + " (names are case-sensitive)");
        }
        if (!reader.isText()) {
            throw new KqlSyntaxException(position.line(), position.column(), "column '" + name + "' of " + table
                    + " is not a string; the subset compares strings only");
        }
        columns.add(name);
        return reader;
    }

    /** Reads one string column and tests it; a missing value reaches the test as null, i.e. "". */
    private static final class ColumnTest implements RowPredicate {
        private final DefenderColumnReader column;
        private final TextTest test;

        ColumnTest(DefenderColumnReader column, TextTest test) {
            this.column = column;
            this.test = test;
        }

        @Override
        public boolean test(DefenderEvent row) {
            return test.test(column.readText(row));
        }
    }

    @FunctionalInterface
    private interface TextTest {
        boolean test(String text);
    }
}

package dev.bazahunt.kql;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.bazahunt.telemetry.DefenderColumnReader;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DefenderTable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles a {@link KqlQuery} into a {@link CompiledQuery} over the telemetry model, checking what the
 * parser cannot: that the table is one the hunt reads, that each column exists in that table and holds
 * strings, and that each regex is valid RE2. Every refusal carries the line and column of the
 * construct; when a query has several faults, the first in the text is reported.
 *
 * <p>Each operator means what {@link KqlOperators} defines (ASCII terms and case folding, a missing
 * value as the empty string, Kusto's limits on {@code has_any} and {@code has_all}). {@code matches
 * regex} runs on RE2/J, whose matching time is linear in the input: a pattern from a rule file never
 * backtracks over a command line an attacker wrote. KQL's {@code matches regex} finds the pattern
 * anywhere in the value, like {@link com.google.re2j.Matcher#find()}.
 *
 * <h2>What the compiler does for speed</h2>
 * A query's condition is rewritten into an equivalent one before it is built, then built from
 * {@link RowTests}, one specialised class per operator:
 * <ul>
 *   <li>nested {@code and} (the {@code where} clauses included) and nested {@code or} become flat
 *       lists, and {@code not(not(x))} becomes {@code x};
 *   <li>comparisons on one column merge: under {@code and}, {@code !~ a}, {@code !~ b} and
 *       {@code !in~ (…)} become one {@code !in~}, {@code !=}/{@code !in} one {@code !in}, and
 *       {@code has}/{@code has_all} one {@code has_all}; under {@code or}, {@code =~}/{@code in~} become
 *       one {@code in~}, {@code ==}/{@code in} one {@code in}, and {@code has}/{@code has_any} one
 *       {@code has_any}; so each column is read once and each value list tested in one place;
 *   <li>the parts of an {@code and} or {@code or} are ordered by estimated cost, cheapest first
 *       (emptiness, then equality, then prefix and suffix, then term and substring searches, then
 *       regexes), so the short-circuit skips the expensive tests on most rows; the terms of a
 *       {@code has_all} are ordered the same way;
 *   <li>every right side is prepared once ({@link FoldedPattern}): folded, its term boundaries known,
 *       its search anchored on its rarest character;
 *   <li>the tree runs inside a class of its own ({@link QueryTemplate}), so the JIT compiles each
 *       query as if it had been written by hand.
 * </ul>
 * Every rewrite is an identity of Boolean logic over side-effect-free tests, so the compiled query
 * answers every row as the text, evaluated operator by operator, would.
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
        check(query.condition(), table, columns);
        RowPredicate predicate = specialise(build(simplify(query.condition()), table));
        return new CompiledQuery(query, table, columns, predicate);
    }

    /**
     * Refuses what cannot run, in text order (so the first fault is the one reported), and collects
     * the columns the query reads.
     */
    private static void check(KqlCondition condition, DefenderTable table, Set<String> columns) {
        if (condition instanceof KqlCondition.And and) {
            and.parts().forEach(part -> check(part, table, columns));
        } else if (condition instanceof KqlCondition.Or or) {
            or.parts().forEach(part -> check(part, table, columns));
        } else if (condition instanceof KqlCondition.Not not) {
            check(not.negated(), table, columns);
        } else if (condition instanceof KqlCondition.IsEmpty empty) {
            column(table, empty.column(), empty.position());
            columns.add(empty.column());
        } else {
            KqlCondition.Compare compare = (KqlCondition.Compare) condition;
            column(table, compare.column(), compare.position());
            columns.add(compare.column());
            String[] values = compare.values().toArray(String[]::new);
            try {
                switch (compare.operator()) {
                    case HAS_ANY:
                        KqlOperators.hasAny("", values); // Kusto's limits
                        break;
                    case HAS_ALL:
                        KqlOperators.hasAll("", values);
                        break;
                    case MATCHES_REGEX:
                        regex(values[0], compare.position());
                        break;
                    default:
                        break;
                }
            } catch (IllegalArgumentException refused) {
                if (refused instanceof KqlSyntaxException) {
                    throw refused;
                }
                throw new KqlSyntaxException(compare.position().line(), compare.position().column(),
                        refused.getMessage());
            }
        }
    }

    /** The template's class file, copied once per query; null if this class loader cannot give it. */
    private static final byte[] TEMPLATE = templateBytes();

    private static byte[] templateBytes() {
        try (InputStream in = QueryTemplate.class.getResourceAsStream(QueryTemplate.class.getSimpleName() + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException unreadable) {
            return null;
        }
    }

    /**
     * The tree inside a hidden copy of {@link QueryTemplate}. The copy is not strongly held by the class
     * loader: it is unloaded with the last compiled query that uses it. Without the template's class
     * file (an unusual class loader), the tree runs as it is, with the same answers.
     */
    private static RowPredicate specialise(RowPredicate tree) {
        if (TEMPLATE == null) {
            return tree;
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClassWithClassData(TEMPLATE, tree, true);
            return (RowPredicate) lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class))
                    .invoke();
        } catch (Throwable failed) {
            throw new IllegalStateException("cannot define the compiled query's class", failed);
        }
    }

    // ---- the rewrite: flatten, merge, order ----

    /** Merged comparisons: how a leaf joins others on its column, under {@code and} or under {@code or}. */
    private enum Merge {
        IN_CI, IN_CS, TERMS
    }

    static KqlCondition simplify(KqlCondition condition) {
        if (condition instanceof KqlCondition.And and) {
            List<KqlCondition> parts = flatten(and.parts(), true);
            return junction(order(merge(parts, true)), true);
        }
        if (condition instanceof KqlCondition.Or or) {
            List<KqlCondition> parts = flatten(or.parts(), false);
            return junction(order(merge(parts, false)), false);
        }
        if (condition instanceof KqlCondition.Not not) {
            KqlCondition inner = simplify(not.negated());
            return inner instanceof KqlCondition.Not twice ? twice.negated() : new KqlCondition.Not(inner);
        }
        return condition;
    }

    private static List<KqlCondition> flatten(List<KqlCondition> parts, boolean and) {
        List<KqlCondition> flat = new ArrayList<>();
        for (KqlCondition part : parts) {
            KqlCondition simple = simplify(part);
            if (and && simple instanceof KqlCondition.And inner) {
                flat.addAll(inner.parts());
            } else if (!and && simple instanceof KqlCondition.Or inner) {
                flat.addAll(inner.parts());
            } else {
                flat.add(simple);
            }
        }
        return flat;
    }

    private static KqlCondition junction(List<KqlCondition> parts, boolean and) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return and ? new KqlCondition.And(parts) : new KqlCondition.Or(parts);
    }

    /**
     * Merges the comparisons of one column that the junction allows to merge (see the class comment),
     * at the place of the first; the others keep their order. A merge that would exceed Kusto's
     * {@code has_all} or {@code has_any} limit is not made (each part was already checked on its own).
     */
    private static List<KqlCondition> merge(List<KqlCondition> parts, boolean and) {
        Map<String, Integer> slot = new HashMap<>();
        List<KqlCondition> merged = new ArrayList<>();
        List<Set<String>> values = new ArrayList<>();
        for (KqlCondition part : parts) {
            Merge kind = mergeKind(part, and);
            KqlCondition.Compare compare = kind == null ? null : comparison(part);
            String key = kind == null ? null : kind + " " + compare.column();
            Integer at = key == null ? null : slot.get(key);
            if (at != null) {
                Set<String> union = new LinkedHashSet<>(values.get(at));
                union.addAll(compare.values());
                int limit = kind != Merge.TERMS ? Integer.MAX_VALUE
                        : and ? KqlOperators.HAS_ALL_MAX_VALUES : KqlOperators.HAS_ANY_MAX_VALUES;
                if (union.size() <= limit) {
                    values.set(at, union);
                    KqlCondition.Compare first = comparison(merged.get(at));
                    KqlCondition.Compare joined = new KqlCondition.Compare(first.column(), mergedOperator(kind, and),
                            List.copyOf(union), first.position());
                    merged.set(at, part instanceof KqlCondition.Not ? new KqlCondition.Not(joined) : joined);
                    continue;
                }
            }
            if (key != null) {
                slot.put(key, merged.size());
            }
            values.add(kind == null ? Set.of() : new LinkedHashSet<>(compare.values()));
            merged.add(part);
        }
        return merged;
    }

    private static Merge mergeKind(KqlCondition part, boolean and) {
        KqlCondition.Compare compare = comparison(part);
        if (compare == null) {
            return null;
        }
        boolean negated = part instanceof KqlCondition.Not;
        KqlOperator operator = compare.operator();
        if (!negated && (operator == KqlOperator.HAS || operator == (and ? KqlOperator.HAS_ALL : KqlOperator.HAS_ANY))) {
            return Merge.TERMS;
        }
        if (negated == and) { // under and: !~ a and !~ b; under or: =~ a or =~ b
            switch (operator) {
                case EQUALS_CI:
                case IN_CI:
                    return Merge.IN_CI;
                case EQUALS:
                case IN:
                    return Merge.IN_CS;
                default:
                    return null;
            }
        }
        return null;
    }

    private static KqlOperator mergedOperator(Merge kind, boolean and) {
        switch (kind) {
            case IN_CI:
                return KqlOperator.IN_CI;
            case IN_CS:
                return KqlOperator.IN;
            default:
                return and ? KqlOperator.HAS_ALL : KqlOperator.HAS_ANY;
        }
    }

    /** The comparison of a leaf ({@code Compare} or {@code Not(Compare)}), or null for anything else. */
    private static KqlCondition.Compare comparison(KqlCondition part) {
        if (part instanceof KqlCondition.Not not) {
            return not.negated() instanceof KqlCondition.Compare compare ? compare : null;
        }
        return part instanceof KqlCondition.Compare compare ? compare : null;
    }

    private static List<KqlCondition> order(List<KqlCondition> parts) {
        List<KqlCondition> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparingInt(KqlCompiler::cost)); // stable: equal costs keep text order
        return ordered;
    }

    /** A rough cost of evaluating a condition on one row, for ordering only. */
    static int cost(KqlCondition condition) {
        if (condition instanceof KqlCondition.And and) {
            return and.parts().stream().mapToInt(KqlCompiler::cost).sum();
        }
        if (condition instanceof KqlCondition.Or or) {
            return or.parts().stream().mapToInt(KqlCompiler::cost).sum();
        }
        if (condition instanceof KqlCondition.Not not) {
            return cost(not.negated());
        }
        if (condition instanceof KqlCondition.IsEmpty) {
            return 1;
        }
        KqlCondition.Compare compare = (KqlCondition.Compare) condition;
        int values = compare.values().size();
        switch (compare.operator()) {
            case EQUALS:
            case EQUALS_CI:
                return 2;
            case IN:
            case IN_CI:
                return 2 + values / 4;
            case STARTS_WITH:
            case ENDS_WITH:
                return 3;
            case HAS_ANY:
                return 10 * values; // a row without any term tries them all
            case HAS_ALL:
                return 10 + values; // a row without the first term stops there
            case MATCHES_REGEX:
                return 100;
            default:
                return 10;
        }
    }

    // ---- building the predicate ----

    private static RowPredicate build(KqlCondition condition, DefenderTable table) {
        if (condition instanceof KqlCondition.And and) {
            RowPredicate[] parts = buildAll(and.parts(), table);
            switch (parts.length) {
                case 2:
                    return new RowTests.And2(parts[0], parts[1]);
                case 3:
                    return new RowTests.And3(parts[0], parts[1], parts[2]);
                default:
                    return new RowTests.AndN(parts);
            }
        }
        if (condition instanceof KqlCondition.Or or) {
            RowPredicate[] parts = buildAll(or.parts(), table);
            return parts.length == 2 ? new RowTests.Or2(parts[0], parts[1]) : new RowTests.OrN(parts);
        }
        if (condition instanceof KqlCondition.Not not) {
            if (not.negated() instanceof KqlCondition.Compare compare) {
                return leaf(compare, true, table);
            }
            if (not.negated() instanceof KqlCondition.IsEmpty empty) {
                return new RowTests.IsEmpty(column(table, empty.column(), empty.position()).textReader(), true);
            }
            return new RowTests.Not(build(not.negated(), table));
        }
        if (condition instanceof KqlCondition.IsEmpty empty) {
            return new RowTests.IsEmpty(column(table, empty.column(), empty.position()).textReader(), false);
        }
        return leaf((KqlCondition.Compare) condition, false, table);
    }

    private static RowPredicate[] buildAll(List<KqlCondition> parts, DefenderTable table) {
        RowPredicate[] built = new RowPredicate[parts.size()];
        for (int i = 0; i < built.length; i++) {
            built[i] = build(parts.get(i), table);
        }
        return built;
    }

    private static RowPredicate leaf(KqlCondition.Compare compare, boolean negated, DefenderTable table) {
        Function<DefenderEvent, String> column = column(table, compare.column(), compare.position()).textReader();
        String value = compare.values().get(0);
        switch (compare.operator()) {
            case HAS:
                return new RowTests.Has(column, FoldedPattern.ignoringCase(value), negated);
            case HAS_CS:
                return new RowTests.Has(column, FoldedPattern.exact(value), negated);
            case HAS_ANY:
                return new RowTests.HasAny(column, terms(compare.values()), negated);
            case HAS_ALL:
                return new RowTests.HasAll(column, terms(compare.values()), negated);
            case CONTAINS:
                return new RowTests.Contains(column, FoldedPattern.ignoringCase(value), negated);
            case CONTAINS_CS:
                return new RowTests.Contains(column, FoldedPattern.exact(value), negated);
            case STARTS_WITH:
                return new RowTests.StartsWith(column, FoldedPattern.ignoringCase(value), negated);
            case ENDS_WITH:
                return new RowTests.EndsWith(column, FoldedPattern.ignoringCase(value), negated);
            case EQUALS:
                return new RowTests.Equal(column, FoldedPattern.exact(value), negated);
            case EQUALS_CI:
                return new RowTests.Equal(column, FoldedPattern.ignoringCase(value), negated);
            case IN:
                return oneOf(column, compare.values(), false, negated);
            case IN_CI:
                return oneOf(column, compare.values(), true, negated);
            case MATCHES_REGEX:
                return new RowTests.Matches(column, regex(value, compare.position()), negated);
            default:
                throw new IllegalStateException("unhandled operator " + compare.operator());
        }
    }

    /** The distinct terms of a list, cheapest to rule out first: the rarest anchor, then the longest. */
    private static FoldedPattern[] terms(List<String> values) {
        List<FoldedPattern> terms = new ArrayList<>();
        for (String value : new LinkedHashSet<>(values)) {
            terms.add(FoldedPattern.ignoringCase(value));
        }
        terms.sort(Comparator.comparingInt(FoldedPattern::anchorCost)
                .thenComparing(Comparator.comparingInt(FoldedPattern::length).reversed()));
        return terms.toArray(FoldedPattern[]::new);
    }

    private static RowPredicate oneOf(Function<DefenderEvent, String> column, List<String> values, boolean ignoreCase,
            boolean negated) {
        List<FoldedPattern> distinct = new ArrayList<>();
        for (String value : new LinkedHashSet<>(values)) {
            distinct.add(ignoreCase ? FoldedPattern.ignoringCase(value) : FoldedPattern.exact(value));
        }
        if (distinct.size() == 1) {
            return new RowTests.Equal(column, distinct.get(0), negated);
        }
        return RowTests.OneOf.of(column, distinct.toArray(FoldedPattern[]::new), negated);
    }

    private static Pattern regex(String pattern, KqlCondition.Position position) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException invalid) {
            throw new KqlSyntaxException(position.line(), position.column(),
                    "not a valid RE2 regular expression: " + invalid.getMessage());
        }
    }

    private static DefenderColumnReader column(DefenderTable table, String name, KqlCondition.Position position) {
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
        return reader;
    }
}

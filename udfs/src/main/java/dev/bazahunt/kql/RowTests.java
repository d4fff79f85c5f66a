package dev.bazahunt.kql;

import com.google.re2j.Pattern;
import dev.bazahunt.telemetry.DefenderColumnReader;
import dev.bazahunt.telemetry.DefenderEvent;
import java.util.function.Function;

/**
 * The specialised predicates {@link KqlCompiler} builds a query from: one record per operator, each
 * holding its right side prepared ({@link FoldedPattern}) and its column resolved to the field's reader
 * ({@link DefenderColumnReader#textReader()}), and small fixed-arity
 * {@code and}/{@code or} nodes, so that a compiled query is a short chain of direct calls with no
 * per-row lookup, lambda, boxing or allocation. A negated operator ({@code !~}, {@code !has},
 * {@code isnotempty}) is its positive test with {@code negated} set, not a node of its own.
 *
 * <p>They are records on purpose: the JIT trusts a record's final fields as constants, so once
 * {@link QueryTemplate} makes a query's root a constant, the whole tree below it folds into one
 * piece of machine code per query, with no type check between the nodes, down to the field reads.
 */
final class RowTests {

    private RowTests() {}

    /** Reads one string column; a missing value is the empty string, as in Kusto. */
    private static String text(Function<DefenderEvent, String> column, DefenderEvent row) {
        String value = column.apply(row);
        return value == null ? "" : value;
    }

    record And2(RowPredicate first, RowPredicate second) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return first.test(row) && second.test(row);
        }
    }

    record And3(RowPredicate first, RowPredicate second, RowPredicate third) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return first.test(row) && second.test(row) && third.test(row);
        }
    }

    record AndN(RowPredicate[] parts) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            for (RowPredicate part : parts) {
                if (!part.test(row)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or2(RowPredicate first, RowPredicate second) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return first.test(row) || second.test(row);
        }
    }

    record OrN(RowPredicate[] parts) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            for (RowPredicate part : parts) {
                if (part.test(row)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code not(…)} around a compound condition; a single negated comparison is a leaf with {@code negated}. */
    record Not(RowPredicate negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return !negated.test(row);
        }
    }

    /** {@code isempty} ({@code isnotempty} when negated). */
    record IsEmpty(Function<DefenderEvent, String> column, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            String value = column.apply(row);
            return (value == null || value.isEmpty()) != negated;
        }
    }

    /** {@code ==} and {@code =~} with one value, {@code !=} and {@code !~} when negated. */
    record Equal(Function<DefenderEvent, String> column, FoldedPattern value, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return value.equalTo(text(column, row)) != negated;
        }
    }

    record StartsWith(Function<DefenderEvent, String> column, FoldedPattern value, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return value.prefixOf(text(column, row)) != negated;
        }
    }

    record EndsWith(Function<DefenderEvent, String> column, FoldedPattern value, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return value.suffixOf(text(column, row)) != negated;
        }
    }

    /** {@code contains} and {@code contains_cs}. */
    record Contains(Function<DefenderEvent, String> column, FoldedPattern value, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return value.containedIn(text(column, row)) != negated;
        }
    }

    /** {@code has} and {@code has_cs}. */
    record Has(Function<DefenderEvent, String> column, FoldedPattern term, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return term.termOf(text(column, row)) != negated;
        }
    }

    /**
     * {@code in} and {@code in~}, and runs of {@code ==}/{@code =~} on one column joined by {@code or}
     * (their negations joined by {@code and}): the column is read once, and a length that no value has
     * answers without comparing characters.
     */
    record OneOf(Function<DefenderEvent, String> column, FoldedPattern[] values, int minLength, int maxLength, boolean negated)
            implements RowPredicate {

        static OneOf of(Function<DefenderEvent, String> column, FoldedPattern[] values, boolean negated) {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (FoldedPattern value : values) {
                min = Math.min(min, value.length());
                max = Math.max(max, value.length());
            }
            return new OneOf(column, values.clone(), min, max, negated);
        }

        @Override
        public boolean test(DefenderEvent row) {
            String text = text(column, row);
            int length = text.length();
            if (length >= minLength && length <= maxLength) {
                for (FoldedPattern value : values) {
                    if (value.equalTo(text)) {
                        return !negated;
                    }
                }
            }
            return negated;
        }
    }

    /** {@code has_any}, and runs of {@code has} on one column joined by {@code or}. */
    record HasAny(Function<DefenderEvent, String> column, FoldedPattern[] terms, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            String text = text(column, row);
            for (FoldedPattern term : terms) {
                if (term.termOf(text)) {
                    return !negated;
                }
            }
            return negated;
        }
    }

    /**
     * {@code has_all}, and runs of {@code has} on one column joined by {@code and}. The terms are tried
     * in the order the compiler chose (the cheapest to rule out first); any order gives the same answer.
     */
    record HasAll(Function<DefenderEvent, String> column, FoldedPattern[] terms, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            String text = text(column, row);
            for (FoldedPattern term : terms) {
                if (!term.termOf(text)) {
                    return negated;
                }
            }
            return !negated;
        }
    }

    /** {@code matches regex}, on RE2/J: found anywhere in the value. */
    record Matches(Function<DefenderEvent, String> column, Pattern pattern, boolean negated) implements RowPredicate {
        @Override
        public boolean test(DefenderEvent row) {
            return pattern.matcher(text(column, row)).find() != negated;
        }
    }
}

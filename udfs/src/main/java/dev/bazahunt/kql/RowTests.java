package dev.bazahunt.kql;

import com.google.re2j.Pattern;
import dev.bazahunt.telemetry.DefenderColumnReader;
import dev.bazahunt.telemetry.DefenderEvent;

/**
 * The specialised predicates {@link KqlCompiler} builds a query from: one class per operator, each
 * holding its right side prepared ({@link FoldedPattern}) and its column resolved, and small fixed-arity
 * {@code and}/{@code or} nodes, so that a compiled query is a short chain of direct calls with no
 * per-row lookup, lambda, boxing or allocation. A negated operator ({@code !~}, {@code !has},
 * {@code isnotempty}) is its positive test with {@code negated} set, not a node of its own.
 */
final class RowTests {

    private RowTests() {}

    /** Reads one string column; a missing value is the empty string, as in Kusto. */
    private static String text(DefenderColumnReader column, DefenderEvent row) {
        String value = column.readText(row);
        return value == null ? "" : value;
    }

    static final class And2 implements RowPredicate {
        private final RowPredicate first;
        private final RowPredicate second;

        And2(RowPredicate first, RowPredicate second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public boolean test(DefenderEvent row) {
            return first.test(row) && second.test(row);
        }
    }

    static final class And3 implements RowPredicate {
        private final RowPredicate first;
        private final RowPredicate second;
        private final RowPredicate third;

        And3(RowPredicate first, RowPredicate second, RowPredicate third) {
            this.first = first;
            this.second = second;
            this.third = third;
        }

        @Override
        public boolean test(DefenderEvent row) {
            return first.test(row) && second.test(row) && third.test(row);
        }
    }

    static final class AndN implements RowPredicate {
        private final RowPredicate[] parts;

        AndN(RowPredicate[] parts) {
            this.parts = parts.clone();
        }

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

    static final class Or2 implements RowPredicate {
        private final RowPredicate first;
        private final RowPredicate second;

        Or2(RowPredicate first, RowPredicate second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public boolean test(DefenderEvent row) {
            return first.test(row) || second.test(row);
        }
    }

    static final class OrN implements RowPredicate {
        private final RowPredicate[] parts;

        OrN(RowPredicate[] parts) {
            this.parts = parts.clone();
        }

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
    static final class Not implements RowPredicate {
        private final RowPredicate negated;

        Not(RowPredicate negated) {
            this.negated = negated;
        }

        @Override
        public boolean test(DefenderEvent row) {
            return !negated.test(row);
        }
    }

    /** {@code isempty} ({@code isnotempty} when negated). */
    static final class IsEmpty implements RowPredicate {
        private final DefenderColumnReader column;
        private final boolean negated;

        IsEmpty(DefenderColumnReader column, boolean negated) {
            this.column = column;
            this.negated = negated;
        }

        @Override
        public boolean test(DefenderEvent row) {
            String value = column.readText(row);
            return (value == null || value.isEmpty()) != negated;
        }
    }

    /** A test of one column against one prepared value. */
    abstract static class ValueTest implements RowPredicate {
        final DefenderColumnReader column;
        final FoldedPattern value;
        final boolean negated;

        ValueTest(DefenderColumnReader column, FoldedPattern value, boolean negated) {
            this.column = column;
            this.value = value;
            this.negated = negated;
        }
    }

    /** A test of one column against a list of prepared values. */
    abstract static class ListTest implements RowPredicate {
        final DefenderColumnReader column;
        final FoldedPattern[] values;
        final boolean negated;

        ListTest(DefenderColumnReader column, FoldedPattern[] values, boolean negated) {
            this.column = column;
            this.values = values.clone();
            this.negated = negated;
        }
    }

    /** {@code ==} and {@code =~} with one value, {@code !=} and {@code !~} when negated. */
    static final class Equal extends ValueTest {
        Equal(DefenderColumnReader column, FoldedPattern value, boolean negated) {
            super(column, value, negated);
        }

        @Override
        public boolean test(DefenderEvent row) {
            return value.equalTo(text(column, row)) != negated;
        }
    }

    static final class StartsWith extends ValueTest {
        StartsWith(DefenderColumnReader column, FoldedPattern value, boolean negated) {
            super(column, value, negated);
        }

        @Override
        public boolean test(DefenderEvent row) {
            return value.prefixOf(text(column, row)) != negated;
        }
    }

    static final class EndsWith extends ValueTest {
        EndsWith(DefenderColumnReader column, FoldedPattern value, boolean negated) {
            super(column, value, negated);
        }

        @Override
        public boolean test(DefenderEvent row) {
            return value.suffixOf(text(column, row)) != negated;
        }
    }

    /** {@code contains} and {@code contains_cs}. */
    static final class Contains extends ValueTest {
        Contains(DefenderColumnReader column, FoldedPattern value, boolean negated) {
            super(column, value, negated);
        }

        @Override
        public boolean test(DefenderEvent row) {
            return value.containedIn(text(column, row)) != negated;
        }
    }

    /** {@code has} and {@code has_cs}. */
    static final class Has extends ValueTest {
        Has(DefenderColumnReader column, FoldedPattern term, boolean negated) {
            super(column, term, negated);
        }

        @Override
        public boolean test(DefenderEvent row) {
            return value.termOf(text(column, row)) != negated;
        }
    }

    /**
     * {@code in} and {@code in~}, and runs of {@code ==}/{@code =~} on one column joined by {@code or}
     * (their negations joined by {@code and}): the column is read once, and a length that no value has
     * answers without comparing characters.
     */
    static final class OneOf extends ListTest {
        private final int minLength;
        private final int maxLength;

        OneOf(DefenderColumnReader column, FoldedPattern[] values, boolean negated) {
            super(column, values, negated);
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (FoldedPattern value : values) {
                min = Math.min(min, value.length());
                max = Math.max(max, value.length());
            }
            this.minLength = min;
            this.maxLength = max;
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
    static final class HasAny extends ListTest {
        HasAny(DefenderColumnReader column, FoldedPattern[] terms, boolean negated) {
            super(column, terms, negated);
        }

        @Override
        public boolean test(DefenderEvent row) {
            String text = text(column, row);
            for (FoldedPattern term : values) {
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
    static final class HasAll extends ListTest {
        HasAll(DefenderColumnReader column, FoldedPattern[] terms, boolean negated) {
            super(column, terms, negated);
        }

        @Override
        public boolean test(DefenderEvent row) {
            String text = text(column, row);
            for (FoldedPattern term : values) {
                if (!term.termOf(text)) {
                    return negated;
                }
            }
            return !negated;
        }
    }

    /** {@code matches regex}, on RE2/J: found anywhere in the value. */
    static final class Matches implements RowPredicate {
        private final DefenderColumnReader column;
        private final Pattern pattern;
        private final boolean negated;

        Matches(DefenderColumnReader column, Pattern pattern, boolean negated) {
            this.column = column;
            this.pattern = pattern;
            this.negated = negated;
        }

        @Override
        public boolean test(DefenderEvent row) {
            return pattern.matcher(text(column, row)).find() != negated;
        }
    }
}

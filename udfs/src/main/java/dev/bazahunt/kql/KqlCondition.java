package dev.bazahunt.kql;

import java.util.List;

/**
 * The condition tree of a query's {@code where} clauses: what a rule file's KQL means, parsed once.
 * The compiler turns it into a row predicate and the pre-filter derives its needles from it, so the
 * two cannot disagree about what the query says.
 */
public sealed interface KqlCondition {

    /** Every part holds. */
    record And(List<KqlCondition> parts) implements KqlCondition {
        public And {
            parts = List.copyOf(parts);
        }
    }

    /** At least one part holds. */
    record Or(List<KqlCondition> parts) implements KqlCondition {
        public Or {
            parts = List.copyOf(parts);
        }
    }

    /** {@code not(…)}, and the negated operators such as {@code !has} and {@code !~}. */
    record Not(KqlCondition negated) implements KqlCondition {}

    /**
     * {@code Column operator value} or {@code Column operator (value, …)}; one value unless the
     * operator {@link KqlOperator#takesList() takes a list}.
     */
    record Compare(String column, KqlOperator operator, List<String> values, Position position)
            implements KqlCondition {
        public Compare {
            values = List.copyOf(values);
        }
    }

    /** {@code isempty(Column)}: the value is missing or the empty string. */
    record IsEmpty(String column, Position position) implements KqlCondition {}

    /** Where a construct starts in the query text, 1-based. */
    record Position(int line, int column) {}
}

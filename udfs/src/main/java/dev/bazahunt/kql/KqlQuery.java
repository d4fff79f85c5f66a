package dev.bazahunt.kql;

import java.util.List;

/**
 * A parsed query of the subset: {@code Table | where … | where …}. The {@code where} clauses are kept
 * apart in file order; together they mean their conjunction.
 */
public record KqlQuery(String table, KqlCondition.Position tablePosition, List<KqlCondition> filters) {

    public KqlQuery {
        filters = List.copyOf(filters);
    }

    /** The conjunction of every {@code where} clause. */
    public KqlCondition condition() {
        return filters.size() == 1 ? filters.get(0) : new KqlCondition.And(filters);
    }
}

package dev.bazahunt.kql;

import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DefenderTable;
import java.util.Set;

/**
 * A query compiled against the telemetry model: the table it reads, the columns it reads, and a
 * predicate over that table's rows. Built once at start-up by {@link KqlCompiler}; {@link #matches} is
 * the hot path.
 */
public final class CompiledQuery {
    private final KqlQuery query;
    private final DefenderTable table;
    private final Set<String> columns;
    private final RowPredicate predicate;

    CompiledQuery(KqlQuery query, DefenderTable table, Set<String> columns, RowPredicate predicate) {
        this.query = query;
        this.table = table;
        this.columns = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(columns));
        this.predicate = predicate;
    }

    /** Whether the row belongs to the query's table and every {@code where} clause holds for it. */
    public boolean matches(DefenderEvent row) {
        return row.table() == table && predicate.test(row);
    }

    public DefenderTable table() {
        return table;
    }

    /** The wire names of the columns the query reads. */
    public Set<String> columns() {
        return columns;
    }

    /** The predicate {@link #matches} runs, for tests. */
    RowPredicate predicate() {
        return predicate;
    }

    /** The condition tree it was compiled from. */
    public KqlQuery query() {
        return query;
    }
}

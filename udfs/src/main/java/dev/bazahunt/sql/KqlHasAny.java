package dev.bazahunt.sql;

import dev.bazahunt.kql.KqlOperators;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code KQL_HAS_ANY}: KQL {@code has_any} in Flink SQL, with the terms as trailing arguments, e.g.
 * {@code KQL_HAS_ANY(InitiatingProcessCommandLine, '-urlcache', 'split', 'http')}. SQL NULL is the empty
 * string, as in Kusto; never returns NULL. Too many terms fail the query, as Kusto would reject it.
 */
public class KqlHasAny extends ScalarFunction {

    public boolean eval(String lhs, String... terms) {
        return KqlOperators.hasAny(lhs, terms);
    }
}

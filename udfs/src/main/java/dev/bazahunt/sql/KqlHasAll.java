package dev.bazahunt.sql;

import dev.bazahunt.kql.KqlOperators;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code KQL_HAS_ALL}: KQL {@code has_all} in Flink SQL, with the terms as trailing arguments, e.g.
 * {@code KQL_HAS_ALL(InitiatingProcessCommandLine, '-urlcache', 'split', 'http')}. SQL NULL is the empty
 * string, as in Kusto; never returns NULL. Too many terms fail the query, as Kusto would reject it.
 */
public class KqlHasAll extends ScalarFunction {

    public boolean eval(String lhs, String... terms) {
        return KqlOperators.hasAll(lhs, terms);
    }
}

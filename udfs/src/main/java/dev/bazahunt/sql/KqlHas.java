package dev.bazahunt.sql;

import dev.bazahunt.kql.KqlOperators;
import org.apache.flink.table.functions.ScalarFunction;

/** {@code KQL_HAS}: KQL {@code has} in Flink SQL. SQL NULL is the empty string, as in Kusto; never returns NULL. */
public class KqlHas extends ScalarFunction {

    public boolean eval(String lhs, String term) {
        return KqlOperators.has(lhs, term);
    }
}

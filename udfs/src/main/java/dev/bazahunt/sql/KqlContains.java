package dev.bazahunt.sql;

import dev.bazahunt.kql.KqlOperators;
import org.apache.flink.table.functions.ScalarFunction;

/** {@code KQL_CONTAINS}: KQL {@code contains} in Flink SQL. SQL NULL is the empty string, as in Kusto; never returns NULL. */
public class KqlContains extends ScalarFunction {

    public boolean eval(String lhs, String rhs) {
        return KqlOperators.contains(lhs, rhs);
    }
}

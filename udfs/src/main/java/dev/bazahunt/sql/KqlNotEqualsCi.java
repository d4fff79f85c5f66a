package dev.bazahunt.sql;

import dev.bazahunt.kql.KqlOperators;
import org.apache.flink.table.functions.ScalarFunction;

/** {@code KQL_NOT_EQUALS_CI}: KQL {@code !~} in Flink SQL. SQL NULL is the empty string, as in Kusto; never returns NULL. */
public class KqlNotEqualsCi extends ScalarFunction {

    public boolean eval(String lhs, String rhs) {
        return KqlOperators.notEqualsCi(lhs, rhs);
    }
}

package dev.bazahunt.sql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.UserDefinedFunction;

/**
 * Registers the KQL operators as Flink SQL functions, so a hunting query can be written in SQL with the
 * same semantics as the Java rules: both delegate to {@link dev.bazahunt.kql.KqlOperators}.
 */
public final class KqlFunctions {

    /** SQL function names and their implementations, in registration order. */
    public static final Map<String, Class<? extends UserDefinedFunction>> FUNCTIONS = functions();

    private KqlFunctions() {}

    /** Registers every KQL function as a temporary system function, callable without a catalog prefix. */
    public static void registerAll(TableEnvironment env) {
        FUNCTIONS.forEach(env::createTemporarySystemFunction);
    }

    private static Map<String, Class<? extends UserDefinedFunction>> functions() {
        Map<String, Class<? extends UserDefinedFunction>> functions = new LinkedHashMap<>();
        functions.put("KQL_HAS", KqlHas.class);
        functions.put("KQL_HAS_ALL", KqlHasAll.class);
        functions.put("KQL_HAS_ANY", KqlHasAny.class);
        functions.put("KQL_EQUALS_CI", KqlEqualsCi.class);
        functions.put("KQL_NOT_EQUALS_CI", KqlNotEqualsCi.class);
        functions.put("KQL_CONTAINS", KqlContains.class);
        return Collections.unmodifiableMap(functions);
    }
}

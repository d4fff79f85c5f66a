package dev.bazahunt.tuning;

import dev.bazahunt.kql.KqlOperators;
import java.util.List;

/**
 * The KQL operators an exclusion condition may use, spelled as in KQL. Each one delegates to
 * {@link KqlOperators}, so an exclusion means what the same {@code where} clause means in Advanced
 * Hunting, null columns included (they compare as the empty string).
 */
enum ConditionOperator {
    EQUALS_CI("=~", false),
    NOT_EQUALS_CI("!~", false),
    EQUALS_CS("==", false),
    HAS("has", false),
    NOT_HAS("!has", false),
    HAS_CS("has_cs", false),
    HAS_ALL("has_all", true),
    HAS_ANY("has_any", true),
    CONTAINS("contains", false),
    NOT_CONTAINS("!contains", false),
    STARTS_WITH("startswith", false),
    ENDS_WITH("endswith", false),
    IN_CI("in~", true);

    final String symbol;
    /** Takes {@code values: [...]}; the others take a single {@code value}. */
    final boolean takesList;

    ConditionOperator(String symbol, boolean takesList) {
        this.symbol = symbol;
        this.takesList = takesList;
    }

    /** The operator spelled {@code symbol} exactly (KQL operators are lower case), or null. */
    static ConditionOperator bySymbol(String symbol) {
        for (ConditionOperator operator : values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        return null;
    }

    static List<String> symbols() {
        return java.util.Arrays.stream(values()).map(operator -> operator.symbol).toList();
    }

    /** Applies the operator; {@code values} has exactly one element unless {@link #takesList}. */
    boolean test(String column, List<String> values) {
        switch (this) {
            case EQUALS_CI: return KqlOperators.equalsCi(column, values.get(0));
            case NOT_EQUALS_CI: return KqlOperators.notEqualsCi(column, values.get(0));
            case EQUALS_CS: return KqlOperators.equalsCs(column, values.get(0));
            case HAS: return KqlOperators.has(column, values.get(0));
            case NOT_HAS: return KqlOperators.notHas(column, values.get(0));
            case HAS_CS: return KqlOperators.hasCs(column, values.get(0));
            case HAS_ALL: return KqlOperators.hasAll(column, values);
            case HAS_ANY: return KqlOperators.hasAny(column, values);
            case CONTAINS: return KqlOperators.contains(column, values.get(0));
            case NOT_CONTAINS: return KqlOperators.notContains(column, values.get(0));
            case STARTS_WITH: return KqlOperators.startsWith(column, values.get(0));
            case ENDS_WITH: return KqlOperators.endsWith(column, values.get(0));
            case IN_CI: return KqlOperators.inCi(column, values);
            default: throw new IllegalStateException("operator without evaluation: " + symbol);
        }
    }
}

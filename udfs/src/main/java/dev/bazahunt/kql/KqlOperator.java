package dev.bazahunt.kql;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The string operators of the subset, by their KQL spelling. A negated operator ({@code !has},
 * {@code !in~}) is its positive form under {@link KqlCondition.Not}, so that code walking the tree (the
 * pre-filter's needle derivation) sees one shape for both.
 */
public enum KqlOperator {
    HAS("has", false),
    HAS_CS("has_cs", false),
    HAS_ANY("has_any", true),
    HAS_ALL("has_all", true),
    CONTAINS("contains", false),
    CONTAINS_CS("contains_cs", false),
    STARTS_WITH("startswith", false),
    ENDS_WITH("endswith", false),
    EQUALS("==", false),
    EQUALS_CI("=~", false),
    IN("in", true),
    IN_CI("in~", true),
    /** {@code matches regex}: RE2 syntax, searched anywhere in the value, case-sensitive unless the pattern says. */
    MATCHES_REGEX("matches regex", false);

    private static final Map<String, KqlOperator> BY_SPELLING =
            Arrays.stream(values()).collect(Collectors.toMap(op -> op.spelling, Function.identity()));

    /** Negated spellings and the positive operator each negates. */
    private static final Map<String, KqlOperator> NEGATED = Map.of(
            "!has", HAS, "!has_cs", HAS_CS, "!contains", CONTAINS, "!contains_cs", CONTAINS_CS,
            "!startswith", STARTS_WITH, "!endswith", ENDS_WITH, "!=", EQUALS, "!~", EQUALS_CI,
            "!in", IN, "!in~", IN_CI);

    private final String spelling;
    private final boolean takesList;

    KqlOperator(String spelling, boolean takesList) {
        this.spelling = spelling;
        this.takesList = takesList;
    }

    public String spelling() {
        return spelling;
    }

    /** Whether the right side is a parenthesised list of strings. */
    public boolean takesList() {
        return takesList;
    }

    static KqlOperator positive(String spelling) {
        return BY_SPELLING.get(spelling);
    }

    static KqlOperator negated(String spelling) {
        return NEGATED.get(spelling);
    }
}

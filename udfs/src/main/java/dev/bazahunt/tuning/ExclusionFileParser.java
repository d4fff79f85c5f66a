package dev.bazahunt.tuning;

import dev.bazahunt.kql.KqlOperators;
import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.rules.RuleDefinition;
import dev.bazahunt.telemetry.DefenderColumnReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the located YAML tree of an exclusions file into {@link Exclusion}s, checking everything a typo
 * could break: shape, required fields, column names, operators, rule ids and list limits. Each problem is
 * reported at the line of the key or value that causes it.
 */
final class ExclusionFileParser {
    private static final Set<String> ENTRY_KEYS = Set.of("name", "reason", "rules", "conditions");
    private static final Set<String> LEAF_KEYS = Set.of("column", "operator", "value", "values", "normalize");
    private static final Set<String> BRANCH_KEYS = Set.of("all", "any", "not");

    private final String sourceName;
    private final Set<String> knownRuleIds;

    ExclusionFileParser(String sourceName, RuleCatalog rules) {
        this.sourceName = sourceName;
        this.knownRuleIds = new HashSet<>();
        for (RuleDefinition rule : rules.all()) {
            knownRuleIds.add(rule.id());
        }
    }

    List<Exclusion> parse(LocatedYaml document) {
        requireMapping(document, "the file");
        requireOnlyKeys(document, Set.of("exclusions"), "the file");
        LocatedYaml list = require(document, "exclusions", "the file");
        if (!list.isSequence()) {
            throw fail(list.line, "'exclusions' must be a list of entries");
        }
        List<Exclusion> exclusions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (LocatedYaml entry : list.items()) {
            Exclusion exclusion = entry(entry);
            if (!names.add(exclusion.name())) {
                throw fail(entry.lineOf("name"), "exclusion name '" + exclusion.name() + "' is used twice");
            }
            exclusions.add(exclusion);
        }
        return exclusions;
    }

    private Exclusion entry(LocatedYaml entry) {
        requireMapping(entry, "an exclusion");
        requireOnlyKeys(entry, ENTRY_KEYS, "an exclusion");
        String name = requiredText(entry, "name", "an exclusion");
        String what = "exclusion '" + name + "'";
        String reason = requiredText(entry, "reason", what);
        Set<String> ruleIds = new LinkedHashSet<>();
        for (LocatedYaml id : nonEmptyList(require(entry, "rules", what), "rules of " + what)) {
            String ruleId = scalarText(id, "a rule id");
            if (!knownRuleIds.contains(ruleId)) {
                throw fail(id.line, "unknown rule id '" + ruleId + "' in " + what + "; known ids: " + knownRuleIds);
            }
            ruleIds.add(ruleId);
        }
        ExclusionCondition conditions = condition(require(entry, "conditions", what));
        return new Exclusion(name, reason, Set.copyOf(ruleIds), conditions, sourceName, entry.line);
    }

    private ExclusionCondition condition(LocatedYaml node) {
        requireMapping(node, "a condition");
        Map<String, LocatedYaml> entries = node.entries();
        for (String branch : BRANCH_KEYS) {
            if (entries.containsKey(branch)) {
                if (entries.size() != 1) {
                    throw fail(node.lineOf(branch), "'" + branch + "' must be the only key of its condition");
                }
                return branch(branch, entries.get(branch));
            }
        }
        return columnTest(node);
    }

    private ExclusionCondition branch(String kind, LocatedYaml body) {
        if (kind.equals("not")) {
            return new ExclusionCondition.Not(condition(body));
        }
        List<ExclusionCondition> children = new ArrayList<>();
        for (LocatedYaml child : nonEmptyList(body, "'" + kind + "'")) {
            children.add(condition(child));
        }
        return kind.equals("all")
                ? new ExclusionCondition.AllOf(List.copyOf(children))
                : new ExclusionCondition.AnyOf(List.copyOf(children));
    }

    private ExclusionCondition columnTest(LocatedYaml node) {
        for (String key : node.entries().keySet()) {
            if (!LEAF_KEYS.contains(key)) {
                throw fail(node.lineOf(key), "unknown key '" + key + "' in a condition; a condition is all, any, "
                        + "not, or column/operator/value(s)/normalize");
            }
        }
        String columnName = requiredText(node, "column", "a condition");
        DefenderColumnReader column = DefenderColumnReader.forColumn(columnName);
        if (column == null) {
            throw fail(node.lineOf("column"), "unknown column '" + columnName
                    + "'; use a DeviceFileEvents or DeviceProcessEvents column name as Defender spells it");
        }
        String symbol = requiredText(node, "operator", "a condition on " + columnName);
        ConditionOperator operator = ConditionOperator.bySymbol(symbol);
        if (operator == null) {
            throw fail(node.lineOf("operator"), "unknown operator '" + symbol + "'; known: " + ConditionOperator.symbols());
        }
        List<String> values = operands(node, operator, columnName);
        return new ExclusionCondition.ColumnTest(column, operator, values, normalizeFlag(node));
    }

    private List<String> operands(LocatedYaml node, ConditionOperator operator, String columnName) {
        String wanted = operator.takesList ? "values" : "value";
        String unwanted = operator.takesList ? "value" : "values";
        String what = "'" + operator.symbol + "' on " + columnName;
        if (node.entries().containsKey(unwanted)) {
            throw fail(node.lineOf(unwanted), what + " takes '" + wanted + "', not '" + unwanted + "'");
        }
        LocatedYaml operand = require(node, wanted, what);
        if (!operator.takesList) {
            return List.of(scalarText(operand, "the value of " + what));
        }
        List<String> values = new ArrayList<>();
        for (LocatedYaml item : nonEmptyList(operand, "the values of " + what)) {
            values.add(scalarText(item, "a value of " + what));
        }
        int distinct = new HashSet<>(values).size();
        if (operator == ConditionOperator.HAS_ALL && distinct > KqlOperators.HAS_ALL_MAX_VALUES) {
            throw fail(operand.line, what + " has " + distinct + " distinct values; KQL considers at most "
                    + KqlOperators.HAS_ALL_MAX_VALUES);
        }
        if (operator == ConditionOperator.HAS_ANY && distinct > KqlOperators.HAS_ANY_MAX_VALUES) {
            throw fail(operand.line, what + " has " + distinct + " distinct values; KQL considers at most "
                    + KqlOperators.HAS_ANY_MAX_VALUES);
        }
        return List.copyOf(values);
    }

    private boolean normalizeFlag(LocatedYaml node) {
        LocatedYaml flag = node.entries().get("normalize");
        if (flag == null) {
            return false;
        }
        String text = flag.isScalar() ? flag.text() : null;
        if (!"true".equals(text) && !"false".equals(text)) {
            throw fail(flag.line, "'normalize' must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private List<LocatedYaml> nonEmptyList(LocatedYaml node, String what) {
        if (!node.isSequence() || node.items().isEmpty()) {
            throw fail(node.line, what + " must be a non-empty list");
        }
        return node.items();
    }

    private LocatedYaml require(LocatedYaml mapping, String key, String owner) {
        LocatedYaml value = mapping.entries().get(key);
        if (value == null) {
            throw fail(mapping.line, "'" + key + "' is missing in " + owner);
        }
        return value;
    }

    private String requiredText(LocatedYaml mapping, String key, String owner) {
        String text = scalarText(require(mapping, key, owner), "'" + key + "' of " + owner);
        if (text.isBlank()) {
            throw fail(mapping.lineOf(key), "'" + key + "' of " + owner + " is empty");
        }
        return text;
    }

    /** A scalar's text. An empty scalar is an error, not "": write {@code ""} to compare with empty. */
    private String scalarText(LocatedYaml node, String what) {
        if (!node.isScalar() || node.text() == null) {
            throw fail(node.line, what + " must be a single value");
        }
        return node.text();
    }

    private void requireMapping(LocatedYaml node, String what) {
        if (!node.isMapping()) {
            throw fail(node.line, what + " must be a mapping of keys to values");
        }
    }

    private void requireOnlyKeys(LocatedYaml mapping, Set<String> allowed, String what) {
        for (String key : mapping.entries().keySet()) {
            if (!allowed.contains(key)) {
                throw fail(mapping.lineOf(key), "unknown key '" + key + "' in " + what + "; expected " + allowed);
            }
        }
    }

    private ExclusionFileException fail(int line, String problem) {
        return new ExclusionFileException(sourceName, line, problem);
    }
}

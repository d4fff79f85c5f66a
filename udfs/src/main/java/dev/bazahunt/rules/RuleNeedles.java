package dev.bazahunt.rules;

import dev.bazahunt.kql.KqlNeedles;
import dev.bazahunt.telemetry.DefenderTable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The raw pre-filter's needles, derived from the compiled queries of every rule file in the catalog,
 * so a new rule file brings its own needles and no one writes one by hand. Every rule is covered, not
 * only those a hunt selects: a superset of needles only makes the filter parse more, never miss a row.
 *
 * <p>A needle shorter than {@value #MIN_NEEDLE_BYTES} bytes would make the scan stop too often, so a
 * rule whose needles include one is covered by its table's name instead: an Event Hubs or Storage
 * record names the table in its {@code category}, a Sentinel row in its {@code Type}, and a file of
 * rows that name neither is read whole when its path names that table ({@link #parsesWholeFilesOf}).
 */
public final class RuleNeedles {
    /** The scan looks for needles at every fourth byte, so each must span at least five. */
    public static final int MIN_NEEDLE_BYTES = 5;

    private static final RuleNeedles STANDARD = derive(RuleCatalog.standard());

    private final Map<String, Set<String>> byRule;
    private final Set<String> needles;
    private final Set<DefenderTable> coveredByTableName;

    private RuleNeedles(Map<String, Set<String>> byRule, Set<String> needles, Set<DefenderTable> coveredByTableName) {
        this.byRule = byRule;
        this.needles = needles;
        this.coveredByTableName = coveredByTableName;
    }

    public static RuleNeedles standard() {
        return STANDARD;
    }

    static RuleNeedles derive(RuleCatalog catalog) {
        Map<String, Set<String>> byRule = new LinkedHashMap<>();
        Set<String> all = new TreeSet<>();
        Set<DefenderTable> byTableName = EnumSet.noneOf(DefenderTable.class);
        for (RuleDefinition rule : catalog.all()) {
            if (!rule.runsQuery()) {
                continue;
            }
            var query = catalog.compiledQuery(rule.id());
            Set<String> needles = KqlNeedles.of(query.query());
            if (needles == null || needles.stream().anyMatch(n -> n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    < MIN_NEEDLE_BYTES)) {
                needles = Set.of(query.table().tableName().toLowerCase(Locale.ROOT));
                byTableName.add(query.table());
            }
            byRule.put(rule.id(), Collections.unmodifiableSet(new TreeSet<>(needles)));
            all.addAll(needles);
        }
        return new RuleNeedles(Collections.unmodifiableMap(byRule), Collections.unmodifiableSet(all),
                Collections.unmodifiableSet(byTableName));
    }

    /** Every needle, lower case; a row any rule matches holds one of them, ASCII case folded. */
    public Set<String> needles() {
        return needles;
    }

    /** The needles that cover one rule. */
    public Set<String> of(String ruleId) {
        return byRule.get(ruleId);
    }

    /**
     * Whether rows of this table are covered by the table's name, so a file whose rows do not name their
     * table but whose path names this one must be read without the pre-filter.
     */
    public boolean parsesWholeFilesOf(DefenderTable table) {
        return table != null && coveredByTableName.contains(table);
    }

    /** For error messages and the README: rule id to needles. */
    public Map<String, Set<String>> byRule() {
        return byRule;
    }

    /** Needles in file order of their rules, for tests. */
    List<String> list() {
        return List.copyOf(needles);
    }
}

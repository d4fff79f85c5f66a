package dev.bazahunt.rules;

import dev.bazahunt.telemetry.KeyColumns;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key columns of a hunt: {@link KeyColumns#IDENTITY} plus the columns its loaded rules read.
 * A parser built with them repairs a bad value anywhere else to null instead of dropping the row.
 *
 * <p>A rule file's compiled query names the columns it reads ({@link dev.bazahunt.kql.CompiledQuery#columns()});
 * a rule written in Java states them next to its logic ({@code COLUMNS_READ}), so neither list can
 * drift from the code.
 */
public final class RuleColumns {
    private RuleColumns() {}

    /**
     * The standard catalog's rules: every compiled rule file (the faithful rule and the pack), the hardened
     * certutil rule and the Excel stages of the correlation.
     */
    public static KeyColumns builtIn() {
        Map<String, Collection<String>> rules = new LinkedHashMap<>();
        RuleCatalog catalog = RuleCatalog.standard();
        for (RuleDefinition rule : catalog.all()) {
            if (rule.runsQuery()) {
                rules.put(rule.id(), catalog.compiledQuery(rule.id()).columns());
            } else if (rule.id().equals(RuleIds.CERTUTIL_DOWNLOAD_HARDENED)) {
                rules.put(rule.id(), HardenedCertutilRule.COLUMNS_READ);
            } else if (rule.id().equals(RuleIds.BAZACALL_CORRELATION)) {
                rules.put(rule.id(), ExcelMacroActivity.COLUMNS_READ);
            }
        }
        return of(rules);
    }

    /**
     * {@link KeyColumns#IDENTITY} plus, for each rule id, the columns that rule reads (in the map's
     * iteration order, which only decides the role a shared column is reported under).
     *
     * @throws IllegalArgumentException when a rule reads a column the telemetry model does not carry
     */
    public static KeyColumns of(Map<String, ? extends Collection<String>> columnsReadByRule) {
        KeyColumns keys = KeyColumns.IDENTITY;
        for (Map.Entry<String, ? extends Collection<String>> rule : columnsReadByRule.entrySet()) {
            keys = keys.withRuleColumns(rule.getKey(), rule.getValue());
        }
        return keys;
    }
}

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
 * <p>Each rule states the columns it reads next to its logic ({@code COLUMNS_READ}), so this list and
 * the code cannot drift apart; a rule compiled from a query file supplies the columns its query
 * references through {@link #of(Map)}.
 */
public final class RuleColumns {
    private RuleColumns() {}

    /** The built-in rules: the faithful and hardened certutil rules and the Excel stages of the correlation. */
    public static KeyColumns builtIn() {
        Map<String, List<String>> rules = new LinkedHashMap<>();
        rules.put(RuleIds.CERTUTIL_DOWNLOAD, CertutilDownloadRule.COLUMNS_READ);
        rules.put(RuleIds.CERTUTIL_DOWNLOAD_HARDENED, HardenedCertutilRule.COLUMNS_READ);
        rules.put(RuleIds.BAZACALL_CORRELATION, ExcelMacroActivity.COLUMNS_READ);
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

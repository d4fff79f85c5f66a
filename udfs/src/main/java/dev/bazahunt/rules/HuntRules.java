package dev.bazahunt.rules;

import dev.bazahunt.kql.CompiledQuery;
import dev.bazahunt.telemetry.DefenderEvent;
import dev.bazahunt.telemetry.DefenderTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules one hunt runs: the compiled queries of the selected {@code engine: kql} rules, grouped by
 * table so that a row is offered only to the rules of its own table, plus the selected Java rules.
 * The job loops over {@link #matching}; nothing in it names a rule class. Built from the catalog in
 * each task's {@code open()}; the selection itself ({@link #selectedIds}) is what travels with the job.
 */
public final class HuntRules {
    private final RuleCatalog catalog;
    private final List<String> selectedIds;
    private final Map<DefenderTable, CompiledRule[]> byTable = new EnumMap<>(DefenderTable.class);

    /** One compiled rule, as the hot loop needs it. */
    public record CompiledRule(String id, CompiledQuery query) {}

    private HuntRules(RuleCatalog catalog, List<String> selectedIds) {
        this.catalog = catalog;
        this.selectedIds = List.copyOf(selectedIds);
        Map<DefenderTable, List<CompiledRule>> grouped = new EnumMap<>(DefenderTable.class);
        for (String id : selectedIds) {
            RuleDefinition rule = catalog.byId(id);
            if (rule.runsQuery()) {
                CompiledQuery query = catalog.compiledQuery(id);
                grouped.computeIfAbsent(query.table(), t -> new ArrayList<>()).add(new CompiledRule(id, query));
            }
        }
        for (DefenderTable table : DefenderTable.values()) {
            byTable.put(table, grouped.getOrDefault(table, List.of()).toArray(CompiledRule[]::new));
        }
    }

    /**
     * The rules a hunt runs by default: every rule of the catalog that runs on its own. The hardened
     * rule is left out (it is opt-in, {@code --hardened}), and so is the correlation rule, which is not
     * selected but follows from the faithful rule.
     */
    public static List<String> defaultIds(RuleCatalog catalog) {
        List<String> ids = new ArrayList<>();
        for (RuleDefinition rule : catalog.all()) {
            if (rule.runsQuery()) {
                ids.add(rule.id());
            }
        }
        return ids;
    }

    /**
     * The selected rules; every id must name a rule that runs on its own ({@code engine: kql}), so a
     * typo fails at start-up with the ids that exist.
     */
    public static HuntRules select(RuleCatalog catalog, List<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no rules selected");
        }
        Set<String> runnable = new TreeSet<>(defaultIds(catalog));
        for (String id : ids) {
            if (!runnable.contains(id)) {
                throw new IllegalArgumentException("'" + id + "' is not a rule that can be selected; rules: "
                        + describe(catalog));
            }
        }
        return new HuntRules(catalog, List.copyOf(new LinkedHashSet<>(ids)));
    }

    public static HuntRules standard() {
        RuleCatalog catalog = RuleCatalog.standard();
        return select(catalog, defaultIds(catalog));
    }

    /** "id (name), …" of the selectable rules, for error messages and help. */
    public static String describe(RuleCatalog catalog) {
        List<String> names = new ArrayList<>();
        for (String id : defaultIds(catalog)) {
            names.add(id + " (" + catalog.byId(id).name() + ")");
        }
        return String.join(", ", names);
    }

    /** The compiled rules of the row's table, in rule-file order; an empty array when none reads it. */
    public CompiledRule[] forTable(DefenderTable table) {
        return byTable.get(table);
    }

    /** Whether the hunt runs this rule. */
    public boolean runs(String ruleId) {
        return selectedIds.contains(ruleId);
    }

    public List<String> selectedIds() {
        return selectedIds;
    }

    /** The ids of the selected rules that match {@code row}, in rule-file order. */
    public List<String> matching(DefenderEvent row) {
        List<String> ids = new ArrayList<>(1);
        for (CompiledRule rule : forTable(row.table())) {
            if (rule.query().matches(row)) {
                ids.add(rule.id());
            }
        }
        return ids;
    }

    /**
     * The tables the selected rules read, with the tables the faithful rule's correlation reads when
     * it runs and those of the hardened rule when {@code hardened}: what a replay must read at all.
     */
    public Set<DefenderTable> tablesRead(boolean hardened) {
        Set<DefenderTable> tables = EnumSet.noneOf(DefenderTable.class);
        byTable.forEach((table, rules) -> {
            if (rules.length > 0) {
                tables.add(table);
            }
        });
        List<String> javaRules = new ArrayList<>();
        if (runs(RuleIds.CERTUTIL_DOWNLOAD)) {
            javaRules.add(RuleIds.BAZACALL_CORRELATION);
        }
        if (hardened) {
            javaRules.add(RuleIds.CERTUTIL_DOWNLOAD_HARDENED);
        }
        for (String id : javaRules) {
            for (String name : catalog.byId(id).tables()) {
                tables.add(DefenderTable.fromNameOrCategory(name));
            }
        }
        return Collections.unmodifiableSet(tables);
    }

    /**
     * Per table, the wire names of the columns the selected compiled rules read (for a reader of lenient
     * rows: the columns that must parse). Java rules declare no columns and are not included.
     */
    public Map<DefenderTable, Set<String>> columnsRead() {
        Map<DefenderTable, Set<String>> columns = new EnumMap<>(DefenderTable.class);
        byTable.forEach((table, rules) -> {
            for (CompiledRule rule : rules) {
                columns.computeIfAbsent(table, t -> new TreeSet<>()).addAll(rule.query().columns());
            }
        });
        return Collections.unmodifiableMap(columns);
    }
}

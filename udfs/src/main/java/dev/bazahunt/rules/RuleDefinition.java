package dev.bazahunt.rules;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One detection rule as data: identity, ATT&amp;CK mapping, the query it ports, and what an analyst needs
 * to triage it. Loaded from a YAML file under {@code rules/} by {@link RuleCatalog}; alerts take their
 * metadata from here rather than from literals in code. Immutable: every list and map is a copy.
 *
 * @param id rule id, a UUID; for a ported query, the upstream query's id
 * @param severity Sentinel severity
 * @param tactics ATT&amp;CK tactic names without spaces, e.g. {@code DefenseEvasion}, as Sentinel writes them
 * @param techniques techniques every alert of this rule carries
 * @param query the KQL this rule implements, verbatim when the rule is a port
 * @param source where the query was published; null for rules written in this project
 * @param falsePositives known benign activity that matches the rule; may be empty
 * @param campaign the threat campaign the rule hunts and the kill-chain stage a hit shows, or null when
 *     the rule is not campaign-specific
 * @param stageTechniques techniques added to an alert when a named stage of the attack was observed;
 *     empty for single-event rules
 * @param relatedQueries published queries this rule builds on; may be empty
 * @param incident when a campaign incident rule raises an incident and how severe it is; null for every
 *     other rule
 * @param engine what runs the rule: {@code kql} (the default) compiles and runs {@code query} itself;
 *     {@code java} marks a rule whose logic is Java code in this project and whose query is a KQL
 *     rendering for analysts, outside the subset that compiles
 * @param tables for a {@code java} rule, the tables its code reads, if it reads telemetry itself (a
 *     {@code kql} rule's table is its query's); empty for a {@code kql} rule
 */
public record RuleDefinition(
        String id,
        String name,
        String description,
        Severity severity,
        List<String> tactics,
        List<MitreTechnique> techniques,
        String query,
        RuleSource source,
        List<FalsePositiveScenario> falsePositives,
        Triage triage,
        CampaignMembership campaign,
        Map<String, List<MitreTechnique>> stageTechniques,
        List<RelatedQuery> relatedQueries,
        IncidentPolicy incident,
        String engine,
        List<String> tables)
        implements Serializable {

    /** The rule's {@code query} is compiled and is what runs. */
    public static final String ENGINE_KQL = "kql";
    /** The rule runs as Java code; its {@code query} is documentation. */
    public static final String ENGINE_JAVA = "java";

    public RuleDefinition {
        RuleFields.require(id, "rule id");
        RuleFields.require(name, "name of rule " + id);
        RuleFields.require(description, "description of rule " + id);
        if (severity == null) {
            throw new IllegalArgumentException("severity of rule " + id + " is missing");
        }
        tactics = RuleFields.requireNonEmpty(tactics, "tactics of rule " + id);
        techniques = RuleFields.requireNonEmpty(techniques, "techniques of rule " + id);
        RuleFields.require(query, "query of rule " + id);
        if (triage == null) {
            throw new IllegalArgumentException("triage of rule " + id + " is missing");
        }
        falsePositives = RuleFields.copyOrEmpty(falsePositives);
        stageTechniques = copyStages(stageTechniques);
        relatedQueries = RuleFields.copyOrEmpty(relatedQueries);
        engine = engine == null ? ENGINE_KQL : engine;
        tables = RuleFields.copyOrEmpty(tables);
        if (engine.equals(ENGINE_KQL) && !tables.isEmpty()) {
            throw new IllegalArgumentException("tables of rule " + id + " are read from its query; list them"
                    + " only for engine: java");
        }
        if (!engine.equals(ENGINE_KQL) && !engine.equals(ENGINE_JAVA)) {
            throw new IllegalArgumentException("engine of rule " + id + " is '" + engine + "'; it is kql or java");
        }
    }

    /** Whether the rule's query is compiled and run, rather than implemented in Java. */
    public boolean runsQuery() {
        return engine.equals(ENGINE_KQL);
    }

    /** The campaign's name, e.g. {@code BazaCall}, or null when the rule is not campaign-specific. */
    public String campaignName() {
        return campaign == null ? null : campaign.name();
    }

    /** The kill-chain stage a hit of this rule shows, or null when the rule names none. */
    public CampaignStage campaignStage() {
        return campaign == null ? null : campaign.stage();
    }

    /** Technique ids alone, in file order, e.g. {@code [T1105, T1036.003]}. */
    public List<String> techniqueIds() {
        return techniques.stream().map(MitreTechnique::id).toList();
    }

    /** Technique ids added when {@code stage} was observed; empty for a stage the rule does not name. */
    public List<String> stageTechniqueIds(String stage) {
        return stageTechniques.getOrDefault(stage, List.of()).stream().map(MitreTechnique::id).toList();
    }

    /** Keeps file order, so alerts list stages the way the rule author wrote them. */
    private static Map<String, List<MitreTechnique>> copyStages(Map<String, List<MitreTechnique>> stages) {
        if (stages == null) {
            return Map.of();
        }
        Map<String, List<MitreTechnique>> copy = new LinkedHashMap<>();
        stages.forEach((stage, techniques) -> copy.put(stage, List.copyOf(techniques)));
        return Collections.unmodifiableMap(copy);
    }
}

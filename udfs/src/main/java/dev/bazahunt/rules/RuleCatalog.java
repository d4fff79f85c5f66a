package dev.bazahunt.rules;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules bazahunt runs, read from YAML resources, one rule per file. Unknown fields are errors, so a
 * typo in a rule file fails the job at start-up instead of silently dropping metadata.
 */
public final class RuleCatalog {

    /** Listed rather than discovered: classpath scanning is unreliable inside a shaded Flink jar. */
    static final List<String> STANDARD_RULE_FILES = List.of(
            "rules/certutil-download.yaml",
            "rules/certutil-download-hardened.yaml",
            "rules/bazacall-correlation.yaml",
            "rules/bazacall-campaign-incident.yaml");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Map<String, RuleDefinition> rulesById;

    private RuleCatalog(Map<String, RuleDefinition> rulesById) {
        this.rulesById = rulesById;
    }

    /** Loads the standard rule files. Parses on every call; keep the result. */
    public static RuleCatalog standard() {
        return fromResources(STANDARD_RULE_FILES);
    }

    /** The rules of these resource files, in this order: for tests and tools that load another set. */
    public static RuleCatalog fromResources(List<String> resourceNames) {
        Map<String, RuleDefinition> rules = new LinkedHashMap<>();
        Map<String, String> fileById = new LinkedHashMap<>();
        for (String resourceName : resourceNames) {
            RuleDefinition rule = readResource(resourceName);
            String previousFile = fileById.putIfAbsent(rule.id(), resourceName);
            if (previousFile != null) {
                throw new IllegalStateException("rule id " + rule.id() + " appears in both " + previousFile
                        + " and " + resourceName);
            }
            rules.put(rule.id(), rule);
        }
        return new RuleCatalog(Collections.unmodifiableMap(rules));
    }

    /** Parses one rule file; every failure names the file. */
    static RuleDefinition parse(String fileName, InputStream yaml) {
        try {
            return YAML.readValue(yaml, RuleDefinition.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("rule file " + fileName + " is malformed: " + e.getMessage(), e);
        }
    }

    private static RuleDefinition readResource(String resourceName) {
        try (InputStream yaml = RuleCatalog.class.getClassLoader().getResourceAsStream(resourceName)) {
            if (yaml == null) {
                throw new IllegalStateException("rule file " + resourceName + " is not on the classpath");
            }
            return parse(resourceName, yaml);
        } catch (IOException e) {
            throw new IllegalStateException("rule file " + resourceName + " could not be read", e);
        }
    }

    /** The rule with this id; an unknown id is a programming error, so it throws. */
    public RuleDefinition byId(String id) {
        RuleDefinition rule = rulesById.get(id);
        if (rule == null) {
            throw new IllegalArgumentException("no rule with id " + id + "; known ids: " + rulesById.keySet());
        }
        return rule;
    }

    /** Every rule, in the order of the rule files. */
    public List<RuleDefinition> all() {
        return List.copyOf(rulesById.values());
    }
}

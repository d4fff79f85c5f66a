package dev.bazahunt.rules;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bazahunt.kql.CompiledQuery;
import dev.bazahunt.kql.KqlCompiler;
import dev.bazahunt.kql.KqlSyntaxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules bazahunt runs, read from YAML resources, one rule per file, each {@code engine: kql} rule's
 * query compiled once here. Unknown fields are errors, so a typo in a rule file fails the job at
 * start-up instead of silently dropping metadata; a query outside the KQL subset fails it too, naming
 * the file, line and column.
 */
public final class RuleCatalog {

    /**
     * Listed in {@code rules/index.txt} rather than discovered: classpath scanning is unreliable inside
     * a shaded Flink jar. The index is data, so a new rule needs no Java.
     */
    static final String RULE_INDEX = "rules/index.txt";

    static final List<String> STANDARD_RULE_FILES = readIndex(RULE_INDEX);

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Map<String, RuleDefinition> rulesById;
    private final Map<String, CompiledQuery> queriesById;

    private RuleCatalog(Map<String, RuleDefinition> rulesById, Map<String, CompiledQuery> queriesById) {
        this.rulesById = rulesById;
        this.queriesById = queriesById;
    }

    /**
     * The standard rule files, parsed and compiled once per class loader. The catalog is immutable and
     * its compiled queries are stateless, so every operator of every job in the JVM shares them. Compiling
     * anew per operator gave each job new query classes, and the JIT compiled the code around them again
     * in every job: some 70 compilations of the column readers per replay in a warm JVM.
     */
    public static RuleCatalog standard() {
        return Standard.CATALOG;
    }

    /** Holds the standard catalog, loaded when first asked for. */
    private static final class Standard {
        static final RuleCatalog CATALOG = fromResources(STANDARD_RULE_FILES);
    }

    static RuleCatalog fromResources(List<String> resourceNames) {
        Map<String, RuleDefinition> rules = new LinkedHashMap<>();
        Map<String, CompiledQuery> queries = new LinkedHashMap<>();
        Map<String, String> fileById = new LinkedHashMap<>();
        for (String resourceName : resourceNames) {
            String yaml = readResource(resourceName);
            RuleDefinition rule = parse(resourceName, yaml);
            String previousFile = fileById.putIfAbsent(rule.id(), resourceName);
            if (previousFile != null) {
                throw new IllegalStateException("rule id " + rule.id() + " appears in both " + previousFile
                        + " and " + resourceName);
            }
            rules.put(rule.id(), rule);
            if (rule.runsQuery()) {
                queries.put(rule.id(), compile(resourceName, yaml, rule));
            }
        }
        return new RuleCatalog(Collections.unmodifiableMap(rules), Collections.unmodifiableMap(queries));
    }

    /** Parses one rule file; every failure names the file. */
    static RuleDefinition parse(String fileName, InputStream yaml) {
        try {
            return parse(fileName, new String(yaml.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("rule file " + fileName + " could not be read", e);
        }
    }

    static RuleDefinition parse(String fileName, String yaml) {
        try {
            return YAML.readValue(yaml, RuleDefinition.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("rule file " + fileName + " is malformed: " + e.getMessage(), e);
        }
    }

    /** Compiles a rule's query; a refusal names the file, and the line and column in it. */
    static CompiledQuery compile(String fileName, String yaml, RuleDefinition rule) {
        try {
            return KqlCompiler.compile(rule.query());
        } catch (KqlSyntaxException refused) {
            KqlSyntaxException located = QueryLocation.inFile(fileName, yaml, refused);
            throw new IllegalStateException("rule file " + located.getMessage(), located);
        }
    }

    private static String readResource(String resourceName) {
        try (InputStream yaml = RuleCatalog.class.getClassLoader().getResourceAsStream(resourceName)) {
            if (yaml == null) {
                throw new IllegalStateException("rule file " + resourceName + " is not on the classpath");
            }
            return new String(yaml.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("rule file " + resourceName + " could not be read", e);
        }
    }

    private static List<String> readIndex(String indexName) {
        String directory = indexName.substring(0, indexName.lastIndexOf('/') + 1);
        try (InputStream index = RuleCatalog.class.getClassLoader().getResourceAsStream(indexName)) {
            if (index == null) {
                throw new IllegalStateException("rule index " + indexName + " is not on the classpath");
            }
            List<String> files = new ArrayList<>();
            BufferedReader lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String name = line.trim();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    files.add(directory + name);
                }
            }
            return List.copyOf(files);
        } catch (IOException e) {
            throw new IllegalStateException("rule index " + indexName + " could not be read", e);
        }
    }

    /**
     * The compiled query of an {@code engine: kql} rule; an unknown id or a Java rule is a programming
     * error, so it throws.
     */
    public CompiledQuery compiledQuery(String id) {
        CompiledQuery query = queriesById.get(id);
        if (query == null) {
            throw new IllegalArgumentException("rule " + id + " has no compiled query; rules with one: "
                    + queriesById.keySet());
        }
        return query;
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

package dev.bazahunt.tuning;

import dev.bazahunt.rules.RuleCatalog;
import dev.bazahunt.telemetry.DeviceEvent;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The exclusions of one YAML file, validated at load so that a broken file stops the job at start-up
 * with the file, line and problem, instead of silently excluding nothing (or everything).
 *
 * <pre>
 * exclusions:
 *   - name: CA service account publishes to AD
 *     reason: Why this activity is benign, for the auditor.
 *     rules: [f5ff5b00-a90e-40b8-b241-9427a8ec5189]
 *     conditions:
 *       all:
 *         - {column: InitiatingProcessAccountName, operator: =~, value: svc-pki-ca}
 *         - not: {column: InitiatingProcessCommandLine, normalize: true, operator: has_any, values: [http, https]}
 * </pre>
 *
 * An excluded match is not dropped: the caller counts it and writes an {@link ExclusionAudit}.
 */
public final class ExclusionSet implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Exclusion> exclusions;

    private ExclusionSet(List<Exclusion> exclusions) {
        this.exclusions = List.copyOf(exclusions);
    }

    /** Reads and validates an exclusions file; rule ids are checked against {@link RuleCatalog#standard()}. */
    public static ExclusionSet load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExclusionFileException(file.toString(), 1, "cannot be read: " + e.getMessage(), e);
        }
        return parse(yaml, file.toString());
    }

    /** Validates exclusions given as text; {@code sourceName} is what error messages call the file. */
    public static ExclusionSet parse(String yaml, String sourceName) {
        return parse(yaml, sourceName, RuleCatalog.standard());
    }

    static ExclusionSet parse(String yaml, String sourceName, RuleCatalog rules) {
        LocatedYaml document = LocatedYaml.parse(yaml, sourceName);
        return new ExclusionSet(new ExclusionFileParser(sourceName, rules).parse(document));
    }

    /** The first exclusion, in file order, that applies to {@code ruleId} and matches the event; else null. */
    public Exclusion firstMatch(String ruleId, DeviceEvent event) {
        for (Exclusion exclusion : exclusions) {
            if (exclusion.appliesTo(ruleId) && exclusion.matches(event)) {
                return exclusion;
            }
        }
        return null;
    }

    public List<Exclusion> all() {
        return exclusions;
    }
}

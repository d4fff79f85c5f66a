package dev.bazahunt.rules;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * When a campaign incident exists and how severe it is, written in the incident rule's file as
 * {@code incident: {minimumStages: 2, severityByStages: {2: Medium, 3: High}}}. Severity rises with the
 * number of distinct kill-chain stages the incident shows: the entry with the largest stage count at
 * or below the incident's applies.
 *
 * @param minimumStages distinct stages a device must show within the campaign window before it has an
 *     incident; at least 1
 * @param severityByStages stage count to severity; must name {@code minimumStages} and never fall as the
 *     count grows
 */
public record IncidentPolicy(int minimumStages, Map<Integer, Severity> severityByStages) implements Serializable {

    public IncidentPolicy {
        if (minimumStages < 1) {
            throw new IllegalArgumentException("incident minimumStages must be at least 1, got " + minimumStages);
        }
        if (severityByStages == null || !severityByStages.containsKey(minimumStages)) {
            throw new IllegalArgumentException("incident severityByStages must name the minimum, " + minimumStages
                    + " stages");
        }
        TreeMap<Integer, Severity> sorted = new TreeMap<>(severityByStages);
        Severity previous = null;
        for (Map.Entry<Integer, Severity> entry : sorted.entrySet()) {
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("incident severity for " + entry.getKey() + " stages is missing");
            }
            if (previous != null && entry.getValue().compareTo(previous) < 0) {
                throw new IllegalArgumentException("incident severity must not fall as stages grow: "
                        + entry.getKey() + " stages are " + entry.getValue().label() + ", fewer are "
                        + previous.label());
            }
            previous = entry.getValue();
        }
        severityByStages = Collections.unmodifiableMap(sorted);
    }

    /** The severity of an incident that shows {@code stages} distinct stages ({@code >= minimumStages}). */
    public Severity severityFor(int stages) {
        Severity severity = null;
        for (Map.Entry<Integer, Severity> entry : severityByStages.entrySet()) {
            if (entry.getKey() <= stages) {
                severity = entry.getValue();
            }
        }
        if (severity == null) {
            throw new IllegalArgumentException(stages + " stages are below the incident minimum " + minimumStages);
        }
        return severity;
    }
}

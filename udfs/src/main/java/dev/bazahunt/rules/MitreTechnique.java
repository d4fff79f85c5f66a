package dev.bazahunt.rules;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * A MITRE ATT&amp;CK technique or sub-technique, by id and name, e.g. {@code T1105 Ingress Tool Transfer}.
 * The name travels with the id so an alert is readable without a lookup.
 */
public record MitreTechnique(String id, String name) implements Serializable {

    private static final Pattern TECHNIQUE_ID = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    public MitreTechnique {
        if (id == null || !TECHNIQUE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not an ATT&CK technique id like T1105 or T1036.003");
        }
        RuleFields.require(name, "name of technique " + id);
    }
}

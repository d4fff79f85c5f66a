package dev.bazahunt.rules;

import com.fasterxml.jackson.annotation.JsonValue;

/** Alert severity on Sentinel's scale, spelled in rule files and alerts as Sentinel spells it. */
public enum Severity {
    INFORMATIONAL("Informational"),
    LOW("Low"),
    MEDIUM("Medium"),
    HIGH("High");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    /** Sentinel's spelling, e.g. {@code Medium}; also the spelling rule files must use. */
    @JsonValue
    public String label() {
        return label;
    }
}

package dev.bazahunt.rules;

import java.io.Serializable;

/** A benign activity known to trip a rule, kept with the rule so triage and tuning start from it. */
public record FalsePositiveScenario(String name, String description) implements Serializable {

    public FalsePositiveScenario {
        RuleFields.require(name, "false-positive name");
        RuleFields.require(description, "description of false positive '" + name + "'");
    }
}

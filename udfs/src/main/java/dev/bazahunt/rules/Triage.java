package dev.bazahunt.rules;

import java.io.Serializable;
import java.util.List;

/** What an analyst does with an alert: steps to investigate it, then how to respond if it is real. */
public record Triage(List<String> investigation, List<String> response) implements Serializable {

    public Triage {
        investigation = RuleFields.requireNonEmpty(investigation, "triage investigation steps");
        response = RuleFields.requireNonEmpty(response, "triage response steps");
    }
}

package dev.bazahunt.rules;

import java.io.Serializable;

/** A published hunting query that a rule builds on, kept verbatim next to the rule that uses it. */
public record RelatedQuery(String id, String name, String query, RuleSource source) implements Serializable {

    public RelatedQuery {
        RuleFields.require(id, "related query id");
        RuleFields.require(name, "name of related query " + id);
        RuleFields.require(query, "query text of related query " + id);
    }
}

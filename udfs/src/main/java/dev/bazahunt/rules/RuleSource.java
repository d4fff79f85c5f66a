package dev.bazahunt.rules;

import java.io.Serializable;

/** Where a query was published, so a port can be diffed against its upstream text. */
public record RuleSource(String repository, String path) implements Serializable {

    public RuleSource {
        RuleFields.require(repository, "source repository");
        RuleFields.require(path, "source path");
    }

    @Override
    public String toString() {
        return repository + ": " + path;
    }
}

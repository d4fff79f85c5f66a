package dev.bazahunt.rules;

import java.util.List;

/** Presence checks for rule-file fields, so a missing field fails at load time with its name. */
final class RuleFields {

    private RuleFields() {}

    static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return value;
    }

    static <T> List<T> requireNonEmpty(List<T> values, String what) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(what + " are missing");
        }
        return List.copyOf(values);
    }

    static <T> List<T> copyOrEmpty(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}

package dev.bazahunt.tuning;

import dev.bazahunt.rules.CommandLineNormalizer;
import dev.bazahunt.telemetry.DefenderColumnReader;
import dev.bazahunt.telemetry.DeviceEvent;
import java.io.Serializable;
import java.util.List;

/** One node of an exclusion's condition tree: {@code all}, {@code any}, {@code not}, or a column test. */
public sealed interface ExclusionCondition extends Serializable {

    boolean test(DeviceEvent event);

    /** {@code all: [...]}: every child holds. */
    record AllOf(List<ExclusionCondition> children) implements ExclusionCondition {
        @Override
        public boolean test(DeviceEvent event) {
            for (ExclusionCondition child : children) {
                if (!child.test(event)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code any: [...]}: at least one child holds. */
    record AnyOf(List<ExclusionCondition> children) implements ExclusionCondition {
        @Override
        public boolean test(DeviceEvent event) {
            for (ExclusionCondition child : children) {
                if (child.test(event)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code not: {...}}: the child does not hold. */
    record Not(ExclusionCondition child) implements ExclusionCondition {
        @Override
        public boolean test(DeviceEvent event) {
            return !child.test(event);
        }
    }

    /**
     * {@code {column, operator, value | values, normalize}}: a KQL comparison of one column. With
     * {@code normalize: true} the column is read through {@link CommandLineNormalizer} first, so that an
     * exclusion guarding against a download verb sees {@code –url"cache"} as {@code -urlcache}, exactly
     * as the hardened rule does; otherwise a quote or an en dash would carry an attack past the guard.
     */
    record ColumnTest(DefenderColumnReader column, ConditionOperator operator, List<String> values,
            boolean normalize) implements ExclusionCondition {
        @Override
        public boolean test(DeviceEvent event) {
            String text = column.read(event);
            return operator.test(normalize ? CommandLineNormalizer.normalize(text) : text, values);
        }
    }
}

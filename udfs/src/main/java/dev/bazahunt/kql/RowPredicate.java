package dev.bazahunt.kql;

import dev.bazahunt.telemetry.DefenderEvent;

/** A compiled condition: evaluated once per row, so implementations read fields and allocate nothing. */
@FunctionalInterface
interface RowPredicate {
    boolean test(DefenderEvent row);
}

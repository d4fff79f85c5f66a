package dev.bazahunt.kql;

import dev.bazahunt.telemetry.DefenderEvent;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;

/**
 * The template of a compiled query's own class. {@link KqlCompiler} defines a hidden copy of this
 * class per query, with the query's tree of {@link RowTests} as the copy's class data; it is never used
 * itself. In the copy, {@link #TREE} is a static final, which the JIT treats as a constant, and the
 * tree's records have final fields it trusts, so each query is compiled into machine code of its own:
 * its tests inline into one another with no virtual dispatch and no type profile shared with other
 * queries, however many rules of however many shapes run in the same JVM.
 */
final class QueryTemplate implements RowPredicate {
    private static final RowPredicate TREE = tree();

    private static RowPredicate tree() {
        try {
            return MethodHandles.classData(MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME, RowPredicate.class);
        } catch (IllegalAccessException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public boolean test(DefenderEvent row) {
        return TREE.test(row);
    }
}

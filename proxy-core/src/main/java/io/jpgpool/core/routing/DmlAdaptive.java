package io.jpgpool.core.routing;

import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.Statement;
import java.util.function.Predicate;

/**
 * {@code disable_load_balance_on_write = 'dml_adaptive'} (SEMANTICS A.9): inside a transaction, a read goes to the
 * primary only when it reads a table the transaction wrote, or one that {@code
 * dml_adaptive_object_relationship_list} relates to a table written or a function called. Other reads keep their
 * load-balance node. As in pgpool, the bookkeeping happens when a statement is routed.
 */
final class DmlAdaptive {
    private DmlAdaptive() {
    }

    /**
     * Routing-time bookkeeping of any statement but a multi-statement string: BEGIN opens the list, COMMIT,
     * ROLLBACK and ROLLBACK TO close it (pgpool's is_commit_or_rollback_query), and a statement that is not a
     * plain SELECT adds every table it names (and their related objects).
     */
    static void track(Statement st, RoutingState state, RoutingConfig cfg, boolean plainSelect) {
        switch (st.kind()) {
            case BEGIN -> state.dmlAdaptiveTransaction(true);
            case COMMIT, ROLLBACK, ROLLBACK_TO -> state.dmlAdaptiveTransaction(false);
            default -> {
                if (st.kind().transactionControl() || plainSelect || !state.inDmlAdaptiveTransaction()) {
                    return;
                }
                for (QualifiedName r : st.relations()) {
                    state.dmlAdaptiveWrote(r.name());
                    String related = cfg.relatedObject(r.name(), false);
                    if (related != null) {
                        state.dmlAdaptiveWrote(related);
                    }
                }
            }
        }
    }

    /**
     * A read calls functions: each one named in the relationship list makes its related table count as written,
     * up to the first writing function (where pgpool's function walker stops).
     */
    static void calls(Statement st, RoutingState state, RoutingConfig cfg, Predicate<QualifiedName> writing) {
        if (!state.inDmlAdaptiveTransaction()) {
            return;
        }
        for (QualifiedName f : st.functions()) {
            String related = cfg.relatedObject(f.name(), true);
            if (related != null) {
                state.dmlAdaptiveWrote(related);
            }
            if (writing.test(f)) {
                return;
            }
        }
    }

    /** The first table the read names that this transaction wrote, or null. */
    static String writtenTable(Statement st, RoutingState state) {
        if (!state.inDmlAdaptiveTransaction()) {
            return null;
        }
        for (QualifiedName r : st.relations()) {
            if (state.dmlAdaptiveWritten(r.name())) {
                return r.name();
            }
        }
        return null;
    }
}

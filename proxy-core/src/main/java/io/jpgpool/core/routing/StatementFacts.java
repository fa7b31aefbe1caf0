package io.jpgpool.core.routing;

import io.jpgpool.sql.QualifiedName;
import java.util.function.Function;

/**
 * The catalog facts of the statement being routed, each asked of the cache once: the check for missing
 * facts and the routing that follows read the same relation (and function) of the same statement, and a
 * look-up in the shared cache costs far more than a comparison. {@link #forget} starts the next statement, so
 * nothing outlives one statement's routing and the cache's expiry and invalidation hold as before. Unknown
 * facts (null) are never kept: they are being looked up. One session's loop thread uses it.
 */
public final class StatementFacts implements CatalogFacts {
    private final Memo relations;
    private final Memo functions;

    public StatementFacts(CatalogFacts cache) {
        relations = new Memo(cache::isUnloggedTable);
        functions = new Memo(cache::isVolatileFunction);
    }

    /** The next statement: what was read for the last one is asked again. */
    public void forget() {
        relations.forget();
        functions.forget();
    }

    @Override
    public Boolean isUnloggedTable(QualifiedName r) {
        return relations.get(r);
    }

    @Override
    public Boolean isVolatileFunction(QualifiedName f) {
        return functions.get(f);
    }

    /** The last known fact of one kind, by the identity of the name the statement holds. */
    private static final class Memo {
        private final Function<QualifiedName, Boolean> lookup;
        private QualifiedName name;
        private Boolean fact;

        Memo(Function<QualifiedName, Boolean> lookup) {
            this.lookup = lookup;
        }

        void forget() {
            name = null;
            fact = null;
        }

        Boolean get(QualifiedName n) {
            if (n == name) {
                return fact;
            }
            Boolean b = lookup.apply(n);
            if (b != null) {
                name = n;
                fact = b;
            }
            return b;
        }
    }
}

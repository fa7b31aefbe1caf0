package io.jpgpool.core.routing;

import io.jpgpool.sql.QualifiedName;

/**
 * The catalog facts of the statement being routed, each asked of the cache once: the check for missing
 * facts and the routing that follows read the same relation (and function) of the same statement, and a
 * look-up in the shared cache costs far more than a comparison. {@link #forget} starts the next statement, so
 * nothing outlives one statement's routing and the cache's expiry and invalidation hold as before. Unknown
 * facts (null) are never kept: they are being looked up. One session's loop thread uses it.
 */
public final class StatementFacts implements CatalogFacts {
    private final CatalogFacts cache;
    private QualifiedName relation;
    private Boolean unlogged;
    private QualifiedName function;
    private Boolean volatileFunction;

    public StatementFacts(CatalogFacts cache) {
        this.cache = cache;
    }

    /** The next statement: what was read for the last one is asked again. */
    public void forget() {
        relation = null;
        unlogged = null;
        function = null;
        volatileFunction = null;
    }

    @Override
    public Boolean isUnloggedTable(QualifiedName r) {
        if (r == relation) {
            return unlogged;
        }
        Boolean b = cache.isUnloggedTable(r);
        if (b != null) {
            relation = r;
            unlogged = b;
        }
        return b;
    }

    @Override
    public Boolean isVolatileFunction(QualifiedName f) {
        if (f == function) {
            return volatileFunction;
        }
        Boolean b = cache.isVolatileFunction(f);
        if (b != null) {
            function = f;
            volatileFunction = b;
        }
        return b;
    }
}

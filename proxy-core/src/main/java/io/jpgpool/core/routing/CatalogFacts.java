package io.jpgpool.core.routing;

import io.jpgpool.sql.QualifiedName;

/**
 * What routing needs from a database's catalog (SEMANTICS A.4, A.5), answered from a cache. {@code null}
 * means "not known yet": the session looks it up before it routes the statement.
 */
public interface CatalogFacts {
    /** Whether some function of that name is VOLATILE (in any schema when unqualified). */
    Boolean isVolatileFunction(QualifiedName function);

    /** Whether the relation is an UNLOGGED table. */
    Boolean isUnloggedTable(QualifiedName relation);

    /** Facts for tests and for configurations that need no lookups: nothing volatile, nothing unlogged. */
    CatalogFacts NONE = new CatalogFacts() {
        @Override
        public Boolean isVolatileFunction(QualifiedName function) {
            return Boolean.FALSE;
        }

        @Override
        public Boolean isUnloggedTable(QualifiedName relation) {
            return Boolean.FALSE;
        }
    };
}

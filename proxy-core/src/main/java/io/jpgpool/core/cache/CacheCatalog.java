package io.jpgpool.core.cache;

import io.jpgpool.sql.QualifiedName;

/**
 * The catalog facts of one database that the query cache reads (SEMANTICS F.3), as the catalog lookups found
 * them ({@link CacheCatalogQueries}). {@code null} means "not looked up yet"; pg_catalog's functions are known
 * without a lookup ({@link BuiltinFunctions}).
 */
public interface CacheCatalog {
    FunctionFacts function(QualifiedName function);

    RelationFacts relation(QualifiedName relation);

    /** Knows nothing: every fact is still to be looked up. */
    CacheCatalog NONE = new CacheCatalog() {
        @Override
        public FunctionFacts function(QualifiedName function) {
            return null;
        }

        @Override
        public RelationFacts relation(QualifiedName relation) {
            return null;
        }
    };
}

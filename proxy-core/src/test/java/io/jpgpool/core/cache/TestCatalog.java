package io.jpgpool.core.cache;

import io.jpgpool.sql.QualifiedName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Catalog facts for tests: public tables, views over them, functions, as the look-ups would find them. */
final class TestCatalog implements CacheCatalog {
    private final Map<QualifiedName, FunctionFacts> functions = new HashMap<>();
    private final Map<QualifiedName, RelationFacts> relations = new HashMap<>();

    static RelationFacts.Relation rel(String name, char kind, char persistence) {
        return new RelationFacts.Relation("public", name, kind, persistence, false, false);
    }

    TestCatalog table(String... names) {
        for (String n : names) {
            put(n, new RelationFacts(List.of(rel(n, 'r', 'p')), List.of(), List.of()));
        }
        return this;
    }

    TestCatalog put(String name, RelationFacts facts) {
        relations.put(QualifiedName.of(name), facts);
        relations.put(QualifiedName.of("public", name), facts);
        return this;
    }

    TestCatalog relation(String name, char kind, char persistence) {
        return put(name, new RelationFacts(List.of(rel(name, kind, persistence)), List.of(), List.of()));
    }

    /** A view (or materialized view) over tables, which reads and writes reach. */
    TestCatalog view(String name, char kind, String... bases) {
        List<RelationFacts.Relation> under = new ArrayList<>();
        for (String b : bases) {
            under.add(rel(b, 'r', 'p'));
        }
        return put(name, new RelationFacts(List.of(rel(name, kind, 'p')), under, under));
    }

    TestCatalog function(String name, boolean immutable, boolean isVolatile, boolean returnsTz) {
        functions.put(QualifiedName.of(name), new FunctionFacts(true, immutable, isVolatile, returnsTz));
        return this;
    }

    TestCatalog function(String schema, String name, boolean immutable, boolean isVolatile) {
        functions.put(QualifiedName.of(schema, name), new FunctionFacts(true, immutable, isVolatile, false));
        return this;
    }

    @Override
    public FunctionFacts function(QualifiedName function) {
        return functions.get(function);
    }

    @Override
    public RelationFacts relation(QualifiedName relation) {
        return relations.get(relation);
    }
}

package io.jpgpool.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.core.catalog.CatalogCache;
import io.jpgpool.sql.QualifiedName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The look-ups' text and the facts read from their rows (as PostgreSQL 15 returned them for these objects). */
class CacheCatalogQueriesTest {
    private static final QualifiedName T1 = QualifiedName.of("t1");
    private static final QualifiedName V2 = QualifiedName.of("v2");
    private static final QualifiedName TRIG = QualifiedName.of("trig");
    private static final QualifiedName NOSUCH = QualifiedName.of("s2", "nosuch");

    @Test
    void theQueriesNameEachObjectOnceWithItsIndex() {
        String q = CacheCatalogQueries.relationQuery(List.of(T1, QualifiedName.of("s2", "it's")));
        assertThat(q).contains("VALUES (0, NULL::text, E't1'), (1, E's2', E'it''s')");
        assertThat(q).contains("pg_catalog.pg_inherits").contains("pg_catalog.pg_constraint")
                .contains("NOT t.tgisinternal");
        assertThat(CacheCatalogQueries.functionQuery(List.of(QualifiedName.of("f"))))
                .contains("VALUES (0, NULL::text, E'f')").contains("GROUP BY v.i");
    }

    @Test
    void relationRowsBecomeFacts() {
        // the rows PostgreSQL 15 returns for: t1 in public and s2 with a cascading foreign key from child,
        // v2 a view over v1 (over t1) joined to child, trig with a user trigger, and no s2.nosuch
        List<List<String>> rows = List.of(
                List.of("0", "f", "t", "r", "p", "f", "public", "t1", "f"),
                List.of("0", "f", "t", "r", "p", "f", "s2", "t1", "f"),
                List.of("0", "t", "t", "r", "p", "f", "public", "t1", "f"),
                List.of("0", "t", "t", "r", "p", "f", "s2", "t1", "f"),
                List.of("0", "t", "f", "r", "p", "f", "public", "child", "f"),
                List.of("1", "f", "t", "v", "p", "f", "public", "v2", "f"),
                List.of("1", "f", "f", "r", "p", "f", "public", "child", "f"),
                List.of("1", "f", "f", "r", "p", "f", "public", "t1", "f"),
                List.of("1", "f", "f", "v", "p", "f", "public", "v1", "f"),
                List.of("1", "t", "t", "v", "p", "f", "public", "v2", "f"),
                List.of("1", "t", "f", "r", "p", "f", "public", "t1", "f"),
                List.of("2", "f", "t", "r", "p", "f", "public", "trig", "t"),
                List.of("2", "t", "t", "r", "p", "f", "public", "trig", "t"));
        Map<QualifiedName, RelationFacts> facts = CacheCatalogQueries.relations(List.of(T1, V2, TRIG, NOSUCH), rows);
        RelationFacts t1 = facts.get(T1);
        assertThat(t1.matches()).extracting(Object::toString).containsExactly("public.t1", "s2.t1");
        assertThat(t1.readNames()).containsExactly("t1");
        assertThat(t1.writeNames()).containsExactly("t1", "child");
        assertThat(facts.get(V2).readNames()).containsExactly("v2", "child", "t1", "v1");
        assertThat(facts.get(V2).matches().get(0).needsSafeList()).isTrue();
        assertThat(facts.get(TRIG).writeRunsUserCode()).isTrue();
        assertThat(facts.get(NOSUCH).exists()).isFalse();
    }

    @Test
    void functionRowsBecomeFacts() {
        QualifiedName trf = QualifiedName.of("trf");
        QualifiedName now = QualifiedName.of("public", "now");
        Map<QualifiedName, FunctionFacts> facts = CacheCatalogQueries.functions(List.of(trf, now),
                List.of(List.of("0", "t", "f", "t", "f"), List.of("1", "f", "f", "f", "f")));
        assertThat(facts.get(trf)).isEqualTo(new FunctionFacts(true, false, true, false));
        assertThat(facts.get(now).exists()).isFalse();
    }

    @Test
    void theCatalogCacheKeepsTheFactsPerDatabaseUntilDdlThere() {
        CatalogCache cache = new CatalogCache(0);
        cache.recordQueryCacheRelations("test", Map.of(T1, RelationFacts.MISSING));
        cache.recordQueryCacheFunctions("test", Map.of(QualifiedName.of("f"), new FunctionFacts(true, true, false,
                false)));
        cache.recordQueryCacheFunctions("prod", Map.of(QualifiedName.of("f"), FunctionFacts.MISSING));
        assertThat(cache.queryCacheFacts("test").relation(T1)).isSameAs(RelationFacts.MISSING);
        assertThat(cache.queryCacheFacts("test").function(QualifiedName.of("f")).immutable()).isTrue();
        assertThat(cache.queryCacheFacts("prod").function(QualifiedName.of("f")).exists()).isFalse();
        cache.invalidateDatabase("test");
        assertThat(cache.queryCacheFacts("test").function(QualifiedName.of("f"))).isNull();
        assertThat(cache.queryCacheFacts("prod").function(QualifiedName.of("f"))).isNotNull();
    }

    @Test
    void builtinsNeedNoLookup() {
        assertThat(BuiltinFunctions.get(QualifiedName.of("abs")).cacheable()).isTrue();
        assertThat(BuiltinFunctions.get(QualifiedName.of("now")).cacheable()).isFalse();
        assertThat(BuiltinFunctions.get(QualifiedName.of("to_timestamp")).returnsTimeZoneType()).isTrue();
        assertThat(BuiltinFunctions.get(QualifiedName.of("pg_catalog", "nosuch")).exists()).isFalse();
        assertThat(BuiltinFunctions.get(QualifiedName.of("public", "abs"))).isNull();
        assertThat(BuiltinFunctions.get(QualifiedName.of("my_function"))).isNull();
    }
}

package io.jpgpool.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.SqlAnalyzer;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SEMANTICS F.3, with the statements of pgpool's regression test 006.memqcache among them. */
class CacheabilityTest {
    private final TestCatalog catalog = new TestCatalog()
            .table("t1", "with_modify", "explain_analyze", "cache_unsafe_t", "orders", "customers")
            .view("normal_v", 'v', "t1")
            .view("cache_safe_v", 'v', "t1")
            .view("mv", 'm', "orders")
            .relation("logs", 'r', 'u')
            .relation("ext", 'f', 'p')
            .relation("seq", 'S', 'p')
            .relation("tmp", 'r', 't')
            .put("secured", new RelationFacts(List.of(new RelationFacts.Relation("public", "secured", 'r', 'p', true,
                    false)), List.of(), List.of()))
            .put("v_catalog", new RelationFacts(List.of(TestCatalog.rel("v_catalog", 'v', 'p')),
                    List.of(new RelationFacts.Relation("pg_catalog", "pg_class", 'r', 'p', false, false)), List.of()))
            .function("public", "immutable_func", true, false)
            .function("other_schema", "volatile_func", false, true)
            .function("stable_func", false, false, false);

    private QueryCacheSettings settings = settings(List.of("cache_safe_v", "public\\.safe_.*"), List.of("cache_unsafe_t"));

    static QueryCacheSettings settings(List<String> safe, List<String> unsafe) {
        return new QueryCacheSettings(true, 64L << 20, 1_000_000, 0, 409_600, true,
                safe.stream().map(s -> Pattern.compile(s, Pattern.CASE_INSENSITIVE)).toList(),
                unsafe.stream().map(s -> Pattern.compile(s, Pattern.CASE_INSENSITIVE)).toList(), false);
    }

    private Cacheability.Verdict decide(String sql) {
        return Cacheability.decide(SqlAnalyzer.analyze(sql), sql, catalog, name -> name.equals("session_tmp"),
                settings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM t1", "SELECT * FROM cache_safe_v", "SELECT public.immutable_func(1)",
            "SELECT '2022-07-05 10:00:00'::TIMESTAMP", "SELECT '2022-07-05 10:00:00'::TIME",
            "SELECT '2022-07-05 10:00:00'::DATE", "SELECT 1", "SELECT abs(-1), upper('x')",
            "WITH c AS (SELECT * FROM t1) SELECT count(*) FROM c", "(SELECT i FROM t1) UNION SELECT 2",
            "select o.id, c.name from orders o join customers c on c.id = o.cid where o.id = 42",
            "SELECT extract(year from d) FROM orders", "/* c */ SELECT * FROM t1", "SELECT * FROM public.t1"})
    void cacheable(String sql) {
        assertThat(decide(sql).cacheable()).as(decide(sql).reason()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM cache_unsafe_t", "SELECT * FROM normal_v",
            "WITH cte AS (INSERT INTO with_modify values(1) RETURNING *) SELECT * FROM with_modify",
            "SELECT other_schema.volatile_func(1)", "SELECT CURRENT_TIMESTAMP", "SELECT CURRENT_USER",
            "SELECT '2022-07-05 10:00:00'::TIMESTAMPTZ", "SELECT '2022-07-05 10:00:00'::TIMETZ",
            "SELECT to_timestamp(0)", "SELECT now()", "SELECT random()", "SELECT nextval('seq')",
            "SELECT stable_func()", "SELECT * FROM t1 FOR UPDATE", "SELECT * INTO copy FROM t1",
            "SELECT * FROM logs", "SELECT * FROM ext", "SELECT * FROM seq", "SELECT * FROM tmp",
            "SELECT * FROM session_tmp", "SELECT * FROM pg_temp.x", "SELECT * FROM pg_class",
            "SELECT * FROM information_schema.tables", "SELECT * FROM secured", "SELECT * FROM v_catalog",
            "SELECT * FROM t1 TABLESAMPLE SYSTEM (10)", "SELECT 'now'::timestamp", "SELECT * FROM nosuch",
            "SELECT 1; SELECT 2", "/*NO QUERY CACHE*/ SELECT * FROM t1", "UPDATE t1 SET i = 1",
            "EXPLAIN SELECT * FROM t1", "VALUES (1)", "TABLE t1", "SELECT * FROM generate_series(1, 3)",
            "SELECT unknown_func()", "SELECT * FROM unknown_table", "SELECT (", "SHOW search_path"})
    void notCacheable(String sql) {
        assertThat(decide(sql).cacheable()).isFalse();
    }

    @Test
    void theTablesOfAResultIncludeWhatItsViewsRead() {
        assertThat(decide("SELECT * FROM cache_safe_v JOIN orders USING (id)").tables())
                .containsExactlyInAnyOrder("cache_safe_v", "t1", "orders");
        assertThat(decide("SELECT 1").tables()).isEmpty();
        assertThat(decide("SELECT * FROM public.t1").tables()).containsExactly("t1");
    }

    @Test
    void theUnsafeListWinsOverTheSafeList() {
        settings = settings(List.of("cache_safe_v", "logs"), List.of("cache_safe_v"));
        assertThat(decide("SELECT * FROM cache_safe_v").reason())
                .isEqualTo("cache_unsafe_memqcache_table_list: cache_safe_v");
        assertThat(decide("SELECT * FROM logs").cacheable()).isTrue();
    }

    @Test
    void listsMatchTheNameAsWritten() {
        catalog.view("safe_orders", 'v', "orders");
        assertThat(decide("SELECT * FROM public.safe_orders").cacheable()).isTrue();
        assertThat(decide("SELECT * FROM safe_orders").cacheable()).isFalse();
        assertThat(decide("SELECT * FROM mv").reason())
                .isEqualTo("view, unlogged or foreign table public.mv not in cache_safe_memqcache_table_list");
    }

    @Test
    void reasonsSayWhy() {
        assertThat(decide("SELECT now()").reason()).isEqualTo("function now is not immutable or returns a time zone type");
        settings = settings(List.of("v_catalog"), List.of());
        assertThat(decide("SELECT * FROM v_catalog").reason())
                .isEqualTo("system catalog pg_catalog.pg_class (read through v_catalog)");
        assertThat(decide("SELECT unknown_func()").reason()).isEqualTo("not known yet: function unknown_func");
    }

    @Test
    void likelySelectIsPgpoolsTextTest() {
        assertThat(Cacheability.likelySelect("  -- x\n/* y */ select 1")).isTrue();
        assertThat(Cacheability.likelySelect("INSERT INTO t SELECT 1")).isTrue(); // pgpool scans on
        assertThat(Cacheability.likelySelect("VALUES (1)")).isFalse();
        assertThat(Cacheability.likelySelect("/* select */ VALUES (1)")).isFalse();
        assertThat(Cacheability.likelySelect("with x as (values (1)) table x")).isTrue();
    }

    @Test
    void missingFactsAreTheUnknownFunctionsAndRelations() {
        java.util.List<QualifiedName> f = new java.util.ArrayList<>();
        java.util.List<QualifiedName> r = new java.util.ArrayList<>();
        Cacheability.missing(SqlAnalyzer.analyze("SELECT abs(x), my_f(x) FROM t1, newt"), catalog, f, r);
        assertThat(f).containsExactly(QualifiedName.of("my_f"));
        assertThat(r).containsExactly(QualifiedName.of("newt"));
    }
}

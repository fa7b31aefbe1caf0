package io.jpgpool.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import org.junit.jupiter.api.Test;

class StatementCacheTest {

    @Test
    void statementsThatDifferOnlyInConstantsShareOneEntryButKeepTheirText() {
        StatementCache cache = new StatementCache(100);
        for (int aid = 1; aid <= 1_000; aid++) {
            String sql = "SELECT abalance FROM pgbench_accounts WHERE aid = " + aid + ";";
            Statement st = cache.analyze(sql);
            assertThat(st.text()).isEqualTo("SELECT abalance FROM pgbench_accounts WHERE aid = " + aid);
            assertThat(st.syntacticRead()).isTrue();
            assertThat(st.relations()).hasToString("[pgbench_accounts]");
        }
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void textWithoutConstantsIsCachedAsIs() {
        StatementCache cache = new StatementCache(100);
        String sql = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
        assertThat(cache.analyze(sql)).isSameAs(cache.analyze(sql));
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void factsReadFromConstantsAreNeverShared() {
        StatementCache cache = new StatementCache(100);
        Statement a = cache.analyze("SET application_name = 'a'");
        Statement b = cache.analyze("SET application_name = 'b'");
        assertThat(a.setCommand().toString()).contains("a").doesNotContain("'b'");
        assertThat(b.setCommand().toString()).isEqualTo(SqlAnalyzer.analyze("SET application_name = 'b'")
                .setCommand().toString());
        assertThat(cache.analyze("SELECT pg_terminate_backend(42)").terminateBackendPid()).hasValue(42);
        assertThat(cache.analyze("SELECT pg_terminate_backend(43)").terminateBackendPid()).hasValue(43);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aWriteStaysAWriteWhateverItsConstants() {
        StatementCache cache = new StatementCache(100);
        cache.analyze("SELECT * FROM t WHERE a = 1");
        Statement locking = cache.analyze("SELECT * FROM t WHERE a = 2 FOR UPDATE");
        assertThat(locking.lockingClause()).isTrue();
        assertThat(cache.analyze("SELECT nextval('s1')").functions()).hasToString("[nextval]");
        assertThat(cache.analyze("UPDATE t SET a = 5 WHERE id = 6").kind()).isEqualTo(StatementKind.UPDATE);
    }

    @Test
    void hitsAreStatementsFoundByTextOrShapeMissesTheOnesAnalysed() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        StatementCache cache = new StatementCache(100, registry);
        cache.analyze("SELECT 1 FROM t WHERE a = 1");
        cache.analyze("SELECT 1 FROM t WHERE a = 2");
        cache.analyze("SELECT now()");
        cache.analyze("SELECT now()");
        cache.analyze("SELECT 1 FROM t WHERE a = 3");
        assertThat(registry.get("jpgpool.statement.cache.hits").counter().count()).isEqualTo(3);
        assertThat(registry.get("jpgpool.statement.cache.misses").counter().count()).isEqualTo(2);
        assertThat(registry.get("jpgpool.statement.cache.size").gauge().value()).isEqualTo(2);
    }
}

package io.jpgpool.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SEMANTICS F.4: what a statement that succeeded invalidates. */
class EffectsTest {
    private final TestCatalog catalog = new TestCatalog()
            .table("t1", "t2", "u", "e", "with_modify")
            .view("v", 'v', "t1")
            .put("parent", new RelationFacts(List.of(TestCatalog.rel("parent", 'p', 'p')),
                    List.of(TestCatalog.rel("part1", 'r', 'p')), List.of(TestCatalog.rel("part1", 'r', 'p'),
                            TestCatalog.rel("cascaded", 'r', 'p'))))
            .put("audited", new RelationFacts(List.of(new RelationFacts.Relation("public", "audited", 'r', 'p', false,
                    true)), List.of(), List.of()))
            .function("my_writer", false, true, false)
            .function("my_pure", true, false, false);
    private final Map<String, Statement> prepared = Map.of("ins", SqlAnalyzer.analyze("INSERT INTO t2 VALUES (1)"));

    private Effects of(String sql) {
        return Effects.of(sql, SqlAnalyzer.analyze(sql), catalog, prepared::get);
    }

    @Test
    void writesInvalidateTheTablesTheyName() {
        assertThat(of("INSERT INTO t1 VALUES (1)").tables()).containsExactly("t1");
        assertThat(of("UPDATE t1 SET i = 2").tables()).containsExactly("t1");
        assertThat(of("DELETE FROM public.t1 WHERE i = 0").tables()).containsExactly("t1");
        assertThat(of("TRUNCATE t1, t2").tables()).containsExactlyInAnyOrder("t1", "t2");
        assertThat(of("COPY t1 FROM STDIN").tables()).containsExactly("t1");
        assertThat(of("INSERT INTO t1 SELECT * FROM u").tables()).containsExactlyInAnyOrder("t1", "u");
        assertThat(of("MERGE INTO t1 USING u ON t1.i = u.i WHEN MATCHED THEN DELETE").tables())
                .containsExactlyInAnyOrder("t1", "u");
        assertThat(of("WITH cte AS (INSERT INTO with_modify VALUES (1) RETURNING *) SELECT * FROM cte").tables())
                .containsExactly("with_modify");
        assertThat(of("SELECT * INTO t2 FROM t1").tables()).containsExactlyInAnyOrder("t1", "t2");
        assertThat(of("EXPLAIN ANALYZE INSERT INTO e VALUES (1)").tables()).containsExactly("e");
        assertThat(of("DROP TABLE t1, t2").tables()).containsExactlyInAnyOrder("t1", "t2");
        assertThat(of("EXECUTE ins").tables()).containsExactly("t2");
        assertThat(of("REFRESH MATERIALIZED VIEW CONCURRENTLY s.mv").tables()).containsExactly("mv");
    }

    @Test
    void writesReachWhatIsUnderAViewPartitionsAndCascades() {
        assertThat(of("UPDATE v SET i = 1").tables()).containsExactlyInAnyOrder("v", "t1");
        assertThat(of("DELETE FROM parent").tables()).containsExactlyInAnyOrder("parent", "part1", "cascaded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM t1", "SELECT now()", "COPY t1 TO STDOUT", "EXPLAIN UPDATE t1 SET i = 1",
            "BEGIN", "COMMIT", "SET search_path = x", "SHOW all", "VACUUM t1", "LOCK t1", "CREATE TEMP TABLE x (i int)",
            "CREATE INDEX ON t1 (i)", "GRANT SELECT ON t1 TO bob", "COMMENT ON TABLE t1 IS 'x'",
            "ALTER ROLE bob PASSWORD 'secret'", "ALTER USER bob WITH ENCRYPTED PASSWORD 'x' CONNECTION LIMIT 3",
            "ALTER ROLE bob VALID UNTIL 'infinity'", "SELECT my_pure(1)", "CREATE DATABASE x", "PREPARE p AS SELECT 1",
            "DISCARD ALL", "LISTEN x", "NOTIFY x", "SECURITY LABEL ON TABLE t1 IS 'x'", "SELECT nextval('s')"})
    void readsAndHarmlessStatementsInvalidateNothing(String sql) {
        assertThat(of(sql).writes()).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALTER TABLE t1 ADD COLUMN j int", "ALTER DATABASE test2 RESET ALL",
            "ALTER ROLE foo BYPASSRLS", "ALTER ROLE foo SET search_path = x", "ALTER ROLE foo RENAME TO bar",
            "REVOKE SELECT ON t1 FROM bob", "ALTER VIEW v RENAME TO w", "ALTER SYSTEM SET timezone = 'UTC'",
            "DROP ROLE bob", "DROP OWNED BY bob", "ALTER GROUP g DROP USER bob"})
    void privilegesAndAlterTableClearEverything(String sql) {
        assertThat(of(sql).all()).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DO $$ BEGIN UPDATE t1 SET i = 0; END $$", "CALL p()", "SELECT my_writer()",
            "INSERT INTO t1 VALUES (my_writer())", "SELECT unknown_function()", "UPDATE audited SET x = 1",
            "UPDATE unknown_table SET x = 1", "CREATE VIEW w AS SELECT 1", "TRUNCATE t1 CASCADE", "CREATE OR REPLACE FUNCTION f() ...",
            "DROP VIEW v", "ALTER FUNCTION f() IMMUTABLE", "COMMIT PREPARED 'x'", "EXECUTE unknown",
            "CREATE TABLE n (i int)", "IMPORT FOREIGN SCHEMA s FROM SERVER x INTO y"})
    void whatJpgpoolCannotFollowClearsTheDatabase(String sql) {
        assertThat(of(sql).database()).as(sql).isTrue();
    }

    @Test
    void dropDatabaseDropsThatDatabase() {
        assertThat(of("DROP DATABASE foo").droppedDatabase()).isEqualTo("foo");
        assertThat(of("DROP DATABASE IF EXISTS \"Foo\" WITH (FORCE)").droppedDatabase()).isEqualTo("Foo");
        assertThat(of("DROP DATABASE foo").database()).isFalse();
    }

    @Test
    void ddlMakesTheCatalogFactsStale() {
        assertThat(of("ALTER TABLE t1 SET UNLOGGED").catalogChanged()).isTrue();
        assertThat(of("DROP TABLE t1").catalogChanged()).isTrue();
        assertThat(of("CREATE VIEW w AS SELECT 1").catalogChanged()).isTrue();
        assertThat(of("UPDATE t1 SET i = 1").catalogChanged()).isFalse();
    }

    @Test
    void everyStatementOfAMultiStatementStringCounts() {
        Effects e = of("BEGIN; DELETE FROM t2 WHERE i = 0; INSERT INTO t1(i) VALUES(1); COMMIT");
        assertThat(e.tables()).containsExactlyInAnyOrder("t1", "t2");
        assertThat(of("SELECT 1; ALTER TABLE t1 ADD COLUMN x int").all()).isTrue();
    }

    @Test
    void missingFactsOfAWrite() {
        assertThat(Effects.writtenRelations(SqlAnalyzer.analyze("UPDATE t1 SET i = f(x) FROM u"), prepared::get))
                .extracting(Object::toString).containsExactly("t1", "u");
        assertThat(Effects.userFunctions(SqlAnalyzer.analyze("SELECT abs(1), my_f(2), pg_catalog.now()")))
                .extracting(Object::toString).containsExactly("my_f");
    }
}

package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LOCK modes, prepared statements, EXPLAIN, COPY, DISCARD, temp/unlogged tables, pg_terminate_backend. */
class UtilityStatementTest {

    /** SEMANTICS A.2: LOCK in ROW EXCLUSIVE mode or stronger goes to the primary only. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            LOCK t                                                | 8
            LOCK TABLE t                                          | 8
            LOCK TABLE t NOWAIT                                   | 8
            LOCK t IN ACCESS SHARE MODE                           | 1
            LOCK TABLE t IN ROW SHARE MODE                        | 2
            LOCK t IN ROW EXCLUSIVE MODE                          | 3
            LOCK t IN SHARE UPDATE EXCLUSIVE MODE                 | 4
            LOCK t IN SHARE MODE NOWAIT                           | 5
            LOCK t IN SHARE ROW EXCLUSIVE MODE                    | 6
            LOCK t IN EXCLUSIVE MODE                              | 7
            lock table only s.t, u in access exclusive mode       | 8
            """)
    void lockMode(String sql, int mode) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(StatementKind.LOCK);
        assertThat(s.malformed()).isFalse();
        assertThat(s.lockMode()).isEqualTo(mode);
    }

    @Test
    void prepareAnalysesItsInnerStatement() {
        Statement s = SqlAnalyzer.analyzeStrict("PREPARE \"Fetch\" (int, varchar(10)) AS SELECT * FROM t WHERE a = $1 FOR UPDATE");
        assertThat(s.kind()).isEqualTo(StatementKind.PREPARE);
        assertThat(s.preparedName()).isEqualTo("Fetch");
        assertThat(s.inner().kind()).isEqualTo(StatementKind.SELECT);
        assertThat(s.inner().text()).isEqualTo("SELECT * FROM t WHERE a = $1 FOR UPDATE");
        assertThat(s.inner().lockingClause()).isTrue();
        assertThat(s.lockingClause()).isTrue();
        assertThat(s.relations()).containsExactly(QualifiedName.of("t"));
        assertThat(s.syntacticRead()).as("4.3: PREPARE is never a read").isFalse();

        Statement read = SqlAnalyzer.analyzeStrict("prepare q as select nextval('s')");
        assertThat(read.preparedName()).isEqualTo("q");
        assertThat(read.inner().syntacticRead()).isTrue();
        assertThat(read.functions()).containsExactly(QualifiedName.of("nextval"));

        Statement insert = SqlAnalyzer.analyzeStrict("PREPARE ins AS INSERT INTO t VALUES ($1)");
        assertThat(insert.inner().kind()).isEqualTo(StatementKind.INSERT);
        assertThat(insert.inner().syntacticRead()).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            EXECUTE p                          | EXECUTE    | p    | false
            EXECUTE "P"(1, 'x')                | EXECUTE    | P    | false
            DEALLOCATE p                       | DEALLOCATE | p    | false
            DEALLOCATE PREPARE p               | DEALLOCATE | p    | false
            DEALLOCATE ALL                     | DEALLOCATE | -    | true
            DEALLOCATE PREPARE ALL             | DEALLOCATE | -    | true
            """)
    void executeAndDeallocate(String sql, StatementKind kind, String name, boolean all) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.malformed()).isFalse();
        assertThat(s.preparedName()).isEqualTo(name);
        assertThat(s.deallocateAll()).isEqualTo(all);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            EXPLAIN SELECT 1                                     | false | SELECT | true
            EXPLAIN VERBOSE SELECT 1                             | false | SELECT | true
            EXPLAIN ANALYZE SELECT 1                             | true  | SELECT | true
            EXPLAIN ANALYSE VERBOSE SELECT 1                     | true  | SELECT | true
            EXPLAIN (ANALYZE) SELECT 1                           | true  | SELECT | true
            EXPLAIN (ANALYZE true, BUFFERS) SELECT 1             | true  | SELECT | true
            EXPLAIN (FORMAT json, ANALYZE on) SELECT 1           | true  | SELECT | true
            EXPLAIN (ANALYZE false) SELECT 1                     | true  | SELECT | true
            EXPLAIN (COSTS off, VERBOSE) SELECT 1                | false | SELECT | true
            EXPLAIN UPDATE t SET a = 1                           | false | UPDATE | true
            EXPLAIN ANALYZE UPDATE t SET a = 1                   | true  | UPDATE | false
            EXPLAIN ANALYZE WITH d AS (DELETE FROM t) SELECT 1   | true  | SELECT | false
            EXPLAIN EXECUTE p(1)                                 | false | EXECUTE | true
            EXPLAIN ANALYZE CREATE TABLE n AS SELECT 1           | true  | CREATE | false
            EXPLAIN DECLARE c CURSOR FOR SELECT 1                | false | DECLARE | true
            """)
    void explain(String sql, boolean analyze, StatementKind innerKind, boolean read) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(StatementKind.EXPLAIN);
        assertThat(s.malformed()).as("malformed: %s", s).isFalse();
        assertThat(s.explainAnalyze()).isEqualTo(analyze);
        assertThat(s.inner().kind()).isEqualTo(innerKind);
        assertThat(s.syntacticRead()).isEqualTo(read);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            COPY t FROM STDIN                                    | true  | false | false
            COPY t (a, b) FROM '/tmp/x' WITH (FORMAT csv)        | true  | false | false
            COPY BINARY t FROM STDIN                             | true  | false | false
            COPY t TO STDOUT                                     | false | true  | false
            copy t to stdout with csv header                     | false | true  | false
            COPY t TO '/tmp/x'                                   | false | false | false
            COPY t TO PROGRAM 'gzip > /tmp/x'                    | false | false | false
            COPY (SELECT * FROM t) TO STDOUT                     | false | true  | true
            COPY (SELECT * FROM t) TO '/tmp/x'                   | false | false | true
            COPY (DELETE FROM t RETURNING *) TO STDOUT           | false | true  | true
            """)
    void copy(String sql, boolean from, boolean toStdout, boolean query) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(StatementKind.COPY);
        assertThat(s.malformed()).as("malformed: %s", s).isFalse();
        assertThat(s.copyFrom()).isEqualTo(from);
        assertThat(s.copyToStdout()).isEqualTo(toStdout);
        assertThat(s.copyQuery()).isEqualTo(query);
        assertThat(s.inner() != null).isEqualTo(query);
        assertThat(s.relations()).contains(QualifiedName.of("t"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            DISCARD ALL         | ALL
            DISCARD PLANS       | PLANS
            DISCARD SEQUENCES   | SEQUENCES
            DISCARD TEMP        | TEMP
            DISCARD TEMPORARY   | TEMP
            """)
    void discard(String sql, DiscardTarget target) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(StatementKind.DISCARD);
        assertThat(s.discardTarget()).isEqualTo(target);
        assertThat(s.malformed()).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            CREATE TEMP TABLE tt (a int)                          | tt   | -
            CREATE TEMPORARY TABLE IF NOT EXISTS s.tt (a int)     | s.tt | -
            CREATE LOCAL TEMP TABLE tt (a int)                    | tt   | -
            CREATE GLOBAL TEMPORARY TABLE tt (a int)              | tt   | -
            CREATE TEMP TABLE tt AS SELECT * FROM t               | tt   | -
            CREATE TEMP TABLE "TT" ON COMMIT DROP AS SELECT 1     | TT   | -
            SELECT * INTO TEMP tt FROM t                          | tt   | -
            SELECT * INTO TEMPORARY TABLE tt FROM t               | tt   | -
            CREATE UNLOGGED TABLE ut (a int)                      | -    | ut
            CREATE UNLOGGED TABLE IF NOT EXISTS ut AS SELECT 1    | -    | ut
            CREATE TABLE pt (a int)                               | -    | -
            CREATE TEMP SEQUENCE s                                | -    | -
            CREATE TEMP VIEW v AS SELECT 1                        | -    | -
            SELECT * INTO nt FROM t                               | -    | -
            """)
    void createdTables(String sql, String temp, String unlogged) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.malformed()).isFalse();
        assertThat(s.createdTempTable() == null ? null : s.createdTempTable().toString()).isEqualTo(temp);
        assertThat(s.createdUnloggedTable() == null ? null : s.createdUnloggedTable().toString()).isEqualTo(unlogged);
    }

    @Test
    void droppedTables() {
        assertThat(SqlAnalyzer.analyzeStrict("DROP TABLE IF EXISTS a, s.\"B\" CASCADE").droppedTables())
                .containsExactly(QualifiedName.of("a"), QualifiedName.of("s", "B"));
        assertThat(SqlAnalyzer.analyzeStrict("drop table t").droppedTables()).containsExactly(QualifiedName.of("t"));
        assertThat(SqlAnalyzer.analyzeStrict("DROP VIEW v").droppedTables()).isEmpty();
        assertThat(SqlAnalyzer.analyzeStrict("DROP INDEX i").droppedTables()).isEmpty();
    }

    /** SEMANTICS A.4: a SELECT calling pg_terminate_backend(<integer constant>). */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            SELECT pg_terminate_backend(1234)                           | 1234
            select PG_TERMINATE_BACKEND( 42 )                           | 42
            SELECT pg_catalog.pg_terminate_backend(7)                   | 7
            SELECT pg_terminate_backend(1234, 5000)                     | 1234
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity      | -
            SELECT pg_terminate_backend(12.5)                           | -
            SELECT pg_terminate_backend(1 + 1)                          | -
            SELECT pg_terminate_backend($1)                             | -
            SELECT pg_terminate_backend(99999999999)                    | -
            SELECT pg_terminate_backend(1, 2, 3)                        | -
            SELECT pg_terminate_backend(pid), pg_terminate_backend(55)  | 55
            SELECT pg_cancel_backend(1234)                              | -
            SELECT 'pg_terminate_backend(1)'                            | -
            EXPLAIN SELECT pg_terminate_backend(1234)                   | -
            """)
    void terminateBackendPid(String sql, Integer pid) {
        OptionalInt actual = SqlAnalyzer.analyzeStrict(sql).terminateBackendPid();
        assertThat(actual).isEqualTo(pid == null ? OptionalInt.empty() : OptionalInt.of(pid));
    }
}

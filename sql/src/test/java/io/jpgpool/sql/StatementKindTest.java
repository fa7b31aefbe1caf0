package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Statement text → kind, for every {@link StatementKind}; and inputs PostgreSQL would reject. */
class StatementKindTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT 1                                                      | SELECT
            select * from t                                               | SELECT
            (SELECT 1) UNION (SELECT 2)                                   | SELECT
            ((SELECT 1))                                                  | SELECT
            WITH x AS (SELECT 1) SELECT * FROM x                          | SELECT
            WITH x AS (SELECT 1) (SELECT * FROM x)                        | SELECT
            WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r | SELECT
            VALUES (1), (2)                                               | VALUES
            TABLE t                                                       | TABLE
            WITH x AS (SELECT 1) TABLE x                                  | TABLE
            INSERT INTO t VALUES (1)                                      | INSERT
            WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x            | INSERT
            UPDATE t SET a = 1                                            | UPDATE
            WITH x AS (SELECT 1) UPDATE t SET a = 1                       | UPDATE
            DELETE FROM t                                                 | DELETE
            WITH x AS (SELECT 1) DELETE FROM t                            | DELETE
            MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE  | MERGE
            COPY t FROM STDIN                                             | COPY
            BEGIN                                                         | BEGIN
            begin work                                                    | BEGIN
            BEGIN TRANSACTION READ ONLY                                   | BEGIN
            START TRANSACTION                                             | BEGIN
            COMMIT                                                        | COMMIT
            COMMIT WORK                                                   | COMMIT
            END                                                           | COMMIT
            END TRANSACTION                                               | COMMIT
            COMMIT AND CHAIN                                              | COMMIT
            COMMIT AND NO CHAIN                                           | COMMIT
            ROLLBACK                                                      | ROLLBACK
            ABORT                                                         | ROLLBACK
            ROLLBACK AND CHAIN                                            | ROLLBACK
            ROLLBACK TO sp                                                | ROLLBACK_TO
            ROLLBACK TO SAVEPOINT sp                                      | ROLLBACK_TO
            ROLLBACK WORK TO SAVEPOINT sp                                 | ROLLBACK_TO
            ROLLBACK TRANSACTION TO "Sp"                                  | ROLLBACK_TO
            SAVEPOINT sp                                                  | SAVEPOINT
            RELEASE sp                                                    | RELEASE
            RELEASE SAVEPOINT sp                                          | RELEASE
            PREPARE TRANSACTION 'gid'                                     | PREPARE_TRANSACTION
            COMMIT PREPARED 'gid'                                         | COMMIT_PREPARED
            ROLLBACK PREPARED 'gid'                                       | ROLLBACK_PREPARED
            SET search_path TO public                                     | SET
            SET LOCAL statement_timeout = 0                               | SET
            SET TRANSACTION READ ONLY                                     | SET
            SET CONSTRAINTS ALL DEFERRED                                  | OTHER
            RESET ALL                                                     | RESET
            SHOW search_path                                              | SHOW
            SHOW pool_nodes                                               | SHOW
            DISCARD ALL                                                   | DISCARD
            LOCK t                                                        | LOCK
            PREPARE p AS SELECT 1                                         | PREPARE
            PREPARE transaction AS SELECT 1                               | PREPARE
            EXECUTE p                                                     | EXECUTE
            DEALLOCATE p                                                  | DEALLOCATE
            EXPLAIN SELECT 1                                              | EXPLAIN
            DECLARE c CURSOR FOR SELECT 1                                 | DECLARE
            FETCH NEXT FROM c                                             | FETCH
            MOVE FORWARD 5 IN c                                           | MOVE
            CLOSE c                                                       | CLOSE
            LISTEN ch                                                     | LISTEN
            UNLISTEN *                                                    | UNLISTEN
            NOTIFY ch, 'payload'                                          | NOTIFY
            VACUUM                                                        | VACUUM
            VACUUM (VERBOSE, ANALYZE) t (a)                               | VACUUM
            ANALYZE t                                                     | ANALYZE
            ANALYSE t                                                     | ANALYZE
            CHECKPOINT                                                    | CHECKPOINT
            CREATE TABLE t (a int)                                        | CREATE
            CREATE TABLE t AS SELECT 1                                    | CREATE
            CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1' | CREATE
            ALTER TABLE t ADD COLUMN b int                                | ALTER
            DROP TABLE t                                                  | DROP
            TRUNCATE t                                                    | TRUNCATE
            GRANT SELECT ON t TO u                                        | GRANT
            REVOKE SELECT ON t FROM u                                     | REVOKE
            COMMENT ON TABLE t IS 'x'                                     | COMMENT
            DO $$BEGIN NULL; END$$                                        | DO
            CALL p(1)                                                     | CALL
            REFRESH MATERIALIZED VIEW mv                                  | REFRESH
            CLUSTER t USING i                                             | CLUSTER
            REINDEX TABLE t                                               | REINDEX
            LOAD 'auto_explain'                                           | OTHER
            SECURITY LABEL ON TABLE t IS 'x'                              | OTHER
            PGPOOL SHOW ALL                                               | OTHER
            ``                                                            | EMPTY
            ;                                                             | EMPTY
            ;;  ;                                                         | EMPTY
            /* only a comment */                                          | EMPTY
            -- only a comment                                             | EMPTY
            """)
    void kindOfStatement(String sql, StatementKind kind) {
        Statement s = SqlAnalyzer.analyzeStrict(sql == null ? "" : sql);
        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.malformed()).as("malformed").isFalse();
        assertThat(s.empty()).isEqualTo(kind == StatementKind.EMPTY);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # lexical errors: PostgreSQL's scanner rejects them, Pgpool-II routes them as writes (SEMANTICS A.1.5)
            SELECT 'unterminated
            SELECT "unterminated
            SELECT $$unterminated
            SELECT $a$ unterminated $b$
            SELECT E'backslash-escaped quote \\'
            SELECT 1 /* unterminated /* nested */
            SELECT 1 AS ""
            SELECT $foo
            SELECT 1 \\ 2
            SELECT {1}
            # brackets
            SELECT (1
            SELECT 1)
            SELECT f((1)
            SELECT a[1)
            # a later statement is broken: the whole string fails to parse
            SELECT 1; SELECT 'x
            # shapes the grammar rejects where it matters for routing
            FOO BAR
            1 + 1
            START foo
            COMMIT foo
            COMMIT AND
            ROLLBACK TO
            SAVEPOINT
            RELEASE SAVEPOINT a b
            BEGIN ISOLATION LEVEL foo
            BEGIN READ ONLY,
            BEGIN READ
            PREPARE TRANSACTION
            COMMIT PREPARED
            COMMIT PREPARED 'a' 'b'
            LOCK t IN FOO MODE
            LOCK t IN SHARE
            LOCK
            SET x
            SET x TO
            SET x = SELECT
            SET TRANSACTION
            SET TRANSACTION ISOLATION LEVEL
            RESET
            SHOW
            DISCARD foo
            DEALLOCATE
            EXECUTE
            PREPARE p AS
            PREPARE p SELECT 1
            PREPARE p AS CREATE TABLE t (a int)
            EXPLAIN
            EXPLAIN VACUUM
            COPY t
            COPY (SELECT 1) FROM STDIN
            WITH x AS (SELECT 1)
            WITH x AS (SELECT 1) CREATE TABLE t (a int)
            WITH x (SELECT 1) SELECT 2
            SELECT a.b.c.d()
            SELECT * FROM a.b.c.d
            # data-modifying statements only stand alone, in a CTE body or in a rule action
            (INSERT INTO t VALUES (1))
            SELECT * FROM (DELETE FROM t RETURNING *) s
            SELECT * FROM t WHERE a IN (UPDATE u SET b = 1 RETURNING b)
            WITH x AS (SELECT * FROM (DELETE FROM t RETURNING *) d) SELECT 1
            """)
    void malformed(String sql) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.malformed()).as("malformed: %s", s).isTrue();
        assertThat(s.syntacticRead()).isFalse();
        assertThat(s.empty()).isFalse();
    }
}

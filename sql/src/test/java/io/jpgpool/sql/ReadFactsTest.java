package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The facts behind Pgpool-II's "is this a read?" test (SEMANTICS A.2, A.3): SELECT INTO, locking
 * clauses, data-modifying CTEs, and the resulting syntactic read; then the first-character test
 * that makes a leading comment disable load balancing (A.11).
 */
class ReadFactsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # sql                                                                     | into  | locking | modCte | read
            SELECT 1                                                                  | false | false   | false  | true
            SELECT * FROM t WHERE x IN (SELECT y FROM u)                              | false | false   | false  | true
            SELECT a INTO newt FROM t                                                 | true  | false   | false  | false
            SELECT * INTO TEMP TABLE tmp FROM t                                       | true  | false   | false  | false
            (SELECT 1 INTO x)                                                         | true  | false   | false  | false
            SELECT 1 INTO x UNION SELECT 2                                            | true  | false   | false  | false
            # nested INTO is an error in PostgreSQL; Pgpool-II's walker still sees an IntoClause
            SELECT * FROM (SELECT 1 INTO x) s                                         | false | false   | false  | false
            INSERT INTO t SELECT * FROM u                                             | false | false   | false  | false
            SELECT 'INTO x'                                                           | false | false   | false  | true
            SELECT "into" FROM t                                                      | false | false   | false  | true
            SELECT $$ INTO STRICT x $$                                                | false | false   | false  | true
            DO $$BEGIN SELECT 1 INTO STRICT x; END$$                                  | false | false   | false  | false
            SELECT * FROM t FOR UPDATE                                                | false | true    | false  | false
            SELECT * FROM t FOR NO KEY UPDATE                                         | false | true    | false  | false
            SELECT * FROM t FOR SHARE                                                 | false | true    | false  | false
            SELECT * FROM t FOR KEY SHARE                                             | false | true    | false  | false
            SELECT * FROM t FOR UPDATE OF t SKIP LOCKED                               | false | true    | false  | false
            SELECT * FROM t a, u b FOR SHARE OF a NOWAIT                              | false | true    | false  | false
            select * from t for update                                                | false | true    | false  | false
            SELECT * FROM t WHERE a IN (SELECT b FROM u FOR UPDATE)                   | false | true    | false  | false
            SELECT * FROM (SELECT * FROM t FOR SHARE) s                               | false | true    | false  | false
            (SELECT * FROM t FOR UPDATE)                                              | false | true    | false  | false
            SELECT * FROM t FOR READ ONLY                                             | false | false   | false  | true
            SELECT 'FOR UPDATE'                                                       | false | false   | false  | true
            SELECT "FOR UPDATE" FROM t                                                | false | false   | false  | true
            SELECT 1 -- FOR UPDATE                                                    | false | false   | false  | true
            SELECT 1 /* FOR UPDATE */                                                 | false | false   | false  | true
            SELECT E'\\' FOR UPDATE'                                                  | false | false   | false  | true
            SELECT substring(a FOR 2), substring(a FROM 1 FOR 2) FROM t               | false | false   | false  | true
            SELECT overlay(a PLACING b FROM 1 FOR 2) FROM t                           | false | false   | false  | true
            SELECT * FROM xmltable('/r' PASSING d COLUMNS n FOR ORDINALITY)           | false | false   | false  | true
            SELECT collation for (a) FROM t                                           | false | false   | false  | true
            WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d                     | false | false   | true   | false
            WITH i AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM i        | false | false   | true   | false
            WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM u                | false | false   | true   | false
            WITH a AS (SELECT 1), b AS (DELETE FROM t) SELECT * FROM a                | false | false   | true   | false
            WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (UPDATE t SET x = 1) SELECT 1 | false | false | true | false
            WITH a AS (WITH b AS (INSERT INTO t VALUES (1) RETURNING *) SELECT * FROM b) SELECT * FROM a | false | false | true | false
            WITH a AS (WITH b AS (SELECT 1) DELETE FROM t) SELECT 1                   | false | false   | true   | false
            WITH a AS (SELECT 'DELETE FROM t') SELECT * FROM a                        | false | false   | false  | true
            WITH a AS ((SELECT 1)) SELECT * FROM a                                    | false | false   | false  | true
            WITH a AS (VALUES (1)), b AS (TABLE t) SELECT * FROM a, b                 | false | false   | false  | true
            WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SEARCH DEPTH FIRST BY n SET o SELECT * FROM r | false | false | false | true
            WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) CYCLE n SET c TO true DEFAULT false USING p SELECT * FROM r | false | false | false | true
            WITH d AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM d       | false | false   | true   | false
            VALUES (1)                                                                | false | false   | false  | true
            TABLE t                                                                   | false | false   | false  | true
            SHOW search_path                                                          | false | false   | false  | true
            ``                                                                        | false | false   | false  | true
            ;                                                                         | false | false   | false  | true
            -- just a comment                                                         | false | false   | false  | true
            INSERT INTO t VALUES (1)                                                  | false | false   | false  | false
            PREPARE p AS SELECT 1                                                     | false | false   | false  | false
            BEGIN                                                                     | false | false   | false  | false
            SET a = 1                                                                 | false | false   | false  | false
            EXPLAIN SELECT 1                                                          | false | false   | false  | true
            EXPLAIN INSERT INTO t VALUES (1)                                          | false | false   | false  | true
            EXPLAIN ANALYZE SELECT 1                                                  | false | false   | false  | true
            EXPLAIN (ANALYZE) SELECT 1                                                | false | false   | false  | true
            EXPLAIN ANALYZE INSERT INTO t VALUES (1)                                  | false | false   | false  | false
            EXPLAIN ANALYZE SELECT * FROM t FOR UPDATE                                | false | true    | false  | false
            EXPLAIN ANALYZE SELECT 1 INTO x                                           | false | false   | false  | false
            COPY t TO STDOUT                                                          | false | false   | false  | true
            COPY (SELECT * FROM t) TO STDOUT                                          | false | false   | false  | true
            COPY (SELECT * FROM t FOR UPDATE) TO STDOUT                               | false | true    | false  | false
            COPY (INSERT INTO t VALUES (1) RETURNING *) TO STDOUT                     | false | false   | false  | false
            COPY t TO '/tmp/file'                                                     | false | false   | false  | false
            COPY t TO PROGRAM 'cat'                                                   | false | false   | false  | false
            COPY t FROM STDIN                                                         | false | false   | false  | false
            """)
    void readFacts(String sql, boolean into, boolean locking, boolean modifyingCte, boolean read) {
        Statement s = SqlAnalyzer.analyzeStrict(sql == null ? "" : sql);
        assertThat(s.malformed()).as("malformed: %s", s).isFalse();
        assertThat(s.selectInto()).as("selectInto").isEqualTo(into);
        assertThat(s.lockingClause()).as("lockingClause").isEqualTo(locking);
        assertThat(s.modifyingCte()).as("modifyingCte").isEqualTo(modifyingCte);
        assertThat(s.syntacticRead()).as("syntacticRead").isEqualTo(read);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # sql                                 | skip whitespace | no skip
            SELECT 1                              | true            | true
            select 1                              | true            | true
            `  SELECT 1`                          | true            | false
            `\\tSELECT 1`                          | true            | false
            (SELECT 1)                            | true            | true
            WITH x AS (SELECT 1) SELECT 1         | true            | true
            with x as (select 1) select 1         | true            | true
            TABLE t                               | true            | true
            table t                               | true            | true
            VALUES (1)                            | false           | false
            SHOW x                                | true            | true
            ``                                    | true            | true
            `   `                                 | true            | false
            ;                                     | true            | true
            /*NO LOAD BALANCE*/ SELECT 1          | false           | false
            /*REPLICATION*/ SELECT 1              | false           | false
            `-- x\\nSELECT 1`                      | false           | false
            `  /* c */ SELECT 1`                  | false           | false
            """)
    void firstCharacterTest(String sql, boolean skippingWhitespace, boolean notSkipping) {
        String text = sql == null ? "" : sql.replace("\\n", "\n").replace("\\t", "\t");
        Statement s = SqlAnalyzer.analyzeStrict(text);
        assertThat(s.startsWithReadChar(true)).as("ignore_leading_white_space = on").isEqualTo(skippingWhitespace);
        assertThat(s.startsWithReadChar(false)).as("ignore_leading_white_space = off").isEqualTo(notSkipping);
    }
}
